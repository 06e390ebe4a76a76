"""Pay-gift rules and simulated payments through wechatpy: add_pay_giftcard,
get_pay_giftcard, batch_get_pay_giftcard and del_pay_giftcard, with the seed's own example."""
import time

import pytest
from wechatpy.exceptions import WeChatClientException

from cards import member_card

OPENID = "obLatjjwDolFjRRd3doGIdwNqRXw"

# Member card 8.4.1's example, split as wechatpy's add_pay_giftcard takes it.
BASE_INFO = {"mchid_list": ["123", "456"], "begin_time": 1480317217, "end_time": 1580317217}


def member_rule(card_id, **changes):
    rule = {"card_id": card_id, "least_cost": 2, "max_cost": 20000, "jump_url": "www.qq.com"}
    rule.update(changes)
    return rule


def test_add_get_batch_get_and_delete(client):
    card_id = client.card.create(member_card())
    added = client.card.add_pay_giftcard(BASE_INFO, member_rule(card_id), True)
    assert added["errcode"] == 0 and added["succ_mchid_list"] == ["123", "456"] and added["fail_mchid_list"] == []
    rule_id = added["rule_id"]

    info = client.card.get_pay_giftcard(rule_id)
    assert info["type"] == "RULE_TYPE_PAY_MEMBER_CARD"
    assert info["base_info"]["mchid_list"] == ["123", "456"]
    assert info["base_info"]["begin_time"] == 1480317217 and info["base_info"]["end_time"] == 1580317217
    assert info["base_info"]["status"] == "RULE_STATUS_OK"
    assert isinstance(info["base_info"]["create_time"], int) and info["base_info"]["update_time"] >= info["base_info"]["create_time"]
    assert info["member_rule"] == member_rule(card_id)

    listed = client.card.batch_get_pay_giftcard()
    assert listed["total_count"] == 1 and listed["rule_list"][0]["member_rule"]["card_id"] == card_id

    client.card.del_pay_giftcard(rule_id)
    assert client.card.batch_get_pay_giftcard(effective=True)["total_count"] == 0
    assert client.card.batch_get_pay_giftcard(effective=False)["rule_list"][0]["base_info"]["status"] == "RULE_STATUS_DELETE"
    with pytest.raises(WeChatClientException) as error:
        client.card.get_pay_giftcard(rule_id)
    assert error.value.errcode == 40097


def test_whole_call_errors(client, other_client):
    card_id = client.card.create(member_card())
    with pytest.raises(WeChatClientException) as error:
        client.card.add_pay_giftcard(dict(BASE_INFO, mchid_list=[str(n) for n in range(11)]), member_rule(card_id), True)
    assert error.value.errcode == 72005
    theirs = other_client.card.create(member_card())
    with pytest.raises(WeChatClientException) as error:
        client.card.add_pay_giftcard(BASE_INFO, member_rule(theirs), True)
    assert error.value.errcode == 72002
    with pytest.raises(WeChatClientException) as error:
        client.card.add_pay_giftcard(dict(BASE_INFO, begin_time=1580317217), member_rule(card_id), True)
    assert error.value.errcode == 40079
    # Nothing was taken: the other app gets both ids.
    assert other_client.card.add_pay_giftcard(BASE_INFO, member_rule(theirs), True)["succ_mchid_list"] == ["123", "456"]


def test_occupied_mchids_and_the_gift_message(server, client, other_client):
    theirs = other_client.card.create(member_card())
    their_rule = other_client.card.add_pay_giftcard(dict(BASE_INFO, mchid_list=["1900000001"]), member_rule(theirs), True)["rule_id"]

    card_id = client.card.create(member_card())
    now = int(time.time())
    window = {"mchid_list": ["1900000001", "1900000002"], "begin_time": now - 60, "end_time": now + 3600}
    added = client.card.add_pay_giftcard(window, member_rule(card_id, least_cost=100, max_cost=1000), True)
    assert added["succ_mchid_list"] == ["1900000002"]
    failure = added["fail_mchid_list"][0]
    assert failure["mchid"] == "1900000001" and failure["errcode"] == 72004
    assert failure["occupy_rule_id"] == their_rule and failure["occupy_appid"] == other_client.appid

    paid = server.sandbox(client, "pay", {"mchid": "1900000002", "openid": OPENID, "total_fee": 500})
    assert paid["gift_card_id"] == card_id and len(paid["transaction_id"]) == 28
    again = server.sandbox(client, "pay", {"mchid": "1900000002", "openid": OPENID, "total_fee": 500})
    assert "gift_card_id" not in again
    messages = client.get("sandbox/user/messages", params={"openid": OPENID}, api_base_url=server.base + "/")["messages"]
    assert [m["kind"] for m in messages] == ["pay_gift"] and messages[0]["jump_url"] == "www.qq.com"
    payments = client.get("sandbox/payments", params={"openid": OPENID}, api_base_url=server.base + "/")["payments"]
    assert [p["transaction_id"] for p in payments] == [again["transaction_id"], paid["transaction_id"]]
