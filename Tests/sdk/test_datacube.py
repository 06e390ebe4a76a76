"""The card statistics through wechatpy's datacube API group.

wechatpy 1.8.18's WeChatDataCube has no card reports of its own; these calls go through that
group exactly as its methods do: `_post` on its /datacube/ base, dates made by its
`_to_date_str`, the answer's `list` taken by a result processor.
"""
import datetime

import pytest
from wechatpy.exceptions import WeChatClientException

from cards import member_card

CHINA = datetime.timezone(datetime.timedelta(hours=8))


def china_date(now):
    return datetime.datetime.fromtimestamp(now, CHINA).date()


def report(client, path, begin, end, **fields):
    cube = client.datacube
    data = {"begin_date": cube._to_date_str(begin), "end_date": cube._to_date_str(end)}
    data.update(fields)
    return cube._post(path, data=data, result_processor=lambda answer: answer["list"])


def test_a_day_of_member_card_activity_in_all_four_reports(server, client):
    card_id = client.card.create(member_card())
    claimed = [server.sandbox(client, "card/claim", {"card_id": card_id, "openid": "o_user_%d" % n}) for n in (1, 2, 3)]
    server.sandbox(client, "card/view", {"card_id": card_id, "code": claimed[0]["code"], "openid": "o_user_1"})
    client.card.consume_code(claimed[2]["code"], card_id)
    now = server.advance_clock(client, 0)["now"]
    day = china_date(now)

    # Today is not over: WeChat reports whole past days only.
    with pytest.raises(WeChatClientException) as refused:
        report(client, "getcardmembercardinfo", day, day, cond_source=1)
    assert refused.value.errcode == 61501

    # Past the next midnight (China time), the day is closed. wechatpy fetches a new token itself.
    server.advance_clock(client, 86400)
    members = report(client, "getcardmembercardinfo", day, day, cond_source=1)
    assert members == [{
        "ref_date": day.isoformat(), "view_cnt": 1, "view_user": 1, "receive_cnt": 3, "receive_user": 3,
        "active_cnt": 3, "active_user": 3, "verify_cnt": 1, "verify_user": 1, "total_user": 2, "total_receive_user": 3,
    }]
    detail = report(client, "getcardmembercarddetail", day - datetime.timedelta(days=1), day, card_id=card_id)
    assert [row["ref_date"] for row in detail] == [(day - datetime.timedelta(days=1)).isoformat(), day.isoformat()]
    assert detail[1]["cardid"] == card_id and detail[1]["new_user"] == 3 and detail[1]["active_cnt"] == 3
    assert detail[1]["merchanttype"] == 0 and detail[1]["submerchantid"] == 0
    assert detail[1]["payOriginalFee"] == 0 and detail[1]["fee"] == 0
    assert detail[0]["receive_cnt"] == 0 and detail[0]["total_user"] == 0

    overview = report(client, "getcardbizuininfo", day, day, cond_source=1)
    assert overview[0]["receive_cnt"] == 3 and overview[0]["verify_cnt"] == 1 and overview[0]["view_user"] == 1
    # The member card is not a coupon, and no console cards exist.
    assert report(client, "getcardcardinfo", day, day, cond_source=1) == []
    assert report(client, "getcardbizuininfo", day, day, cond_source=0)[0]["receive_cnt"] == 0


def test_the_date_rules_and_another_apps_card(server, client, other_client):
    card_id = client.card.create(member_card())
    now = server.advance_clock(client, 0)["now"]
    yesterday = china_date(now) - datetime.timedelta(days=1)
    cases = [
        ({"begin_date": "2015-6-15", "end_date": "2015-06-30", "cond_source": 0}, 61500),
        ({"begin_date": "2015-06-15", "end_date": "2015-08-30", "cond_source": 0}, 61501),
        ({"begin_date": "2015-06-30", "end_date": "2015-06-15", "cond_source": 0}, 61501),
        ({"begin_date": "2015-06-15", "end_date": "2015-06-30", "cond_source": 2}, 40097),
        ({"begin_date": "2015-06-15", "end_date": "2015-06-30"}, 41011),
    ]
    for data, code in cases:
        with pytest.raises(WeChatClientException) as error:
            client.datacube._post("getcardbizuininfo", data=data)
        assert error.value.errcode == code, data
    # The spec's example request: days long past, one row each.
    assert len(client.datacube._post("getcardbizuininfo", data={
        "begin_date": "2015-06-15", "end_date": "2015-06-30", "cond_source": 0})["list"]) == 16

    with pytest.raises(WeChatClientException) as error:
        report(other_client, "getcardmembercarddetail", yesterday, yesterday, card_id=card_id)
    assert error.value.errcode == 40073
