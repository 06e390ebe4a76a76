"""Members through wechatpy: activate_membercard, get_membercard_user_info,
update_membercard (with the 64-way concurrency check), get_code, invalid_code and get_card_list."""
import concurrent.futures

import pytest
from wechatpy.exceptions import WeChatClientException

from cards import member_card

OPENID = "obLatjjwDolFjRRd3doGIdwNqRXw"


def new_member(server, client, auto_activate=False, openid=OPENID):
    card = member_card()
    card["card"]["member_card"]["auto_activate"] = auto_activate
    card["card"]["member_card"]["supply_balance"] = True
    card_id = client.card.create(card)
    code = server.sandbox(client, "card/claim", {"card_id": card_id, "openid": openid})["code"]
    return card_id, code


def test_activate_and_user_info(server, client):
    card_id, code = new_member(server, client)
    server.sandbox(client, "user", {"openid": OPENID, "nickname": "Fourier", "sex": "MALE"})
    client.card.activate_membercard("316510891298", code, card_id=card_id, init_bonus=460, init_bonus_record="旧积分同步", init_balance=200)
    info = client.card.get_membercard_user_info(card_id, code)
    assert info["openid"] == OPENID and info["nickname"] == "Fourier" and info["sex"] == "MALE"
    assert info["membership_number"] == "316510891298"
    assert info["bonus"] == 460 and info["balance"] == 200
    assert info["user_card_status"] == "NORMAL" and info["has_active"] is True
    assert info["user_info"] == {"common_field_list": [], "custom_field_list": []}
    with pytest.raises(WeChatClientException) as error:
        client.card.activate_membercard("316510891298", "000000000000", card_id=card_id)
    assert error.value.errcode == 40056


def test_update_membercard(server, client):
    card_id, code = new_member(server, client, auto_activate=True)
    answer = client.card.update_membercard(code, card_id, bonus=3000, add_bonus=30, record_bonus="消费30元，获得3积分",
                                           balance=3000, add_balance=-30, notify_optional={"is_notify_bonus": True})
    assert answer["result_bonus"] == 3000 and answer["result_balance"] == 3000 and answer["openid"] == OPENID
    answer = client.card.update_membercard(code, card_id, add_bonus=-100)
    assert answer["result_bonus"] == 2900
    with pytest.raises(WeChatClientException) as error:
        client.card.update_membercard(code, card_id, add_bonus=-3000)
    assert error.value.errcode == 45022
    assert client.card.get_membercard_user_info(card_id, code)["bonus"] == 2900
    kinds = [m["kind"] for m in client.get("sandbox/user/messages", params={"openid": OPENID}, api_base_url=server.base + "/")["messages"]]
    assert kinds == ["bonus", "balance", "bonus", "activate"]


def test_update_membercard_64_concurrent_add_bonus(server, client):
    card_id, code = new_member(server, client, auto_activate=True)
    client.fetch_access_token()

    def add_one(_):
        return client.card.update_membercard(code, card_id, add_bonus=1)["result_bonus"]

    with concurrent.futures.ThreadPoolExecutor(max_workers=64) as pool:
        results = list(pool.map(add_one, range(64)))
    assert sorted(results) == list(range(1, 65))
    assert client.card.get_membercard_user_info(card_id, code)["bonus"] == 64


def test_get_code_and_invalid_code(server, client):
    card_id, code = new_member(server, client)
    info = client.card.get_code(code, card_id)
    assert info["card"]["card_id"] == card_id and info["openid"] == OPENID
    assert info["can_consume"] is True and info["user_card_status"] == "NORMAL"
    client.card.invalid_code(code, card_id)
    with pytest.raises(WeChatClientException) as error:
        client.card.get_code(code, card_id)
    assert error.value.errcode == 40127
    assert client.card.get_code(code, card_id, check_consume=False)["user_card_status"] == "UNAVAILABLE"
    with pytest.raises(WeChatClientException) as error:
        client.card.get_code("123412341234")
    assert error.value.errcode == 40056


def test_get_card_list(server, client):
    card_id, code = new_member(server, client)
    other_card, other_code = new_member(server, client)
    listed = client.card.get_card_list(OPENID)
    assert sorted(item["code"] for item in listed["card_list"]) == sorted([code, other_code])
    assert listed["has_share_card"] is False
    assert client.card.get_card_list(OPENID, card_id)["card_list"] == [{"code": code, "card_id": card_id}]
    client.card.consume_code(code, card_id)
    assert client.card.get_card_list(OPENID)["card_list"] == [{"code": other_code, "card_id": other_card}]


def test_decrypt_code(server, client):
    card = member_card()
    card_id = client.card.create(card)
    claimed = server.sandbox(client, "card/claim", {"card_id": card_id, "openid": OPENID})
    assert client.card.decrypt_code(claimed["encrypt_code"]) == claimed["code"]
