"""The server itself, through wechatpy: tokens, their errors, expiry on the
sandbox clock, the 5-minute hand-over, start-up and shutdown."""
import re
import subprocess

import pytest
import requests
from wechatpy.exceptions import WeChatClientException

from conftest import APPID, BIN, SECRET, Server, WXCardsClient


def test_fetch_token(client):
    result = client.fetch_access_token()
    assert result["expires_in"] == 7200
    assert len(result["access_token"]) == 128
    assert client.access_token == result["access_token"]


def test_wrong_secret(server):
    client = WXCardsClient(server.base, secret="not-the-secret")
    with pytest.raises(WeChatClientException) as error:
        client.fetch_access_token()
    assert error.value.errcode == 40125
    assert error.value.errmsg.startswith("invalid appsecret")


def test_unknown_appid(server):
    client = WXCardsClient(server.base, appid="wx0000000000000000")
    with pytest.raises(WeChatClientException) as error:
        client.fetch_access_token()
    assert error.value.errcode == 40013
    assert error.value.errmsg.startswith("invalid appid")


def test_token_expires_on_the_sandbox_clock(server):
    client = WXCardsClient(server.base, auto_retry=False)
    # 7190 s, not 7199: wall time passes too (a cluster answers a clock move after half a second).
    assert server.advance_clock(client, 7190)["errcode"] == 0
    server.advance_clock(client, 10)
    with pytest.raises(WeChatClientException) as error:
        server.advance_clock(client, 0)
    assert error.value.errcode == 42001
    # An SDK that retries on 42001 fetches a new token and carries on.
    expired = client.access_token
    client.auto_retry = True
    assert server.advance_clock(client, 0)["errcode"] == 0
    assert client.session.get(client.access_token_key) != expired


def test_old_token_keeps_working_for_five_minutes(server):
    old_client = WXCardsClient(server.base, auto_retry=False)
    old = old_client.access_token
    new_client = WXCardsClient(server.base, auto_retry=False)
    new = new_client.access_token
    assert old != new
    # 290 s, not 299: wall time passes too (a cluster answers a clock move after half a second).
    assert server.advance_clock(old_client, 290)["errcode"] == 0
    assert server.advance_clock(old_client, 10)["errcode"] == 0
    with pytest.raises(WeChatClientException) as error:
        server.advance_clock(old_client, 0)
    assert error.value.errcode == 40001
    assert server.advance_clock(new_client, 0)["errcode"] == 0


def test_missing_token_and_broken_json(server):
    answer = requests.post(server.base + "/sandbox/clock", data=b'{"advance_seconds": 1}').json()
    assert answer["errcode"] == 41001
    token = WXCardsClient(server.base).access_token
    answer = requests.post(server.base + "/sandbox/clock", params={"access_token": token}, data=b"{oops").json()
    assert answer["errcode"] == 47001
    assert re.search(r" rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$", answer["errmsg"])
    missing = requests.get(server.base + "/no/such/api")
    assert missing.status_code == 404 and missing.json()["errcode"] == 40066


@pytest.mark.single_instance
def test_restart_keeps_the_clock_and_tokens(tmp_path):
    first = Server(tmp_path)
    try:
        client = WXCardsClient(first.base, auto_retry=False)
        now = first.advance_clock(client, 3600)["now"]
    finally:
        assert first.stop() == 0
    second = Server(tmp_path)
    try:
        # The same token, issued by the first process, works on the second: it is in the database.
        client.wxcards_base = second.base
        assert second.advance_clock(client, 0)["now"] >= now
    finally:
        assert second.stop() == 0


def test_demo_app_is_printed_on_an_empty_database(tmp_path):
    port = Server.__init__.__globals__["free_port"]()
    process = subprocess.Popen([BIN, "serve", "--port", str(port), "--database", "sqlite:%s" % (tmp_path / "demo.sqlite")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = process.stdout.readline()
        match = re.search(r"appid=(wx[0-9a-f]{16})\s+secret=([0-9a-f]{32})", line)
        assert match, line
        curl = process.stdout.readline()
        assert "curl 'http://127.0.0.1:%d/cgi-bin/token?grant_type=client_credential&appid=%s" % (port, match.group(1)) in curl
        for _ in range(100):
            try:
                requests.get("http://127.0.0.1:%d/healthz" % port, timeout=1)
                break
            except requests.ConnectionError:
                import time
                time.sleep(0.05)
        client = WXCardsClient("http://127.0.0.1:%d" % port, appid=match.group(1), secret=match.group(2))
        assert client.fetch_access_token()["expires_in"] == 7200
    finally:
        process.terminate()
        assert process.wait(timeout=20) == 0


def test_migrate_command_and_help(tmp_path):
    database = "sqlite:%s" % (tmp_path / "m.sqlite")
    first = subprocess.run([BIN, "migrate", "--database", database], capture_output=True, text=True)
    assert first.returncode == 0 and "applied migrations 1" in first.stdout
    again = subprocess.run([BIN, "migrate", "--database", database], capture_output=True, text=True)
    assert again.returncode == 0 and "already at schema version" in again.stdout
    for command in ([BIN, "--help"], [BIN, "serve", "--help"], [BIN, "migrate", "--help"]):
        shown = subprocess.run(command, capture_output=True, text=True)
        assert shown.returncode == 0 and "USAGE" in shown.stdout
    assert "WXCARDS_DATABASE" in subprocess.run([BIN, "serve", "--help"], capture_output=True, text=True).stdout
    bad = subprocess.run([BIN, "serve", "--database", "mysql://x"], capture_output=True, text=True)
    assert bad.returncode != 0 and "sqlite:PATH" in bad.stderr + bad.stdout


def test_environment_variables_configure_the_server(tmp_path):
    port = Server.__init__.__globals__["free_port"]()
    import os
    env = dict(os.environ, WXCARDS_PORT=str(port), WXCARDS_DATABASE="sqlite:%s" % (tmp_path / "env.sqlite"),
               WXCARDS_APP="wxenv0000000000001:envsecret")
    process = subprocess.Popen([BIN, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        import time
        for _ in range(200):
            try:
                requests.get("http://127.0.0.1:%d/healthz" % port, timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.05)
        client = WXCardsClient("http://127.0.0.1:%d" % port, appid="wxenv0000000000001", secret="envsecret")
        assert client.fetch_access_token()["expires_in"] == 7200
    finally:
        process.terminate()
        assert process.wait(timeout=20) == 0
