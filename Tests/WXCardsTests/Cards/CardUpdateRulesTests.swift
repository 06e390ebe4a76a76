import Foundation
import Testing
@testable import WXCards

/// `/card/update` (Member card 8.2, 8.3, 8.5) on the pure rules.
@Suite struct CardUpdateRulesTests {
    let now: Int64 = 1_790_000_000

    func card(_ payload: [String: Any] = CardPayloads.memberCard()) throws -> CardDefinition {
        let new = try CardRules.validateCreate(CardPayloads.value(payload).object("card"), payEnabled: true, now: now)
        return CardDefinition(appid: "wxa", cardID: "pCARD", type: new.type, status: .verifyOK, body: new.body,
                              quantity: new.quantity, totalQuantity: new.quantity, createTime: now, updateTime: now)
    }

    func update(_ changes: [String: Any], base: [String: Any]? = nil, on card: CardDefinition? = nil, pay: Bool = true) throws -> CardRules.Update {
        var member = changes
        if let base { member["base_info"] = base }
        return try CardRules.validateUpdate(CardPayloads.value(["card_id": "pCARD", "member_card": member]), card: try card ?? self.card(), payEnabled: pay)
    }

    func code(_ changes: [String: Any], base: [String: Any]? = nil, on card: CardDefinition? = nil, pay: Bool = true) -> Int? {
        do { _ = try update(changes, base: base, on: card, pay: pay); return 0 } catch let error as WeChatError { return error.code } catch { return nil }
    }

    @Test func theSeedExampleIsAnUpdate() throws {
        var payload = CardPayloads.object(CardPayloads.seedUpdateJSON)
        payload["card_id"] = "pCARD"
        // Verbatim, its English notice (52 bytes) is over notice's string(48), counted in bytes.
        do {
            _ = try CardRules.validateUpdate(CardPayloads.value(payload), card: try card(), payEnabled: true)
            Issue.record("the 52-byte notice was accepted")
        } catch let error as WeChatError { #expect(error.code == 45021) }
        // With the notice of the Chinese original (33 bytes) it goes through.
        var member = payload["member_card"] as! [String: Any]
        var base = member["base_info"] as! [String: Any]
        base["notice"] = "使用时向服务员出示此券"
        member["base_info"] = base
        payload["member_card"] = member
        let result = try CardRules.validateUpdate(CardPayloads.value(payload), card: try card(), payEnabled: true)
        // description changes, and it is a reviewed field.
        #expect(result.sendCheck)
        #expect(result.body.string("bonus_rules") == "aaaaaaaaaaaaaa")
        #expect(result.body.object("base_info")?["location_id_list"] == .array([.int(123), .int(12321), .int(345345)]))
        // Untouched fields stay.
        #expect(result.body.object("base_info")?.string("brand_name") == "海底捞")
    }

    @Test(arguments: ["brand_name", "sku", "use_custom_code", "bind_openid", "sub_title", "id", "status"])
    func fieldsOutsideTheTablesFailTheWholeUpdate(field: String) {
        #expect(code([:], base: ["notice": "新的提示", field: "x"]) == 40097)
    }

    @Test func unknownMemberCardFieldsAndTopLevelKeysFail() {
        #expect(code(["card_type": "MEMBER_CARD"]) == 40097)
        #expect(code(["supply_bonus": true, "advanced_info": [:]]) == 40097)
        #expect(thrownErrcode { try CardRules.validateUpdate(CardPayloads.value(["card_id": "pCARD", "member_card": [:], "brand_name": "x"]),
                                                             card: try card(), payEnabled: true) } == 40097)
        // Another type's object for this card.
        do {
            _ = try CardRules.validateUpdate(CardPayloads.value(["card_id": "pCARD", "cash": ["reduce_cost": 1]]), card: try card(), payEnabled: true)
            Issue.record("expected an error")
        } catch let error as WeChatError { #expect(error.code == 40071) } catch { Issue.record("\(error)") }
    }

    @Test(arguments: [("title", "新会员卡"), ("description", "新的说明")])
    func reviewedBaseInfoFieldsSetSendCheck(field: String, value: String) throws {
        #expect(try update([:], base: [field: value]).sendCheck)
    }

    @Test func reviewedMemberFieldsSetSendCheck() throws {
        let noBalance = try card()
        #expect(try update(["supply_balance": true], on: noBalance).sendCheck)
        #expect(try update(["discount": 10]).sendCheck)
        let noBonus = try card(CardPayloads.memberCard(member: ["supply_bonus": false]))
        #expect(try update(["supply_bonus": true], on: noBonus).sendCheck)
    }

    @Test func otherFieldsAndUnchangedValuesDoNot() throws {
        #expect(!(try update([:], base: ["notice": "新的提示", "color": "Color020", "get_limit": 1]).sendCheck))
        #expect(!(try update(["prerogative": "新特权", "background_pic_url": "https://mmbiz.qlogo.cn/x"]).sendCheck))
        // Sending a reviewed field with its current value changes nothing.
        #expect(!(try update(["supply_bonus": true], base: ["title": "海底捞会员卡"]).sendCheck))
    }

    @Test func supplyBonusAndBalanceOnlyGoFromFalseToTrue() throws {
        #expect(code(["supply_bonus": false]) == 40135)
        let withBalance = try card(CardPayloads.memberCard(member: ["supply_balance": true]))
        #expect(code(["supply_balance": false], on: withBalance) == 40097)
        #expect(code(["supply_balance": true], on: withBalance) == 0)
        let noBonus = try card(CardPayloads.memberCard(member: ["supply_bonus": false]))
        #expect(try update(["supply_bonus": true], on: noBonus).body.bool("supply_bonus") == true)
    }

    func rangeCard() throws -> CardDefinition {
        try card(CardPayloads.memberCard(base: ["date_info": ["type": "DATE_TYPE_FIX_TIME_RANGE", "begin_timestamp": now, "end_timestamp": now + 1000]]))
    }

    @Test func dateRangeMayOnlyGrow() throws {
        let card = try rangeCard()
        let longer = try update([:], base: ["date_info": ["type": 1, "end_timestamp": now + 5000]], on: card)
        #expect(longer.body.object("base_info")?.object("date_info")?.int("end_timestamp") == now + 5000)
        #expect(longer.body.object("base_info")?.object("date_info")?.int("begin_timestamp") == now)
        #expect(code([:], base: ["date_info": ["type": "DATE_TYPE_FIX_TIME_RANGE", "begin_timestamp": now - 100, "end_timestamp": now + 1000]], on: card) == 0)
        #expect(code([:], base: ["date_info": ["end_timestamp": now + 1000]], on: card) == 0)
    }

    @Test func dateRuleViolationsAre40100WithWeChatsText() throws {
        let card = try rangeCard()
        let violations: [[String: Any]] = [
            ["type": 1, "end_timestamp": now + 999],
            ["type": 1, "begin_timestamp": now + 1],
            ["type": 2, "fixed_term": 30],
            ["type": "DATE_TYPE_FIX_TERM", "fixed_term": 30],
            ["type": "DATE_TYPE_PERMANENT"],
        ]
        for dateInfo in violations {
            do {
                _ = try update([:], base: ["date_info": dateInfo], on: card)
                Issue.record("accepted \(dateInfo)")
            } catch let error as WeChatError {
                #expect(error == .invalidDateInfo, "\(dateInfo)")
                #expect(error.message == "invalid DateInfo, Make Sure OldDateInfoType==NewDateInfoType && NewBeginTime<=OldBeginTime && OldEndTime<= NewEndTime")
            }
        }
        // A permanent or term card's dates can not be modified at all.
        #expect(code([:], base: ["date_info": ["type": 1, "begin_timestamp": now, "end_timestamp": now + 10]]) == 40100)
    }

    @Test func swipeCardPaymentIsStoredAndNeedsWeChatPay() throws {
        let result = try update([:], base: ["pay_info": ["swipe_card": ["is_swipe_card": true]], "is_pay_and_qrcode": true])
        #expect(result.body.object("base_info")?.object("pay_info")?.object("swipe_card")?.bool("is_swipe_card") == true)
        #expect(result.body.object("base_info")?.bool("is_pay_and_qrcode") == true)
        #expect(!result.sendCheck)
        #expect(code([:], base: ["pay_info": ["swipe_card": ["is_swipe_card": true]]], pay: false) == 43008)
    }

    @Test func recommendationCells() throws {
        let ids = (1...10).map { "pCOUPON\($0)" }
        let activate = try update(["activate_msg_operation": ["url_cell": ["card_id_list": ids, "end_time": 1_492_724_561, "text": "送你一张券"]]])
        #expect(activate.referencedCardIDs == ids)
        #expect(!activate.sendCheck)
        #expect(code(["activate_msg_operation": ["url_cell": ["card_id_list": ids + ["pCOUPON11"]]]]) == 45039)
        // url (or a Mini Program) wins: the card list is then not checked.
        let url = try update(["modify_msg_operation": ["url_cell": ["card_id_list": ids + ["pX"], "url": "www.qq.com", "text": "t"]]])
        #expect(url.referencedCardIDs.isEmpty)
        let miniProgram = try update(["modify_msg_operation": ["url_cell": ["app_brand_id": "wxminiprogram", "app_brand_pass": "pages/index"]]])
        #expect(miniProgram.referencedCardIDs.isEmpty)
        #expect(code(["modify_msg_operation": ["url_cell": ["text": "nothing to recommend"]]]) == 41011)
        #expect(code(["activate_msg_operation": ["url_cell": ["url": "www.qq.com"]]], pay: false) == 43008)
    }

    @Test func bothOperationsAreKeptSeparately() throws {
        let card = try self.card()
        let first = try update(["activate_msg_operation": ["url_cell": ["url": "https://a.example", "text": "A"]]], on: card)
        let stored = CardDefinition(appid: card.appid, cardID: card.cardID, type: card.type, status: card.status, body: first.body,
                                    quantity: card.quantity, totalQuantity: card.totalQuantity, createTime: now, updateTime: now)
        let second = try update(["modify_msg_operation": ["url_cell": ["url": "https://b.example", "text": "B"]]], on: stored)
        #expect(second.body.object("activate_msg_operation")?.object("url_cell")?.string("text") == "A")
        #expect(second.body.object("modify_msg_operation")?.object("url_cell")?.string("text") == "B")
    }

    @Test func updateKeepsWxActivateAndActivateURLExclusive() throws {
        let withURL = try card(CardPayloads.memberCard(member: ["activate_url": "https://example.com/a"]))
        #expect(code(["wx_activate": true], on: withURL) == 40097)
        #expect(code(["wx_activate": true, "activate_url": ""], on: withURL) == 0)
    }

    @Test func stockNeverGoesBelowZero() throws {
        #expect(try CardRules.modifiedStock(quantity: 5, total: 10, increase: 3, reduce: 0) == (8, 13))
        #expect(try CardRules.modifiedStock(quantity: 5, total: 10, increase: 0, reduce: 5) == (0, 5))
        #expect(throws: WeChatError.invalidCardQuantity.detail("stock can not go below zero")) {
            try CardRules.modifiedStock(quantity: 5, total: 10, increase: 0, reduce: 6)
        }
        #expect(throws: WeChatError.totalSkuQuantityLimit) {
            try CardRules.modifiedStock(quantity: 5, total: CardRules.maxQuantity, increase: 1, reduce: 0)
        }
        #expect(thrownErrcode { try CardRules.modifiedStock(quantity: 5, total: 10, increase: -1, reduce: 0) } == 40097)
        #expect(thrownErrcode { try CardRules.modifiedStock(quantity: 5, total: 10, increase: .max, reduce: 0) } == 40097)
        // A stored stock near the top of Int64 (never written by wxcards) can not overflow the sum.
        #expect(thrownErrcode { try CardRules.modifiedStock(quantity: .max, total: .max, increase: 1, reduce: 0) } == 40122)
    }

    @Test func reviewModes() {
        #expect(CardRules.statusAfterReviewableChange(.auto) == .verifyOK)
        #expect(CardRules.statusAfterReviewableChange(.manual) == .notVerify)
    }
}
