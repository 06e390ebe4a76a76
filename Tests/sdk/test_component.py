"""A third-party platform through wechatpy's own WeChatComponent and WeChatComponentClient:
verify tickets pushed to the platform's receiver and read by parse_message, the component
token, the merchant's approval (the sandbox stands in for WeChat's page), the authorization
code exchanged by parse_message itself, a member card driven with the authorizer token,
its events decrypted with the component's crypto, the stale-token refresh, and refusals."""
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlparse

import pytest
from wechatpy import parse_message
from wechatpy.client import WeChatComponentClient
from wechatpy.component import WeChatComponent
from wechatpy.exceptions import WeChatClientException

from cards import member_card
from conftest import APPID, OTHER_APPID, WECHAT_HOST, Server, WXCardsClient

COMPONENT_APPID = "wxcomponent000000001"
COMPONENT_SECRET = "componentsecret000000000000000001"
TOKEN = "componenttoken1"
KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
OPENID = "obLatjjwDolFjRRd3doGIdwNqRXw"


class Receiver:
    """The platform's receiver: answers success and keeps each push with its path."""

    def __init__(self):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                url = urlparse(self.path)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                received.append((url.path, dict(parse_qsl(url.query)), body))
                self.send_response(200)
                self.send_header("Content-Length", "7")
                self.end_headers()
                self.wfile.write(b"success")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Platform:
    """A server with one component whose two URLs point at a receiver, and wechatpy's
    component object pointed at that server."""

    def __init__(self, tmp_path):
        self.receiver = Receiver()
        base_url = self.receiver.base
        self.server = Server(tmp_path, extra_args=(
            "--component", "%s:%s" % (COMPONENT_APPID, COMPONENT_SECRET),
            "--component-server", "%s=%s/auth,%s/message/$APPID$,%s,%s" % (COMPONENT_APPID, base_url, base_url, TOKEN, KEY),
        ))
        self.component = WeChatComponent(COMPONENT_APPID, COMPONENT_SECRET, TOKEN, KEY)
        self.component.API_BASE_URL = self.server.base + "/cgi-bin"

    def pushes(self, path, count=1, timeout=20):
        """The pushes received on PATH, once there are COUNT of them."""
        deadline = time.time() + timeout
        while True:
            found = [(q, b) for p, q, b in list(self.receiver.received) if p == path]
            if len(found) >= count or time.time() > deadline:
                return found
            time.sleep(0.05)

    def parse(self, push):
        query, body = push
        return self.component.parse_message(body, query["msg_signature"], query["timestamp"], query["nonce"])

    def client(self, appid):
        """wechatpy's authorizer client; like WXCardsClient, only WeChat's host is replaced."""
        client = WeChatComponentClient(appid, self.component, session=self.component.session)
        client.API_BASE_URL = self.server.base + "/cgi-bin/"
        for api in list(vars(client).values()):
            if getattr(api, "API_BASE_URL", None):
                api.API_BASE_URL = api.API_BASE_URL.replace(WECHAT_HOST, self.server.base + "/")
        return client

    def close(self):
        assert self.server.stop() == 0
        self.receiver.close()


@pytest.fixture
def platform(tmp_path):
    p = Platform(tmp_path)
    yield p
    p.close()


def authorize(platform, merchant=None, func_scope=None):
    merchant = merchant or WXCardsClient(platform.server.base)
    pre_auth_code = platform.component.create_preauthcode()["pre_auth_code"]
    body = {"component_appid": COMPONENT_APPID, "pre_auth_code": pre_auth_code, "authorizer_appid": merchant.appid}
    if func_scope is not None:
        body["func_scope"] = func_scope
    return platform.server.sandbox(merchant, "component/authorize", body)


def test_the_whole_chain_through_wechatpy(platform):
    # The ticket arrives by push within a second of the start, and parse_message keeps it.
    ticket = platform.parse(platform.pushes("/auth")[0])
    assert ticket.type == "component_verify_ticket" and ticket.appid == COMPONENT_APPID
    assert platform.component.component_verify_ticket == ticket.verify_ticket

    merchant = WXCardsClient(platform.server.base)
    approved = authorize(platform, merchant)
    assert approved["errcode"] == 0 and approved["expires_in"] == 600
    # parse_message exchanges the authorization code itself (api_query_auth).
    authorized = platform.parse(platform.pushes("/auth", 2)[1])
    assert authorized.type == "authorized" and authorized.authorizer_appid == APPID
    assert authorized.authorization_code == approved["auth_code"]
    info = authorized.query_auth_result["authorization_info"]
    assert info["authorizer_appid"] == APPID and info["expires_in"] == 7200
    assert {"funcscope_category": {"id": 8}} in info["func_info"]

    about = platform.component.get_authorizer_info(APPID)
    original_id = merchant.get("sandbox/app", api_base_url=platform.server.base + "/")["original_id"]
    assert about["authorizer_info"]["user_name"] == original_id

    # The member card flow with the authorizer token.
    client = platform.client(APPID)
    card = member_card()
    card["card"]["member_card"]["auto_activate"] = False
    card_id = client.card.create(card)
    code = client.post("sandbox/card/claim", data={"card_id": card_id, "openid": OPENID},
                       api_base_url=platform.server.base + "/")["code"]
    client.card.activate_membercard("316510891298", code, card_id=card_id, init_bonus=100)
    assert client.card.update_membercard(code, card_id, add_bonus=360, record_bonus="消费")["result_bonus"] == 460
    # The app's own token sees the same member.
    assert merchant.card.get_membercard_user_info(card_id, code)["bonus"] == 460

    # Its events reach the component's message URL, encrypted with the component's key and
    # ending with the component's appid (the crypto of WeChatComponent checks that).
    messages = []
    deadline = time.time() + 20
    while time.time() < deadline and not any(m.event == "update_member_card" for m in messages):
        messages = [parse_message(platform.component.crypto.decrypt_message(body, q["msg_signature"], q["timestamp"], q["nonce"]))
                    for q, body in platform.pushes("/message/" + APPID, 1)]
        time.sleep(0.05)
    events = {m.event: m for m in messages}
    assert events["update_member_card"].target == original_id and events["update_member_card"].source == OPENID
    assert "user_get_card" in events

    # The stale-token path: past 7200 s both tokens expire (42001); wechatpy refetches the
    # component token with its ticket and the authorizer token with the refresh token.
    platform.server.advance_clock(merchant, 7300)
    assert client.card.get(card_id)["card_type"] == "MEMBER_CARD"


def test_refusals(platform):
    platform.parse(platform.pushes("/auth")[0])
    merchant = WXCardsClient(platform.server.base)
    # Without the card scope, card calls answer 61007.
    authorize(platform, merchant, func_scope=[1, 2])
    platform.parse(platform.pushes("/auth", 2)[1])
    client = platform.client(APPID)
    with pytest.raises(WeChatClientException) as error:
        client.card.batch_get(0, 10)
    assert error.value.errcode == 61007
    # The component token is not a merchant's token, and a merchant's is not a component's.
    with pytest.raises(WeChatClientException) as error:
        merchant._request("post", "card/batchget", params={"access_token": platform.component.access_token},
                          data={"offset": 0, "count": 10}, api_base_url=platform.server.base + "/")
    assert error.value.errcode == 61015
    answer = platform.component._http.post(platform.server.base + "/cgi-bin/component/api_create_preauthcode",
                                           params={"component_access_token": merchant.access_token},
                                           data='{"component_appid": "%s"}' % COMPONENT_APPID).json()
    assert answer["errcode"] == 61014
    # A used authorization code; a bad refresh token.
    authorize(platform, merchant)
    authorized = platform.parse(platform.pushes("/auth", 3)[2])
    with pytest.raises(WeChatClientException) as error:
        platform.component.query_auth(authorized.authorization_code)
    assert error.value.errcode == 61009
    with pytest.raises(WeChatClientException) as error:
        platform.component.refresh_authorizer_token(APPID, "refreshtoken@@@nope")
    assert error.value.errcode == 61023
    # Another merchant never authorized this component.
    with pytest.raises(WeChatClientException) as error:
        platform.component.get_authorizer_info(OTHER_APPID)
    assert error.value.errcode == 61003
    # Withdrawn: pushed as unauthorized, and the refresh token stops.
    platform.server.sandbox(merchant, "component/unauthorize", {"component_appid": COMPONENT_APPID})
    unauthorized = platform.parse(platform.pushes("/auth", 4)[3])
    assert unauthorized.type == "unauthorized" and unauthorized.authorizer_appid == APPID
    with pytest.raises(WeChatClientException) as error:
        platform.component.refresh_authorizer_token(APPID, authorized.query_auth_result["authorization_info"]["authorizer_refresh_token"])
    assert error.value.errcode == 61003


def test_sub_merchants_through_the_parent_accounts_client(server, client):
    """代制 with the parent account's own wechatpy client (wechatpy has no sub-merchant API:
    its generic post, as a developer would write it)."""
    base = server.base + "/"
    categories = client.get("card/getapplyprotocol", api_base_url=base)["category"]
    primary = categories[0]
    secondary = primary["secondary_category"][0]
    info = {"brand_name": "海底捞", "logo_url": "http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0",
            "protocol": "Eb4V2J2CpT3qr4ayeY8YTfvuEH2mKs1X", "end_time": int(time.time()) + 86400 * 365,
            "primary_category_id": primary["primary_category_id"], "secondary_category_id": secondary["secondary_category_id"]}
    merchant = client.post("card/submerchant/submit", data={"info": info}, api_base_url=base)["info"]
    assert merchant["status"] == "CHECKING"
    card = member_card()
    card["card"]["member_card"]["base_info"]["sub_merchant_info"] = {"merchant_id": merchant["merchant_id"]}
    with pytest.raises(WeChatClientException) as error:
        client.card.create(card)
    assert error.value.errcode == 40140
    server.sandbox(client, "submerchant/review", {"merchant_id": merchant["merchant_id"], "result": "pass"})
    assert client.card.create(card).startswith("p")
    listed = client.post("card/submerchant/batchget", data={"begin_id": "0", "limit": 10, "status": "APPROVED"}, api_base_url=base)
    assert [m["merchant_id"] for m in listed["info_list"]] == [merchant["merchant_id"]]
