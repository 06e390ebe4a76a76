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
import time

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
    if CLUSTER:
        # Through the test proxy onto PostgreSQL, the coverage phase's ~10,000 cases take six
        # minutes; the fuzzing phase alone checks that the cluster answers as one instance does.
        command += ["--phases", "fuzzing"]
    output = schemathesis(command, tmp_path, env)
    if "Failures:" not in output and "Errors:" in output:
        # An error of schemathesis itself, not a finding (hypothesis has reported a flaky draw
        # under load): one more run, which must be clean.
        print("schemathesis reported an error of its own; running it again")
        output = schemathesis(command, tmp_path, env)
    summary = output[output.find("SUMMARY"):] if "SUMMARY" in output else output[-3000:]
    print(("cluster" if CLUSTER else "single") + ":\n" + summary)
    assert "Failures:" not in summary and "Errors:" not in summary, output[-20000:]
    selected = re.search(r"Selected: (\d+)/(\d+)", output)
    tested = re.search(r"Tested: (\d+)", output)
    assert selected and tested and tested.group(1) == selected.group(1), summary
    assert int(selected.group(2)) - int(selected.group(1)) == 1, summary  # only POST /sandbox/faults left out
    # The WeChat checks judged answers: errcodes against x-errcodes, negative cases, and the
    # token probe of every operation that takes one.
    judged = json.loads(stats.read_text())
    print("hook checks judged:", judged)
    least = 300 if CLUSTER else 1000
    assert judged.get("errcode_is_documented", 0) >= least, judged
    assert judged.get("negative_data_gets_an_errcode", 0) >= least, judged
    assert judged.get("token_is_enforced", 0) >= 80, judged


def schemathesis(command, tmp_path, env):
    """The run's whole output; its exit status says no more than its summary does."""
    run = subprocess.run(command, cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=900)
    output = run.stdout + run.stderr
    assert "SUMMARY" in output, output[-20000:]
    if run.returncode != 0:
        assert "Failures:" in output or "Errors:" in output, output[-20000:]
    return output


def test_a_client_generated_from_the_document_works(server, tmp_path):
    """docs/openapi.md's walk-through: openapi-python-client (PyPI) generates a client from the
    served document, and the generated code fetches a token and calls the card APIs."""
    document = tmp_path / "wxcards-openapi.json"
    document.write_bytes(requests.get(server.base + "/openapi.json", timeout=10).content)
    generator = os.path.join(os.path.dirname(sys.executable), "openapi-python-client")
    run = subprocess.run([generator, "generate", "--path", str(document), "--meta", "none",
                          "--output-path", str(tmp_path / "wxcards_client")],
                         cwd=str(tmp_path), capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    script = tmp_path / "use_client.py"
    script.write_text(CLIENT_SCRIPT)
    used = subprocess.run([sys.executable, str(script), server.base, APPID, SECRET],
                          cwd=str(tmp_path), capture_output=True, text=True, timeout=120)
    assert used.returncode == 0, used.stdout + used.stderr
    assert used.stdout.splitlines() == ["token 7200", "batchget 0 ['%s']" % "CARD", "userinfo 40056"], used.stdout


# The docs' example, with a card made through wechatpy's own path so the generated client has
# something to list: the lines it prints are checked above.
CLIENT_SCRIPT = '''
import sys
from wxcards_client import Client
from wxcards_client.api.access_token import get_cgi_bin_token
from wxcards_client.api.cards import post_card_batchget
from wxcards_client.api.members_and_codes import post_card_membercard_userinfo_get
from wxcards_client.models import (GetCgiBinTokenGrantType, PostCardBatchgetBody,
                                   PostCardMembercardUserinfoGetBody)
import requests

base, appid, secret = sys.argv[1:4]
grant = get_cgi_bin_token.sync(client=Client(base_url=base), grant_type=GetCgiBinTokenGrantType.CLIENT_CREDENTIAL,
                               appid=appid, secret=secret)
print("token", grant.expires_in)
# The token travels in the query of every call, as WeChat's does.
api = Client(base_url=base, httpx_args={"params": {"access_token": grant.access_token}})
card = requests.post(base + "/card/create", params={"access_token": grant.access_token}, json={"card": {
    "card_type": "MEMBER_CARD", "member_card": {
        "base_info": {"logo_url": "http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0", "brand_name": "海底捞",
                      "code_type": "CODE_TYPE_TEXT", "title": "海底捞会员卡", "color": "Color010",
                      "notice": "使用时向服务员出示此券", "description": "不可与其他优惠同享",
                      "date_info": {"type": "DATE_TYPE_PERMANENT"}, "sku": {"quantity": 100}},
        "prerogative": "会员卡特权说明", "supply_bonus": True, "supply_balance": False}}}).json()
listed = post_card_batchget.sync(client=api, body=PostCardBatchgetBody(offset=0, count=10))
print("batchget", listed.errcode, ["CARD" if id == card["card_id"] else id for id in listed.card_id_list])
member = post_card_membercard_userinfo_get.sync(
    client=api, body=PostCardMembercardUserinfoGetBody(card_id=card["card_id"], code="000000000000"))
print("userinfo", member.errcode)
'''


def test_successful_answers_conform_to_the_document(server, other_client):
    """schemathesis mostly meets errors (its ids do not exist). This walks one app through the
    member-card journey and the sandbox with real ids, and checks every successful answer
    against the document's schema for it: the fields, their types, the nested shapes."""
    import jsonschema
    from cards import member_card

    document = requests.get(server.base + "/openapi.json", timeout=10).json()
    checked = []

    def call(method, path, body=None, **query):
        answer = requests.request(method, server.base + path, params=query, timeout=30,
                                  data=None if body is None else json.dumps(body, ensure_ascii=False).encode())
        answer_json = answer.json()
        assert answer_json.get("errcode", 0) == 0, (path, answer_json)
        schema = document["paths"][path][method.lower()]["responses"]["200"]["content"]["application/json"]["schema"]
        jsonschema.Draft202012Validator(schema).validate(answer_json)
        checked.append("%s %s" % (method, path))
        return answer_json

    def fetch_token():
        return call("GET", "/cgi-bin/token", grant_type="client_credential", appid=APPID, secret=SECRET)["access_token"]

    token = [fetch_token()]

    def api(path, body=None, method="POST", **query):
        return call(method, path, body, access_token=token[0], **query)

    openid = "o_openapi_walk"
    now = api("/sandbox/clock", {"advance_seconds": 60})["now"]
    api("/sandbox/app", {"pay_enabled": True, "entity": "海底捞"})
    api("/sandbox/app", method="GET")
    card = member_card(pay_info={"swipe_card": {"is_swipe_card": True}})  # members pay with it
    card["card"]["member_card"]["auto_activate"] = False  # activated below, by the merchant
    card_id = api("/card/create", card)["card_id"]
    api("/card/get", {"card_id": card_id})
    api("/card/batchget", {"offset": 0, "count": 10})
    api("/card/update", {"card_id": card_id, "member_card": {"base_info": {"get_limit": 5}}})
    api("/card/modifystock", {"card_id": card_id, "increase_stock_value": 10})
    qr = api("/card/qrcode/create", {"action_name": "QR_CARD", "action_info": {"card": {"card_id": card_id}}})
    api("/sandbox/user", {"openid": openid, "nickname": "小明", "sex": "MALE"})
    claimed = api("/sandbox/card/claim", {"ticket": qr["ticket"], "openid": openid})
    code = claimed["code"]
    api("/card/code/decrypt", {"encrypt_code": claimed["encrypt_code"]})
    api("/card/code/get", {"card_id": card_id, "code": code})
    api("/card/membercard/activate", {"card_id": card_id, "code": code, "membership_number": "AAA001", "init_bonus": 100})
    api("/card/membercard/userinfo/get", {"card_id": card_id, "code": code})
    api("/card/membercard/updateuser", {"card_id": card_id, "code": code, "add_bonus": 60, "record_bonus": "消费"})
    api("/card/user/getcardlist", {"openid": openid})
    api("/sandbox/card/view", {"card_id": card_id, "code": code, "openid": openid})
    api("/sandbox/merchant", {"mchid": "1900000009", "entity": "海底捞"})
    rule = api("/card/paygiftcard/add", {"rule_info": {
        "type": "RULE_TYPE_PAY_MEMBER_CARD",
        "base_info": {"mchid_list": ["1900000009"], "begin_time": now - 60, "end_time": now + 86400},
        "member_rule": {"card_id": card_id, "least_cost": 0, "max_cost": 100000, "jump_url": "https://www.qq.com"}}})
    api("/card/paygiftcard/getbyid", {"rule_id": rule["rule_id"]})
    api("/card/paygiftcard/batchget", {"type": "RULE_TYPE_PAY_MEMBER_CARD", "offset": 0, "count": 10})
    api("/sandbox/pay", {"mchid": "1900000009", "openid": "o_newcomer", "total_fee": 500})
    api("/sandbox/pay", {"mchid": "1900000009", "openid": openid, "total_fee": 1000, "card_id": card_id, "code": code,
                         "use_bonus": 5})
    api("/sandbox/payments", method="GET", openid=openid)
    api("/sandbox/user/messages", method="GET", openid=openid)
    api("/sandbox/events", method="GET")
    fault = api("/sandbox/faults", {"path": "/card/nothing", "errcode": 45009, "count": 1})
    api("/sandbox/faults", method="GET")
    api("/sandbox/faults/delete", {"id": fault["id"]})
    api("/sandbox/requests", method="GET", limit=5)
    api("/card/getapplyprotocol", method="GET")
    api("/card/submerchant/batchget", {"begin_id": 0, "limit": 10})
    api("/sandbox/clock", {"advance_seconds": 2 * 86400})
    token[0] = fetch_token()  # two days on, the token has expired
    day = time.strftime("%Y-%m-%d", time.gmtime(now + 8 * 3600))
    api("/datacube/getcardmembercardinfo", {"begin_date": day, "end_date": day, "cond_source": 1})
    api("/datacube/getcardmembercarddetail", {"begin_date": day, "end_date": day, "card_id": card_id})
    api("/card/code/unavailable", {"card_id": card_id, "code": code, "reason": "测试"})
    api("/card/delete", {"card_id": card_id})
    api("/sandbox/reset", {})
    call("GET", "/healthz")
    assert len(checked) >= 40, checked
