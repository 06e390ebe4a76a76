"""GET /openapi.json: a valid OpenAPI 3.1 document, and schemathesis finds nothing wrong when it
drives the live server from it.

schemathesis runs with every check on. The ones that judge by HTTP status (a refused request
should be 4xx, an accepted one 2xx, a request without credentials 401) cannot hold for WeChat,
which answers everything with HTTP 200 and an errcode; schemathesis_hooks.py replaces them with
their WeChat versions, judged by errcode:
  negative_data_rejection -> negative_data_gets_an_errcode (no errcode 0 for a schema-breaking request)
  ignored_auth            -> token_is_enforced (41001 without ?access_token=)
  positive_data_acceptance, missing_required_header, use_after_free, ensure_resource_availability,
  object_level_authorization: statuses, or resources by id in the path, which this API has not.
and adds errcode_is_documented (every errcode among the operation's x-errcodes, with its errmsg).
POST /sandbox/faults is left out: a fault changes what every other operation answers, which is
its job (Tests/sdk/test_faults.py and the Swift suite cover it).
"""
import json
import os
import re
import subprocess
import sys

import requests
from openapi_spec_validator import validate

from conftest import APPID, CLUSTER, ROOT, SECRET

EXAMPLES = int(os.environ.get("WXCARDS_SCHEMATHESIS_EXAMPLES", "10"))
HOOKS = os.path.join(ROOT, "Tests", "sdk", "schemathesis_hooks.py")
REPLACED = ["negative_data_rejection", "positive_data_acceptance", "ignored_auth", "missing_required_header",
            "use_after_free", "ensure_resource_availability", "object_level_authorization"]


def test_the_document_is_valid_openapi_3_1(server):
    answer = requests.get(server.base + "/openapi.json", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/json"
    document = answer.json()
    assert document["openapi"] == "3.1.0"
    validate(document)  # raises on any error
    operations = [(method, path) for path, item in document["paths"].items() for method in item]
    assert len(operations) >= 120
    # wechatpy's paths, as it calls them.
    for path in ["/card/membercard/userinfo/get", "/card/membercard/updateuser", "/card/code/consume",
                 "/card/paygiftcard/add", "/datacube/getcardmembercardinfo", "/cgi-bin/token"]:
        assert path in document["paths"], path


def test_schemathesis_finds_nothing_wrong(server, tmp_path):
    stats = tmp_path / "hook-stats.json"
    env = dict(os.environ, WXCARDS_BASE=server.base, WXCARDS_APPID=APPID, WXCARDS_SECRET=SECRET,
               SCHEMATHESIS_HOOKS=HOOKS, WXCARDS_HOOK_STATS=str(stats))
    command = [
        os.path.join(os.path.dirname(sys.executable), "schemathesis"), "run", server.base + "/openapi.json",
        "--checks", "all", "--exclude-checks", ",".join(REPLACED),
        "--exclude-operation-id", "post_sandbox_faults",
        "--max-examples", str(EXAMPLES), "--seed", "18", "--workers", "2",
        "--request-timeout", "30", "--no-color", "--warnings", "off",
        "--report", "junit", "--report-dir", str(tmp_path / "report"),
    ]
    run = subprocess.run(command, cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=900)
    output = run.stdout + run.stderr
    summary = output[output.find("SUMMARY"):] if "SUMMARY" in output else output[-3000:]
    print(("cluster" if CLUSTER else "single") + ":\n" + summary)
    assert run.returncode == 0, output[-20000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", output)
    tested = re.search(r"Tested: (\d+)", output)
    assert selected and tested and tested.group(1) == selected.group(1), summary
    assert int(selected.group(2)) - int(selected.group(1)) == 1, summary  # only POST /sandbox/faults left out
    # The WeChat checks judged answers: errcodes against x-errcodes, negative cases, and the
    # token probe of every operation that takes one.
    judged = json.loads(stats.read_text())
    print("hook checks judged:", judged)
    assert judged.get("errcode_is_documented", 0) >= 1000, judged
    assert judged.get("negative_data_gets_an_errcode", 0) >= 1000, judged
    assert judged.get("token_is_enforced", 0) >= 80, judged
