"""Payloads shared by the wechatpy suites: the spec's own examples."""
import copy

# WeChat's member card example (Creating a Card), completed with the fields it abridges.
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
                "service_phone": "020-88888888",
                "description": "不可与其他优惠同享",
                "date_info": {"type": "DATE_TYPE_PERMANENT"},
                "sku": {"quantity": 50000000},
                "get_limit": 3,
                "use_custom_code": False,
                "can_give_friend": True,
            },
            "supply_bonus": True,
            "supply_balance": False,
            "prerogative": "会员卡特权说明",
            "auto_activate": True,
            "custom_field1": {"name_type": "FIELD_NAME_TYPE_LEVEL", "url": "http://www.qq.com"},
        },
    }
}


def member_card(**base_changes):
    card = copy.deepcopy(MEMBER_CARD)
    card["card"]["member_card"]["base_info"].update(base_changes)
    return card
