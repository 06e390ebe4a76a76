"""wxcards quickstart: the first member-card flow, through the unmodified wechatpy SDK.

Start the server (it prints the demo app's appid and secret), then:

    pip install wechatpy==1.8.18 cryptography requests
    python examples/quickstart.py APPID SECRET            # --base http://127.0.0.1:8080

Each step prints what WeChat (here: wxcards) answered. `scripts/test` runs this very file
against a fresh server, so it stays true.
"""
import argparse
import json
import time

from wechatpy import WeChatClient


class WXCardsClient(WeChatClient):
    """wechatpy's own client, pointed at wxcards instead of api.weixin.qq.com."""

    def __init__(self, appid, secret, base, **kwargs):
        self.base = base
        super().__init__(appid, secret, **kwargs)
        self.API_BASE_URL = base + "/cgi-bin/"
        for api in list(vars(self).values()):  # client.card, client.datacube, ...
            if getattr(api, "API_BASE_URL", None):  # keep the group's path (datacube's is /datacube/)
                api.API_BASE_URL = api.API_BASE_URL.replace("https://api.weixin.qq.com/", base + "/")

    def fetch_access_token(self):
        return self._fetch_access_token(
            url=self.base + "/cgi-bin/token",
            params={"grant_type": "client_credential", "appid": self.appid, "secret": self.secret},
        )

    def sandbox(self, path, data=None, params=None):
        """A sandbox call: the user's and WeChat's side, simulated by wxcards (docs/sandbox.md)."""
        if data is None:
            return self.get("sandbox/" + path, params=params, api_base_url=self.base + "/")
        return self.post("sandbox/" + path, data=data, api_base_url=self.base + "/")


# A member card with points: the card's definition, as `/card/create` takes it.
MEMBER_CARD = {
    "card": {
        "card_type": "MEMBER_CARD",
        "member_card": {
            "background_pic_url": "https://mmbiz.qlogo.cn/mmbiz/",
            "base_info": {
                "logo_url": "http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0",
                "brand_name": "海底捞",
                "code_type": "CODE_TYPE_TEXT",
                "title": "海底捞会员卡",
                "color": "Color010",
                "notice": "使用时向服务员出示此券",
                "description": "不可与其他优惠同享",
                "date_info": {"type": "DATE_TYPE_PERMANENT"},
                "sku": {"quantity": 50000000},
                "get_limit": 3,
            },
            "supply_bonus": True,
            "supply_balance": False,
            "prerogative": "会员卡特权说明",
        },
    }
}


def show(step, value):
    print("%-28s %s" % (step, json.dumps(value, ensure_ascii=False)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("appid")
    parser.add_argument("secret")
    parser.add_argument("--base", default="http://127.0.0.1:8080", help="where wxcards listens")
    args = parser.parse_args()
    client = WXCardsClient(args.appid, args.secret, args.base.rstrip("/"))
    openid = "o_quickstart_%d" % int(time.time() * 1000)  # a new user each run

    # 1. A token, as from WeChat (wechatpy fetches it on first use and keeps it).
    show("1. access token", client.access_token[:16] + "…")

    # 2. The merchant creates a member card; approved at once (`serve --review auto`).
    card_id = client.card.create(MEMBER_CARD)
    show("2. card created", card_id)

    # 3. A user claims it in WeChat: simulated by the sandbox.
    claimed = client.sandbox("card/claim", {"openid": openid, "card_id": card_id})
    code = claimed["code"]
    show("3. user claimed, code", code)

    # 4. The merchant activates the card with 100 points to start with.
    client.card.activate_membercard(membership_number=code, code=code, card_id=card_id,
                                    init_bonus=100, init_bonus_record="welcome gift")
    show("4. activated", {"init_bonus": 100})

    # 5. After a purchase, the merchant adds 60 points; the user gets a message.
    updated = client.card.update_membercard(code, card_id, add_bonus=60, record_bonus="purchase")
    show("5. points added", {"result_bonus": updated["result_bonus"]})

    # 6. The member as the merchant sees them.
    member = client.card.get_membercard_user_info(card_id, code)
    show("6. member", {k: member[k] for k in ("openid", "bonus", "user_card_status", "membership_number")})
    assert member["bonus"] == 160

    # 7. What WeChat showed the user: newest first.
    messages = client.sandbox("user/messages", params={"openid": openid})["messages"]
    show("7. user's messages", [m["text"] for m in messages])

    # 8. Time passes: two hours and a minute later the token has expired (42001); wechatpy
    #    fetches a new one by itself and the call goes through.
    token = client.access_token
    now = client.sandbox("clock", {"advance_seconds": 7260})["now"]
    member = client.card.get_membercard_user_info(card_id, code)
    show("8. clock moved, now", {"now": now, "new token": client.access_token != token, "bonus": member["bonus"]})
    print("done: every step answered errcode 0")


if __name__ == "__main__":
    main()
