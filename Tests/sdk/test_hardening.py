"""Hardening through wechatpy and the built binary: GIFT_SUCC in get_membercard_user_info,
numbers at the edge of 64 bits answered with WeChat codes (and the server still up), and
acknowledged writes surviving kill -9 while failing and succeeding transactions share
SQLite's group commits."""
import concurrent.futures
import signal
import threading
import time

import pytest
import requests
from wechatpy.exceptions import WeChatClientException

from cards import member_card
from conftest import Server, WXCardsClient

OPENID = "obLatjjwDolFjRRd3doGIdwNqRXw"
FRIEND = "obLatjjwDolFjRRd3doGIdwNqRXx"
INT64_MAX = 2**63 - 1


def activated_member(server, client, openid=OPENID):
    card = member_card()
    card["card"]["member_card"]["auto_activate"] = False
    card["card"]["member_card"]["supply_balance"] = True
    card_id = client.card.create(card)
    code = server.sandbox(client, "card/claim", {"card_id": card_id, "openid": openid})["code"]
    client.card.activate_membercard("316510891298", code, card_id=card_id, init_bonus=460, init_balance=200)
    return card_id, code


def test_a_gifted_away_code_shows_gift_succ_with_the_senders_data(server, client):
    card_id, code = activated_member(server, client)
    server.sandbox(client, "card/gift", {"card_id": card_id, "code": code, "openid": OPENID, "to_openid": FRIEND, "accept": False})
    assert client.card.get_membercard_user_info(card_id, code)["user_card_status"] == "GIFTING"
    new_code = server.sandbox(client, "card/gift", {"card_id": card_id, "code": code, "openid": OPENID, "to_openid": FRIEND})["code"]
    info = client.card.get_membercard_user_info(card_id, code)
    assert info["user_card_status"] == "GIFT_SUCC"
    assert info["openid"] == OPENID and info["bonus"] == 460 and info["balance"] == 200
    assert info["membership_number"] == "316510891298" and info["has_active"] is True
    assert client.card.get_membercard_user_info(card_id, new_code)["openid"] == FRIEND
    with pytest.raises(WeChatClientException) as error:
        client.card.update_membercard(code, card_id, add_bonus=1)
    assert error.value.errcode == 40056
    with pytest.raises(WeChatClientException) as error:
        client.card.get_code(code, card_id=card_id)
    assert error.value.errcode == 40056


def test_edge_numbers_answer_wechat_codes_and_change_nothing(server, client):
    card_id, code = activated_member(server, client)
    for kwargs, expected in [
        ({"add_bonus": INT64_MAX}, 45022), ({"bonus": INT64_MAX}, 45022), ({"add_bonus": -INT64_MAX}, 45022),
        ({"add_balance": INT64_MAX}, 45023), ({"balance": -1}, 45023),
    ]:
        with pytest.raises(WeChatClientException) as error:
            client.card.update_membercard(code, card_id, **kwargs)
        assert error.value.errcode == expected, kwargs
    for change in [INT64_MAX, -INT64_MAX, 100000001]:
        with pytest.raises(WeChatClientException) as error:
            client.card.modify_stock(card_id, change)
        assert error.value.errcode == 40097, change
    info = client.card.get_membercard_user_info(card_id, code)
    assert info["bonus"] == 460 and info["balance"] == 200
    assert client.card.get(card_id)["member_card"]["base_info"]["sku"]["quantity"] == 50000000 - 1
    assert requests.get(server.base + "/healthz", timeout=5).json() == {"status": "ok"}
    assert server.process.poll() is None


@pytest.mark.single_instance
def test_acknowledged_writes_survive_kill_9(tmp_path):
    """Claims of a card with get_limit 1 by one openid fail after they took stock (a failure
    after a write, in the middle of a batch), beside claims by other openids and points changes
    that succeed. The server is killed with SIGKILL while requests are in flight; after a
    restart on the same file every acknowledged write is there, and the stock, the claims and
    the points agree with one another."""
    server = Server(tmp_path)
    client = WXCardsClient(server.base)
    card = member_card()
    card["card"]["member_card"]["auto_activate"] = True
    card["card"]["member_card"]["base_info"]["get_limit"] = 1
    card["card"]["member_card"]["base_info"]["sku"]["quantity"] = 100000
    card_id = client.card.create(card)
    member_code = server.sandbox(client, "card/claim", {"card_id": card_id, "openid": OPENID})["code"]
    initial_bonus = client.card.get_membercard_user_info(card_id, member_code)["bonus"]
    token = client.access_token
    stop = threading.Event()
    acknowledged = {"claims": [], "points": 0}
    lock = threading.Lock()

    def post(path, body):
        return requests.post("%s/%s?access_token=%s" % (server.base, path, token), json=body, timeout=10).json()

    def worker(n):
        i = 0
        while not stop.is_set():
            i += 1
            try:
                if i % 3 == 0:
                    # Same openid as the member: refused by get_limit after taking stock.
                    answer = post("sandbox/card/claim", {"card_id": card_id, "openid": OPENID})
                    assert answer["errcode"] == 45033, answer
                elif i % 3 == 1:
                    answer = post("sandbox/card/claim", {"card_id": card_id, "openid": "o%05d%06d" % (n, i)})
                    if answer["errcode"] == 0:
                        with lock:
                            acknowledged["claims"].append(answer["code"])
                else:
                    answer = post("card/membercard/updateuser", {"card_id": card_id, "code": member_code, "add_bonus": 1})
                    if answer["errcode"] == 0:
                        with lock:
                            acknowledged["points"] += 1
            except (requests.ConnectionError, requests.Timeout, ValueError):
                return  # the server is gone

    with concurrent.futures.ThreadPoolExecutor(max_workers=16) as pool:
        futures = [pool.submit(worker, n) for n in range(16)]
        time.sleep(3)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        stop.set()
        for future in futures:
            future.result()
    server.log.close()
    assert len(acknowledged["claims"]) > 20 and acknowledged["points"] > 20

    again = Server(tmp_path)
    try:
        client = WXCardsClient(again.base)
        sku = client.card.get(card_id)["member_card"]["base_info"]["sku"]
        for code in acknowledged["claims"]:
            assert client.card.get_code(code, card_id=card_id)["card"]["card_id"] == card_id
        claimed = sku["total_quantity"] - sku["quantity"]
        # Acknowledged claims all persisted; a claim in flight at the kill may have too; the
        # refused ones left no code and took no stock.
        assert len(acknowledged["claims"]) + 1 <= claimed <= len(acknowledged["claims"]) + 1 + 16
        assert len(client.card.get_card_list(OPENID, card_id=card_id)["card_list"]) == 1
        bonus = client.card.get_membercard_user_info(card_id, member_code)["bonus"]
        assert acknowledged["points"] <= bonus - initial_bonus <= acknowledged["points"] + 16
    finally:
        assert again.stop() == 0
