import Foundation
@testable import WXCards

/// The spec's own example payloads (Creating a Card, Member card 8.2, 8.3, 8.5), so tests read beside the spec.
enum CardPayloads {
    /// Creating a Card's member card example (the official CN page), completed with the fields it abridges.
    static let memberCardJSON = #"""
    {"card":{"card_type":"MEMBER_CARD","member_card":{"background_pic_url":"https://mmbiz.qlogo.cn/mmbiz/",
     "base_info":{"logo_url":"http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0","brand_name":"海底捞","code_type":"CODE_TYPE_TEXT",
      "title":"海底捞会员卡","color":"Color010","notice":"使用时向服务员出示此券","service_phone":"020-88888888",
      "description":"不可与其他优惠同享","date_info":{"type":"DATE_TYPE_PERMANENT"},"sku":{"quantity":50000000},
      "get_limit":3,"use_custom_code":false,"can_give_friend":true},
     "supply_bonus":true,"supply_balance":false,"prerogative":"会员卡特权说明","auto_activate":true,
     "custom_field1":{"name_type":"FIELD_NAME_TYPE_LEVEL","url":"http://www.qq.com"}}}}
    """#

    /// Member card 8.2's update example (its JavaScript comment removed).
    static let seedUpdateJSON = #"""
    {"card_id": "CARD_ID","member_card": {"background_pic_url": "https://mmbiz.qlogo.cn/mmbiz/0?wx_fmt=jpeg",
     "base_info": {"logo_url": "http:\/\/www.supadmin.cn\/uploads\/allimg\/120216\/1_120216214725_1.jpg","color": "Color010",
      "notice": "Present this coupon to the waiter at the time of use","service_phone": "020-88888888",
      "description": "Using with other coupons is not allowed.\nAsk the merchant for an invoice for the group purchase during check-out.\nAvailable for in-store dining only.\nTakeout is offered for leftovers after dining only.\nThis coupon is for 2 persons. You may have to pay a 5-CNY sauce fee for each extra person.\nDo not bring your own drink.",
      "location_id_list": [123, 12321, 345345]},
     "bonus_cleared": "aaaaaaaaaaaaaa","bonus_rules": "aaaaaaaaaaaaaa","prerogative": "","auto_activate": true}}
    """#

    /// Member card 8.3's example: a coupon recommended on the activation message.
    static func seedRecommendation(cardID: String, recommended: String) -> [String: Any] {
        ["card_id": cardID, "member_card": ["activate_msg_operation": ["url_cell": [
            "card_id_list": [recommended], "end_time": 1_492_724_561,
            "text": "Congrats! You are gifted a 50 CNY coupon.", "url": "www.qq.com"]]]]
    }

    static func memberCard() -> [String: Any] { object(memberCardJSON) }

    /// The member card with changes applied to its `member_card` and `base_info` objects.
    static func memberCard(member: [String: Any] = [:], base: [String: Any] = [:], remove: [String] = []) -> [String: Any] {
        var payload = memberCard()
        var card = payload["card"] as! [String: Any]
        var body = card["member_card"] as! [String: Any]
        var baseInfo = body["base_info"] as! [String: Any]
        for (key, value) in base { baseInfo[key] = value }
        for (key, value) in member { body[key] = value }
        for key in remove { baseInfo[key] = nil; body[key] = nil }
        body["base_info"] = baseInfo
        card["member_card"] = body
        payload["card"] = card
        return payload
    }

    /// A coupon of `type` with the same base_info and its own required field.
    static func coupon(_ type: CardType, extra: [String: Any] = [:], base: [String: Any] = [:]) -> [String: Any] {
        var baseInfo = (object(memberCardJSON)["card"] as! [String: Any])["member_card"].flatMap { ($0 as! [String: Any])["base_info"] } as! [String: Any]
        baseInfo["date_info"] = ["type": "DATE_TYPE_FIX_TERM", "fixed_term": 30, "fixed_begin_term": 0]
        baseInfo["sku"] = ["quantity": 100]
        for (key, value) in base { baseInfo[key] = value }
        var body: [String: Any] = ["base_info": baseInfo]
        switch type {
        case .groupon: body["deal_detail"] = "双人套餐"
        case .cash: body["reduce_cost"] = 500; body["least_cost"] = 1000
        case .discount: body["discount"] = 30
        case .gift: body["gift"] = "可兑换饮料一杯"
        case .generalCoupon: body["default_detail"] = "优惠说明"
        case .memberCard: break
        }
        for (key, value) in extra { body[key] = value }
        return ["card": ["card_type": type.rawValue, type.bodyKey: body]]
    }

    static func object(_ json: String) -> [String: Any] {
        try! JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    }

    /// The same payload as a JSONValue object, for the pure rules.
    static func value(_ payload: [String: Any]) -> [String: JSONValue] {
        let data = try! JSONSerialization.data(withJSONObject: payload)
        return try! JSONDecoder().decode([String: JSONValue].self, from: data)
    }
}

extension TestServer {
    /// Creates a card through `/card/create` and answers its card_id.
    func createCard(_ payload: [String: Any] = CardPayloads.memberCard(), token: String) async throws -> String {
        let answer = try await post("/card/create", token: token, json: payload)
        #expect(errcode(answer) == 0, "create failed: \(answer)")
        return try #require(answer["card_id"] as? String)
    }

    /// `/card/get`'s `card.<type>` object.
    func getCard(_ cardID: String, token: String, key: String = "member_card") async throws -> [String: Any] {
        let answer = try await post("/card/get", token: token, json: ["card_id": cardID])
        #expect(errcode(answer) == 0, "get failed: \(answer)")
        let card = try #require(answer["card"] as? [String: Any])
        return try #require(card[key] as? [String: Any])
    }
}

import Testing
