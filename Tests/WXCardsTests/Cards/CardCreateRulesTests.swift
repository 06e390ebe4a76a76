import Testing
@testable import WXCards

/// `/card/create` validation, rule by rule, on the pure rules (Creating a Card).
@Suite struct CardCreateRulesTests {
    let now: Int64 = 1_790_000_000

    func create(_ payload: [String: Any], pay: Bool = true) throws -> CardRules.NewCard {
        try CardRules.validateCreate(CardPayloads.value(payload).object("card"), payEnabled: pay, now: now)
    }

    func code(_ payload: [String: Any], pay: Bool = true) -> Int? {
        do { _ = try create(payload, pay: pay); return 0 } catch let error as WeChatError { return error.code } catch { return nil }
    }

    @Test func theSpecExampleIsAccepted() throws {
        let card = try create(CardPayloads.memberCard())
        #expect(card.type == .memberCard)
        #expect(card.quantity == 50_000_000)
        #expect(card.body.object("base_info")?.object("date_info")?.string("type") == "DATE_TYPE_PERMANENT")
        #expect(card.body.object("base_info")?["sku"] == nil)
        #expect(card.body.object("custom_field1")?.string("name_type") == "FIELD_NAME_TYPE_LEVEL")
    }

    @Test(arguments: ["logo_url", "code_type", "brand_name", "title", "color", "notice", "description", "sku", "date_info"])
    func requiredBaseInfoFields(field: String) {
        #expect(code(CardPayloads.memberCard(remove: [field])) == 41011)
    }

    @Test(arguments: ["prerogative", "supply_bonus", "supply_balance"])
    func requiredMemberCardFields(field: String) {
        #expect(code(CardPayloads.memberCard(remove: [field])) == 41011)
    }

    @Test func missingCardOrTypeObject() {
        #expect(code([:]) == 41011)
        #expect(code(["card": ["card_type": "MEMBER_CARD"]]) == 41011)
        #expect(code(["card": ["member_card": [:]]]) == 41011)
    }

    @Test(arguments: ["SCENIC_TICKET", "member_card", "LUCKY_MONEY", ""])
    func unsupportedCardTypeIs40071(type: String) {
        #expect(code(["card": ["card_type": type, "member_card": [:]]]) == 40071)
    }

    @Test func stringLimitsCountBytes() {
        // title is string(27): nine Chinese characters (27 bytes) fit, ten do not.
        #expect(code(CardPayloads.memberCard(base: ["title": String(repeating: "会", count: 9)])) == 0)
        #expect(code(CardPayloads.memberCard(base: ["title": String(repeating: "会", count: 10)])) == 45021)
        #expect(code(CardPayloads.memberCard(base: ["title": String(repeating: "a", count: 27)])) == 0)
        #expect(code(CardPayloads.memberCard(base: ["title": String(repeating: "a", count: 28)])) == 45021)
        #expect(code(CardPayloads.memberCard(base: ["brand_name": String(repeating: "海", count: 13)])) == 45021)
        #expect(code(CardPayloads.memberCard(base: ["notice": String(repeating: "x", count: 49)])) == 45021)
        #expect(code(CardPayloads.memberCard(base: ["logo_url": "http://" + String(repeating: "x", count: 122)])) == 45021)
        #expect(code(CardPayloads.memberCard(member: ["prerogative": String(repeating: "特", count: 1025)])) == 45021)
    }

    @Test func wrongTypesAre47001() {
        #expect(code(CardPayloads.memberCard(base: ["use_custom_code": "false"])) == 47001)
        #expect(code(CardPayloads.memberCard(base: ["bind_openid": 1])) == 47001)
        #expect(code(CardPayloads.memberCard(base: ["get_limit": "3"])) == 47001)
        #expect(code(CardPayloads.memberCard(base: ["sku": ["quantity": "5"]])) == 47001)
        #expect(code(CardPayloads.memberCard(member: ["supply_bonus": "true"])) == 47001)
        var payload = CardPayloads.memberCard()
        var card = payload["card"] as! [String: Any]
        var body = card["member_card"] as! [String: Any]
        body["base_info"] = "x"
        card["member_card"] = body
        payload["card"] = card
        #expect(code(payload) == 47001)
    }

    @Test func colorsAndCodeTypes() {
        for color in CardColor.names { #expect(code(CardPayloads.memberCard(base: ["color": color])) == 0) }
        #expect(code(CardPayloads.memberCard(base: ["color": "Color011"])) == 40076)
        #expect(code(CardPayloads.memberCard(base: ["color": "#63b359"])) == 40076)
        for type in CodeType.names { #expect(code(CardPayloads.memberCard(base: ["code_type": type])) == 0) }
        #expect(code(CardPayloads.memberCard(base: ["code_type": "CODE_TYPE_PDF417"])) == 40097)
    }

    @Test func dateInfoTypes() throws {
        let range: [String: Any] = ["type": "DATE_TYPE_FIX_TIME_RANGE", "begin_timestamp": now - 10, "end_timestamp": now + 86_400]
        #expect(code(CardPayloads.memberCard(base: ["date_info": range])) == 0)
        // The legacy numeric form is accepted and stored as the string.
        let numeric = try create(CardPayloads.memberCard(base: ["date_info": ["type": 1, "begin_timestamp": now, "end_timestamp": now + 60]]))
        #expect(numeric.body.object("base_info")?.object("date_info")?.string("type") == "DATE_TYPE_FIX_TIME_RANGE")
        #expect(code(CardPayloads.memberCard(base: ["date_info": ["type": "DATE_TYPE_FIX_TERM", "fixed_term": 30]])) == 0)
        #expect(code(CardPayloads.memberCard(base: ["date_info": ["type": 2, "fixed_term": 30, "fixed_begin_term": 1]])) == 0)
    }

    @Test func invalidDatesAre40079() {
        let cases: [[String: Any]] = [
            ["type": "DATE_TYPE_NEVER"],
            ["type": 3],
            ["type": "DATE_TYPE_FIX_TIME_RANGE", "begin_timestamp": now + 100, "end_timestamp": now + 100],
            ["type": "DATE_TYPE_FIX_TIME_RANGE", "begin_timestamp": now + 100],
            ["type": "DATE_TYPE_FIX_TIME_RANGE", "begin_timestamp": now - 200, "end_timestamp": now - 100],
            ["type": "DATE_TYPE_FIX_TERM", "fixed_term": 0],
            ["type": "DATE_TYPE_FIX_TERM"],
            ["type": "DATE_TYPE_FIX_TERM", "fixed_term": 10, "fixed_begin_term": -1],
        ]
        for dateInfo in cases {
            #expect(code(CardPayloads.memberCard(base: ["date_info": dateInfo])) == 40079, "\(dateInfo)")
        }
        // Only member cards are permanent.
        #expect(code(CardPayloads.coupon(.cash, base: ["date_info": ["type": "DATE_TYPE_PERMANENT"]])) == 40079)
    }

    @Test func skuQuantityRange() {
        #expect(code(CardPayloads.memberCard(base: ["sku": ["quantity": 1]])) == 0)
        #expect(code(CardPayloads.memberCard(base: ["sku": ["quantity": 100_000_000]])) == 0)
        #expect(code(CardPayloads.memberCard(base: ["sku": ["quantity": 100_000_001]])) == 40122)
        #expect(code(CardPayloads.memberCard(base: ["sku": ["quantity": 0]])) == 40122)
        #expect(code(CardPayloads.memberCard(base: ["sku": ["quantity": -1]])) == 40122)
    }

    @Test func customCodesAndDepositMode() {
        #expect(code(CardPayloads.memberCard(base: ["use_custom_code": true, "bind_openid": true])) == 0)
        let deposit: [String: Any] = ["use_custom_code": true, "get_custom_code_mode": "GET_CUSTOM_CODE_MODE_DEPOSIT", "sku": ["quantity": 0]]
        #expect(code(CardPayloads.memberCard(base: deposit)) == 0)
        var withStock = deposit
        withStock["sku"] = ["quantity": 10]
        #expect(code(CardPayloads.memberCard(base: withStock)) == 40122)
        var withoutCustom = deposit
        withoutCustom["use_custom_code"] = false
        #expect(code(CardPayloads.memberCard(base: withoutCustom)) == 40097)
        var otherMode = deposit
        otherMode["get_custom_code_mode"] = "GET_CUSTOM_CODE_MODE_OTHER"
        #expect(code(CardPayloads.memberCard(base: otherMode)) == 40097)
    }

    @Test func getLimit() {
        #expect(code(CardPayloads.memberCard(base: ["get_limit": 1])) == 0)
        #expect(code(CardPayloads.memberCard(base: ["get_limit": 0])) == 40097)
        #expect(code(CardPayloads.memberCard(base: ["get_limit": -5])) == 40097)
    }

    @Test func wxActivateAndActivateURLAreMutuallyExclusive() {
        #expect(code(CardPayloads.memberCard(member: ["wx_activate": true])) == 0)
        #expect(code(CardPayloads.memberCard(member: ["activate_url": "https://example.com/activate"])) == 0)
        #expect(code(CardPayloads.memberCard(member: ["wx_activate": true, "activate_url": "https://example.com/activate"])) == 40097)
        #expect(code(CardPayloads.memberCard(member: ["wx_activate": false, "activate_url": "https://example.com/activate"])) == 0)
    }

    @Test func customFieldsAndCells() {
        for nameType in CustomFieldNameType.names {
            #expect(code(CardPayloads.memberCard(member: ["custom_field2": ["name_type": nameType]])) == 0)
        }
        #expect(code(CardPayloads.memberCard(member: ["custom_field3": ["name": "积分等级", "url": "http://www.qq.com"]])) == 0)
        #expect(code(CardPayloads.memberCard(member: ["custom_field1": ["name_type": "FIELD_NAME_TYPE_GOLD"]])) == 40097)
        #expect(code(CardPayloads.memberCard(member: ["custom_field1": ["url": "http://www.qq.com"]])) == 41011)
        #expect(code(CardPayloads.memberCard(member: ["custom_field1": ["name": String(repeating: "等", count: 9)]])) == 45021)
        let cell: [String: Any] = ["name": "使用入口2", "tips": "激活后显示", "url": "http://www.qq.com"]
        #expect(code(CardPayloads.memberCard(member: ["custom_cell1": cell])) == 0)
        var noTips = cell
        noTips["tips"] = nil
        #expect(code(CardPayloads.memberCard(member: ["custom_cell1": noTips])) == 41011)
        var longTips = cell
        longTips["tips"] = "七个汉字的提示"
        #expect(code(CardPayloads.memberCard(member: ["custom_cell1": longTips])) == 45021)
    }

    @Test func bonusRule() {
        let rule: [String: Any] = [
            "cost_money_unit": 100, "increase_bonus": 1, "max_increase_bonus": 200, "init_increase_bonus": 10,
            "cost_bonus_unit": 5, "reduce_money": 100, "least_money_to_use_bonus": 1000, "max_reduce_bonus": 50,
        ]
        #expect(code(CardPayloads.memberCard(member: ["bonus_rule": rule])) == 0)
        var negative = rule
        negative["max_reduce_bonus"] = -1
        #expect(code(CardPayloads.memberCard(member: ["bonus_rule": negative])) == 40097)
        var noUnit = rule
        noUnit["cost_money_unit"] = 0
        #expect(code(CardPayloads.memberCard(member: ["bonus_rule": noUnit])) == 40097)
        var noStep = rule
        noStep["cost_bonus_unit"] = nil
        #expect(code(CardPayloads.memberCard(member: ["bonus_rule": noStep])) == 40097)
        var wrongType = rule
        wrongType["increase_bonus"] = "1"
        #expect(code(CardPayloads.memberCard(member: ["bonus_rule": wrongType])) == 47001)
    }

    @Test func discount() {
        #expect(code(CardPayloads.memberCard(member: ["discount": 10])) == 0)
        #expect(code(CardPayloads.memberCard(member: ["discount": 100])) == 40097)
        #expect(code(CardPayloads.memberCard(member: ["discount": -1])) == 40097)
        #expect(code(CardPayloads.coupon(.discount, extra: ["discount": 0])) == 40097)
        #expect(code(CardPayloads.coupon(.discount, extra: ["discount": 30])) == 0)
    }

    @Test(arguments: [CardType.groupon, .cash, .discount, .gift, .generalCoupon])
    func couponTypesWithTheirOwnFields(type: CardType) throws {
        let card = try create(CardPayloads.coupon(type))
        #expect(card.type == type)
        let required = ["GROUPON": "deal_detail", "CASH": "reduce_cost", "DISCOUNT": "discount", "GIFT": "gift", "GENERAL_COUPON": "default_detail"][type.rawValue]!
        #expect(code(CardPayloads.coupon(type, extra: [required: NSNull()])) == 41011)
    }

    @Test func swipeCardNeedsWeChatPay() throws {
        let payload = CardPayloads.memberCard(base: ["pay_info": ["swipe_card": ["is_swipe_card": true]], "is_pay_and_qrcode": true])
        let card = try create(payload)
        #expect(card.body.object("base_info")?.object("pay_info")?.object("swipe_card")?.bool("is_swipe_card") == true)
        #expect(card.body.object("base_info")?.bool("is_pay_and_qrcode") == true)
        #expect(code(payload, pay: false) == 43008)
        #expect(code(CardPayloads.memberCard(base: ["pay_info": ["swipe_card": ["is_swipe_card": false]]]), pay: false) == 0)
    }

    @Test func cardIDsLookLikeWeChats() {
        let ids = (0..<1000).map { _ in CardIDs.make() }
        #expect(Set(ids).count == 1000)
        #expect(ids.allSatisfy { $0.count == 28 && $0.hasPrefix("p") })
    }
}

import Foundation
