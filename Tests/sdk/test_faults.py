"""Injected faults and the request journal, as the merchant's code meets them through the
unmodified wechatpy: a 40001 it recovers from, a 45009 it raises, a -1 that changed nothing,
a slow answer, a dropped connection, a count, a rate; each app's own."""
import time

import pytest
import requests
from wechatpy.exceptions import APILimitedException, WeChatClientException

from cards import member_card

OPENID = "oFS7Fjl0WsZ9AMZqrI80nbIq0001"


def new_member(server, client):
    card_id = client.card.create(member_card())
    code = server.sandbox(client, "card/claim", {"openid": OPENID, "card_id": card_id})["code"]
    return card_id, code


def fault(server, client, **body):
    return server.sandbox(client, "faults", body)["id"]


def journal(server, client, **query):
    return client.get("sandbox/requests", params=query, api_base_url=server.base + "/")["requests"]


def test_an_injected_40001_makes_wechatpy_fetch_a_new_token_and_retry(server, client):
    card_id, code = new_member(server, client)
    old_token = client.access_token
    fault_id = fault(server, client, path="/card/membercard/userinfo/get", errcode=40001, count=1)
    info = client.card.get_membercard_user_info(card_id, code)
    assert info["openid"] == OPENID
    assert client.access_token != old_token
    calls = journal(server, client, path="/card/membercard/userinfo/get")
    assert [(c["errcode"], c["faulted"]) for c in calls[:2]] == [(0, False), (40001, True)]
    assert calls[1]["fault_id"] == fault_id


def test_an_injected_45009_reaches_the_caller_and_a_minus_1_changes_nothing(server, client):
    card_id, code = new_member(server, client)
    fault(server, client, path="/card/membercard/updateuser", errcode=45009, count=1)
    with pytest.raises(APILimitedException) as limited:
        client.card.update_membercard(code, card_id, add_bonus=10)
    assert limited.value.errcode == 45009 and "reach max api daily quota limit" in limited.value.errmsg
    fault(server, client, path="/card/membercard/updateuser", errcode=-1, count=1)
    with pytest.raises(WeChatClientException) as failed:
        client.card.update_membercard(code, card_id, add_bonus=10)
    assert failed.value.errcode == -1
    assert client.card.get_membercard_user_info(card_id, code)["bonus"] == 0
    assert client.card.update_membercard(code, card_id, add_bonus=10)["result_bonus"] == 10


def test_latency_delays_and_drop_surfaces_as_a_connection_error(server, client):
    card_id, code = new_member(server, client)
    fault(server, client, path="/card/membercard/userinfo/get", latency_ms=400, count=1)
    start = time.monotonic()
    assert client.card.get_membercard_user_info(card_id, code)["openid"] == OPENID
    assert time.monotonic() - start >= 0.4
    fault(server, client, path="/card/membercard/updateuser", drop=True, count=1)
    with pytest.raises((requests.exceptions.ConnectionError, WeChatClientException)):
        client.card.update_membercard(code, card_id, add_bonus=7)
    assert client.card.get_membercard_user_info(card_id, code)["bonus"] == 0
    dropped = journal(server, client, path="/card/membercard/updateuser")[0]
    assert dropped["faulted"] and "errcode" not in dropped


def test_count_expires_and_rate_affects_about_half(server, client):
    card_id, _ = new_member(server, client)
    fault_id = fault(server, client, path="/card/get", errcode=-1, count=3)
    outcomes = []
    for _ in range(5):
        try:
            client.card.get(card_id)
            outcomes.append(0)
        except WeChatClientException as error:
            outcomes.append(error.errcode)
    assert outcomes == [-1, -1, -1, 0, 0]
    listed = client.get("sandbox/faults", api_base_url=server.base + "/")["faults"]
    assert [(f["id"], f["hits"], f["remaining"]) for f in listed] == [(fault_id, 3, 0)]
    server.sandbox(client, "faults/delete", {"all": True})
    fault(server, client, path="/card/get", errcode=45009, rate=0.5)
    limited = 0
    for _ in range(200):
        try:
            client.card.get(card_id)
        except APILimitedException:
            limited += 1
    assert 60 <= limited <= 140, limited


def test_faults_and_journals_stay_within_their_app(server, client, other_client):
    card_id, _ = new_member(server, client)
    their_card = other_client.card.create(member_card())
    fault(server, client, path="/*", errcode=-1)
    with pytest.raises(WeChatClientException):
        client.card.get(card_id)
    assert other_client.card.get(their_card)["card_type"] == "MEMBER_CARD"
    assert other_client.get("sandbox/faults", api_base_url=server.base + "/")["faults"] == []
    theirs = journal(server, other_client)
    assert theirs and all(c["path"] != "/card/get" or not c["faulted"] for c in theirs)
    mine = journal(server, client)
    assert card_id in mine[0]["body"] and their_card not in str(mine)
    # The token never shows in anyone's journal.
    assert client.access_token not in str(mine) and other_client.access_token not in str(theirs)
    server.sandbox(client, "faults/delete", {"all": True})
    assert client.card.get(card_id)["card_type"] == "MEMBER_CARD"
