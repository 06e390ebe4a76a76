"""Every curl example of docs/sandbox.md, run as written against a live server (only the port
and the token differ): each gets a WeChat answer, and none is refused for its shape: no unknown
field, no missing field, no wrong type, no unknown path. Placeholders such as the card id may
still be refused as unknown (40073)."""
import json
import os
import re
import subprocess

from conftest import ROOT, WXCardsClient

SHAPE_ERRORS = {-1, 41011, 47001, 40066, 43002, 44002}


def curl_examples():
    text = open(os.path.join(ROOT, "docs", "sandbox.md"), encoding="utf-8").read()
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        command = ""
        for line in block.splitlines():
            command += line.rstrip("\\").rstrip() + " " if line.endswith("\\") else line + "\n"
        commands += [c for c in re.split(r"\n(?=curl )", command) if c.startswith("curl ")]
    return commands


def test_every_curl_example_is_well_formed(server):
    token = WXCardsClient(server.base).access_token
    examples = curl_examples()
    assert len(examples) >= 14
    for command in examples:
        command = command.replace("http://127.0.0.1:8080", server.base)
        result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env={**os.environ, "TOKEN": token})
        assert result.returncode == 0, (command, result.stderr)
        answer = json.loads(result.stdout)
        if "access_token" in answer:  # the token example itself
            continue
        assert answer.get("errcode") not in SHAPE_ERRORS, (command, answer)
        assert "unknown field" not in answer.get("errmsg", ""), (command, answer)
