"""Event pushes as the merchant's own code receives them: a real HTTP receiver, checked with
wechatpy's check_signature, WeChatCrypto.decrypt_message and parse_message, in plain,
compatible and safe mode; and a push that survives kill -9 of the server."""
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

import pytest
import requests
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import check_signature

from cards import member_card
from conftest import APPID, Server, WXCardsClient, free_port

TOKEN = "pushtoken1"
KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"


class Receiver:
    """The merchant's message server: echoes WeChat's URL check and keeps every push."""

    def __init__(self, port=0):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                query = dict(parse_qsl(urlparse(self.path).query))
                self.answer(query.get("echostr", ""))

            def do_POST(self):
                query = dict(parse_qsl(urlparse(self.path).query))
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                received.append((query, body))
                self.answer("success")

            def answer(self, text):
                data = text.encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = "http://127.0.0.1:%d/wechat" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait(self, count, timeout=20):
        deadline = time.time() + timeout
        while len(self.received) < count and time.time() < deadline:
            time.sleep(0.05)
        return self.received

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.mark.parametrize("mode", ["plain", "compatible", "safe"])
def test_the_merchants_sdk_checks_and_reads_each_push(server, client, receiver, mode):
    setting = {"url": receiver.url, "token": TOKEN, "mode": mode}
    if mode != "plain":
        setting["encoding_aes_key"] = KEY
    assert server.sandbox(client, "app/server", setting) == {"errcode": 0, "errmsg": "ok", "url": receiver.url, "mode": mode}
    original_id = client.get("sandbox/app", api_base_url=server.base + "/")["original_id"]

    card_id = client.card.create(member_card())
    claimed = server.sandbox(client, "card/claim", {"openid": "o_push_user", "card_id": card_id, "outer_str": "12b"})

    pushes = receiver.wait(2)
    assert len(pushes) == 2
    events = {}
    for query, body in pushes:
        # The merchant checks the signature as wechatpy does; it raises when it does not match.
        check_signature(TOKEN, query["signature"], query["timestamp"], query["nonce"])
        if mode == "plain":
            assert "encrypt_type" not in query and "msg_signature" not in query
            xml = body
        else:
            assert query["encrypt_type"] == "aes"
            xml = WeChatCrypto(TOKEN, KEY, APPID).decrypt_message(body, query["msg_signature"], query["timestamp"], query["nonce"])
            assert ("<Event>" in body) == (mode == "compatible")
        message = parse_message(xml)
        assert message.target == original_id
        events[message.event] = message
    assert events["card_pass_check"].card_id == card_id
    got = events["user_get_card"]
    assert (got.source, got.card_id, got.code, got.outer_str) == ("o_push_user", card_id, claimed["code"], "12b")
    assert got.is_given_by_friend == 0

    journal = client.get("sandbox/events", params={"event": "user_get_card"}, api_base_url=server.base + "/")["events"]
    assert [entry["openid"] for entry in journal] == ["o_push_user"]


@pytest.mark.single_instance
def test_a_push_survives_kill_9_and_a_receiver_that_was_down(tmp_path):
    port = free_port()  # the receiver is down when the push is written
    url = "http://127.0.0.1:%d/wechat" % port
    first = Server(tmp_path, extra_args=("--push", "%s=%s,%s" % (APPID, url, TOKEN)))
    try:
        client = WXCardsClient(first.base)
        card_id = client.card.create(member_card())
        first.process.send_signal(signal.SIGKILL)
        first.process.wait()
    finally:
        first.log.close()
    receiver = Receiver(port)
    try:
        second = Server(tmp_path, extra_args=("--push", "%s=%s,%s" % (APPID, url, TOKEN)))
        try:
            pushes = receiver.wait(1)
            assert [parse_message(body).card_id for _, body in pushes] == [card_id]
            client = WXCardsClient(second.base)
            deadline = time.time() + 20
            while time.time() < deadline:
                entry = client.get("sandbox/events", api_base_url=second.base + "/")["events"][0]
                if entry["state"] != "pending":
                    break
                time.sleep(0.1)
            assert entry["state"] == "delivered"
            assert entry["attempts"][-1]["status"] == 200
        finally:
            assert second.stop() == 0
    finally:
        receiver.close()


def test_push_receiver_command_checks_decrypts_and_prints(server, client):
    """`wxcards push-receiver`, as the README tells a developer to run it."""
    import subprocess
    from conftest import BIN

    port = free_port()
    process = subprocess.Popen([BIN, "push-receiver", "--port", str(port), "--token", TOKEN, "--encoding-aes-key", KEY],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert "listening on http://127.0.0.1:%d/wechat" % port in process.stdout.readline()
        url = "http://127.0.0.1:%d/wechat" % port
        assert server.sandbox(client, "app/server", {"url": url, "token": TOKEN, "mode": "safe", "encoding_aes_key": KEY})["errcode"] == 0
        card_id = client.card.create(member_card())
        printed = process.stdout.readline()
        assert "<Event><![CDATA[card_pass_check]]></Event>" in printed and card_id in printed
        journal = client.get("sandbox/events", api_base_url=server.base + "/")["events"]
        deadline = time.time() + 10
        while journal[0]["state"] == "pending" and time.time() < deadline:
            time.sleep(0.05)
            journal = client.get("sandbox/events", api_base_url=server.base + "/")["events"]
        assert journal[0]["attempts"][-1]["response"] == "success"
    finally:
        process.terminate()
        process.wait(timeout=10)
