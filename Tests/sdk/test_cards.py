"""Card definitions through wechatpy: card.create, get, batch_get, update,
delete and modify_stock, with the spec's example payloads."""
import pytest
from wechatpy.exceptions import WeChatClientException

from cards import MEMBER_CARD, member_card


def test_create_and_get(client):
    card_id = client.card.create(MEMBER_CARD)
    assert card_id.startswith("p") and len(card_id) == 28
    card = client.card.get(card_id)
    assert card["card_type"] == "MEMBER_CARD"
    base = card["member_card"]["base_info"]
    assert base["id"] == card_id
    assert base["status"] == "CARD_STATUS_VERIFY_OK"
    assert base["sku"] == {"quantity": 50000000, "total_quantity": 50000000}
    assert base["brand_name"] == "海底捞" and base["title"] == "海底捞会员卡"
    assert base["date_info"] == {"type": "DATE_TYPE_PERMANENT"}
    assert card["member_card"]["custom_field1"] == {"name_type": "FIELD_NAME_TYPE_LEVEL", "url": "http://www.qq.com"}


def test_create_errors(client):
    with pytest.raises(WeChatClientException) as error:
        client.card.create(member_card(color="Color999"))
    assert error.value.errcode == 40076
    with pytest.raises(WeChatClientException) as error:
        client.card.create(member_card(title="一二三四五六七八九十"))
    assert error.value.errcode == 45021


def test_batch_get_and_delete(client):
    ids = [client.card.create(MEMBER_CARD) for _ in range(3)]
    listed = client.card.batch_get(0, 50)
    assert listed["total_num"] == 3 and sorted(listed["card_id_list"]) == sorted(ids)
    client.card.delete(ids[0])
    assert client.card.get(ids[0])["member_card"]["base_info"]["status"] == "CARD_STATUS_DELETE"
    listed = client.card.batch_get(0, 50, ["CARD_STATUS_VERIFY_OK"])
    assert listed["total_num"] == 2 and ids[0] not in listed["card_id_list"]


def test_update_follows_section_8_2(client):
    card_id = client.card.create(MEMBER_CARD)
    answer = client.card.update({"card_id": card_id, "member_card": {"base_info": {"notice": "请出示会员卡"}, "bonus_rules": "每消费1元积1分"}})
    assert answer["send_check"] is False
    answer = client.card.update({"card_id": card_id, "member_card": {"base_info": {"title": "海底捞金卡"}}})
    assert answer["send_check"] is True
    # Member card 8.5: swipe-card payment, set by update and shown by get.
    client.card.update({"card_id": card_id, "member_card": {"base_info": {"pay_info": {"swipe_card": {"is_swipe_card": True}}}}})
    base = client.card.get(card_id)["member_card"]["base_info"]
    assert base["pay_info"] == {"swipe_card": {"is_swipe_card": True}}
    assert base["title"] == "海底捞金卡" and base["notice"] == "请出示会员卡"
    with pytest.raises(WeChatClientException) as error:
        client.card.update({"card_id": card_id, "member_card": {"base_info": {"brand_name": "别的品牌"}}})
    assert error.value.errcode == 40097
    with pytest.raises(WeChatClientException) as error:
        client.card.update({"card_id": card_id, "member_card": {"supply_bonus": False}})
    assert error.value.errcode == 40135
    assert client.card.get(card_id)["member_card"]["base_info"]["brand_name"] == "海底捞"


def test_modify_stock(client):
    card_id = client.card.create(member_card(sku={"quantity": 100}))
    client.card.modify_stock(card_id, 20)
    client.card.modify_stock(card_id, -50)
    assert client.card.get(card_id)["member_card"]["base_info"]["sku"] == {"quantity": 70, "total_quantity": 70}
    with pytest.raises(WeChatClientException) as error:
        client.card.modify_stock(card_id, -71)
    assert error.value.errcode == 40122
    assert client.card.get(card_id)["member_card"]["base_info"]["sku"]["quantity"] == 70


def test_another_apps_card_is_unknown(client, other_client):
    card_id = client.card.create(MEMBER_CARD)
    for call in (lambda: other_client.card.get(card_id), lambda: other_client.card.delete(card_id),
                 lambda: other_client.card.modify_stock(card_id, 5),
                 lambda: other_client.card.update({"card_id": card_id, "member_card": {"prerogative": "x"}})):
        with pytest.raises(WeChatClientException) as error:
            call()
        assert error.value.errcode == 40073
    assert other_client.card.batch_get(0, 50)["total_num"] == 0
    card = client.card.get(card_id)
    assert card["member_card"]["base_info"]["status"] == "CARD_STATUS_VERIFY_OK"
    assert card["member_card"]["prerogative"] == "会员卡特权说明"
