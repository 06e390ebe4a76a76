"""Schemathesis hooks for wxcards (loaded through SCHEMATHESIS_HOOKS by test_openapi.py).

WeChat answers every API error with HTTP 200 and a JSON `errcode`, so the checks that judge a
server by its HTTP status (negative_data_rejection, positive_data_acceptance, ignored_auth, ...)
say nothing here. The checks below are their WeChat versions, judged by `errcode`."""
import atexit
import collections
import json
import os

import requests
import schemathesis
from schemathesis.specs.openapi.checks import _openapi_negative_data_rejection

BASE = os.environ["WXCARDS_BASE"]
# How often each check below judged an answer (not just ran): written at exit, so the test can
# tell a check that held from one that never looked.
STATS = collections.Counter()
if os.environ.get("WXCARDS_HOOK_STATS"):
    atexit.register(lambda: open(os.environ["WXCARDS_HOOK_STATS"], "w").write(json.dumps(STATS)))
APPID = os.environ["WXCARDS_APPID"]
SECRET = os.environ["WXCARDS_SECRET"]


@schemathesis.auth(refresh_interval=1)
class AccessToken:
    """A fresh app token (the clock route may move time past a token's 7,200 s)."""

    def get(self, case, context):
        answer = requests.get(BASE + "/cgi-bin/token", params={
            "grant_type": "client_credential", "appid": APPID, "secret": SECRET}, timeout=10).json()
        return answer["access_token"]

    def set(self, case, data, context):
        case.query = dict(case.query or {})
        case.query["access_token"] = data


def _answer(response):
    """The JSON object answered, or None (the PNG of showqrcode, the text of /metrics)."""
    try:
        body = json.loads(response.content)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _documented(case):
    raw = case.operation.definition.raw
    return {entry["errcode"]: entry["errmsg"] for entry in raw.get("x-errcodes", [])}


@schemathesis.check
def errcode_is_documented(ctx, response, case):
    """Every errcode an operation answers is one its x-errcodes lists, with that errmsg first."""
    answer = _answer(response)
    if answer is None or "errcode" not in answer or answer["errcode"] == 0:
        return None
    if response.status_code == 405:
        return None  # a method the path does not take: unsupported_method judges that answer
    documented = _documented(case)
    code = answer["errcode"]
    if code not in documented:
        raise AssertionError("errcode %s (%r) is not among %s's x-errcodes %s"
                             % (code, answer.get("errmsg"), case.operation.label, sorted(documented)))
    STATS["errcode_is_documented"] += 1
    if not str(answer.get("errmsg", "")).startswith(documented[code]):
        raise AssertionError("errmsg %r does not start with the documented %r" % (answer.get("errmsg"), documented[code]))
    return None


@schemathesis.check
def negative_data_gets_an_errcode(ctx, response, case):
    """A request that breaks the schema (a generated negative case) never answers errcode 0.
    errcode 0 is what acceptance looks like here, so such an answer goes to schemathesis' own
    negative_data_rejection, with its allowances (an unknown query parameter, a negation that
    serializes to something valid)."""
    answer = _answer(response)
    if case.meta is not None and case.meta.generation.mode.is_negative:
        STATS["negative_data_gets_an_errcode"] += 1
    if answer is None or answer.get("errcode") != 0:
        return None
    return _openapi_negative_data_rejection(ctx, response, case)


_ENFORCED = set()


@schemathesis.check
def token_is_enforced(ctx, response, case):
    """An operation that takes ?access_token= answers 41001 without one (once per operation)."""
    raw = case.operation.definition.raw
    if {"accessToken": []} not in raw.get("security", []) or case.operation.label in _ENFORCED:
        return None
    _ENFORCED.add(case.operation.label)
    query = {k: v for k, v in (case.query or {}).items() if k != "access_token"}
    method = case.method.upper()
    url = BASE + case.formatted_path
    probe = requests.request(method, url, params=query, data=b"{}" if method == "POST" else None, timeout=10)
    code = probe.json().get("errcode")
    STATS["token_is_enforced"] += 1
    if code not in (41001, 43002):
        raise AssertionError("%s without access_token answered errcode %s, not 41001" % (case.operation.label, code))
    return None
