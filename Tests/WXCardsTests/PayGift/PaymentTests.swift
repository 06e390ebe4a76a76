import Foundation
import Testing
@testable import WXCards

/// `/sandbox/pay` and `/sandbox/payments`: pay-gift messages and payment by member card.
@Suite struct PaymentTests {
    static let mchid = "1900000109"

    @Test func aRuleGiftsItsCardOnceInsideItsWindowAndAmounts() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let ruleID = try #require(try await server.addRule(PayGiftPayloads.live(cardID: cardID, mchids: [Self.mchid]), token: token)["rule_id"] as? Int)
            func pay(_ user: Int, _ fee: Int) async throws -> [String: Any] {
                let answer = try await server.pay(["mchid": Self.mchid, "openid": openid(user), "total_fee": fee], token: token)
                #expect(errcode(answer) == 0, "\(answer)")
                return answer
            }
            // Outside [least_cost, max_cost]: no gift.
            #expect(try await pay(1, 99)["gift_card_id"] == nil)
            #expect(try await pay(1, 1001)["gift_card_id"] == nil)
            #expect(try await server.messages(openid(1), token: token).isEmpty)
            // Both bounds are included.
            let gifted = try await pay(1, 100)
            #expect(gifted["gift_card_id"] as? String == cardID && gifted["gift_rule_id"] as? Int == ruleID)
            #expect((gifted["transaction_id"] as? String)?.count == 28)
            #expect(gifted["actual_fee"] as? Int == 100 && gifted["bonus_added"] as? Int == 0)
            #expect(try await pay(2, 1000)["gift_card_id"] as? String == cardID)
            // Once per user and card.
            #expect(try await pay(1, 500)["gift_card_id"] == nil)
            let messages = try await server.messages(openid(1), token: token)
            #expect(messages.count == 1)
            #expect(messages[0]["kind"] as? String == "pay_gift" && messages[0]["card_id"] as? String == cardID)
            #expect(messages[0]["jump_url"] as? String == "www.qq.com")
            #expect((messages[0]["text"] as? String)?.contains("海底捞会员卡") == true)
            // Payments at another merchant id trigger nothing.
            #expect(try await server.pay(["mchid": "1900000110", "openid": openid(3), "total_fee": 500], token: token)["gift_card_id"] == nil)
            // A deleted rule gifts nothing: inside its window, to a user who would otherwise get its card.
            let otherCard = try await server.createCard(token: token)
            let otherRule = try #require(try await server.addRule(PayGiftPayloads.live(cardID: otherCard, mchids: ["1900000111"]), token: token)["rule_id"] as? Int)
            #expect(try await errcode(server.post("/card/paygiftcard/delete", token: token, json: ["rule_id": otherRule])) == 0)
            #expect(try await server.pay(["mchid": "1900000111", "openid": openid(5), "total_fee": 500], token: token)["gift_card_id"] == nil)
            // Once the window has ended (clock), no more gifts.
            _ = try await server.post("/sandbox/clock", token: token, json: ["advance_seconds": 3601])
            #expect(try await pay(4, 500)["gift_card_id"] == nil)
        }
    }

    @Test func aRuleThatHasNotStartedGiftsNothing() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let now: Int64 = 1_790_000_000
            _ = try await server.addRule(PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": [Self.mchid], "begin_time": now + 60, "end_time": now + 120]), token: token)
            #expect(try await server.pay(["mchid": Self.mchid, "openid": openid(1), "total_fee": 500], token: token)["gift_card_id"] == nil)
            _ = try await server.post("/sandbox/clock", token: token, json: ["advance_seconds": 60])
            let token2 = try await server.token()
            #expect(try await server.pay(["mchid": Self.mchid, "openid": openid(1), "total_fee": 500], token: token2)["gift_card_id"] as? String == cardID)
        }
    }

    @Test func neverToSomeoneWhoHeldTheCardAndClaimingFromTheMessageIsANormalClaim() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            _ = try await server.addRule(PayGiftPayloads.live(cardID: cardID, mchids: [Self.mchid],
                                                              rule: ["app_brand_id": "gh_abcdefg", "app_brand_pass": "pages/card/index"],
                                                              removeFromRule: ["jump_url"]),
                                         token: token)
            // A holder, and a user who deleted the card, get nothing.
            _ = try await server.claimCode(cardID, openid: openid(1), token: token)
            let deleted = try await server.claimCode(cardID, openid: openid(2), token: token)
            _ = try await server.post("/sandbox/card/delete", token: token, json: ["card_id": cardID, "code": deleted, "openid": openid(2)])
            for user in [1, 2] {
                let answer = try await server.pay(["mchid": Self.mchid, "openid": openid(user), "total_fee": 500], token: token)
                #expect(errcode(answer) == 0 && answer["gift_card_id"] == nil, "\(answer)")
            }
            // A new user gets the message with the Mini Program, and claims as usual.
            let gifted = try await server.pay(["mchid": Self.mchid, "openid": openid(3), "total_fee": 500], token: token)
            #expect(gifted["gift_card_id"] as? String == cardID)
            let message = try #require(try await server.messages(openid(3), token: token).first)
            #expect(message["app_brand_id"] as? String == "gh_abcdefg" && message["app_brand_pass"] as? String == "pages/card/index")
            #expect(message["jump_url"] == nil)
            let code = try await server.claimCode(cardID, openid: openid(3), token: token)
            #expect(try await server.userInfo(cardID, code, token: token)["user_card_status"] as? String == "NORMAL")
            // Having received it, they are not offered it again.
            #expect(try await server.pay(["mchid": Self.mchid, "openid": openid(3), "total_fee": 500], token: token)["gift_card_id"] == nil)
        }
    }

    @Test func payingByMemberCardEarnsWithTheCapAndSpendsInSteps() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(PayGiftPayloads.payingMemberCard(), token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            #expect(try await server.userInfo(cardID, code, token: token)["bonus"] as? Int == 100)
            func pay(_ fee: Int, use: Int? = nil) async throws -> [String: Any] {
                var body: [String: Any] = ["mchid": Self.mchid, "openid": openid(1), "total_fee": fee, "card_id": cardID, "code": code]
                body["use_bonus"] = use
                return try await server.pay(body, token: token)
            }
            // 123.45 yuan: 10% off → 11111 fen; 123 points earned, capped at 50; 23 points asked,
            // 20 used (4 steps of 5), 4 yuan off.
            let first = try await pay(12345, use: 23)
            #expect(errcode(first) == 0, "\(first)")
            #expect(first["actual_fee"] as? Int == 10711)
            #expect(first["bonus_added"] as? Int == 50 && first["bonus_used"] as? Int == 20)
            #expect(first["card_id"] as? String == cardID && first["code"] as? String == code)
            #expect(try await server.userInfo(cardID, code, token: token)["bonus"] as? Int == 130)
            // At most max_reduce_bonus (50) points per payment.
            let second = try await pay(20000, use: 100)
            #expect(second["bonus_used"] as? Int == 50 && second["actual_fee"] as? Int == 18000 - 1000 && second["bonus_added"] as? Int == 50)
            // Below least_money_to_use_bonus, points pay nothing; earning is floor(fee / unit).
            let small = try await pay(999, use: 10)
            #expect(small["bonus_used"] as? Int == 0 && small["actual_fee"] as? Int == 900 && small["bonus_added"] as? Int == 9)
            // Points never take the fee below zero: 10 yuan after discount is 9, so 9 steps.
            let all = try await pay(1000, use: 100)
            #expect(all["bonus_used"] as? Int == 45 && all["actual_fee"] as? Int == 0)
            let bonus = try #require(try await server.userInfo(cardID, code, token: token)["bonus"] as? Int)
            #expect(bonus == 130 - 50 + 50 + 9 - 45 + 10)
            // Every change is in the ledger, from the payment.
            let ledger = try await server.services.members.store.ledger(appid: testApp.id, cardID: cardID, code: code)
            #expect(ledger.filter { $0.source == "pay" }.map(\.delta) == [-20, 50, -50, 50, 9, -45, 10])
            #expect(ledger.last?.result == Int64(bonus))
            // And the member was told of each.
            let messages = try await server.messages(openid(1), token: token)
            #expect(messages.filter { $0["kind"] as? String == "bonus" }.count == 7)
            // The payments, newest first.
            let payments = try await server.payments(openid(1), token: token)
            #expect(payments.map { $0["total_fee"] as? Int } == [1000, 999, 20000, 12345])
            #expect(payments.last?["transaction_id"] as? String == first["transaction_id"] as? String)
        }
    }

    @Test func memberCardPaymentErrorsChangeNothing() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(PayGiftPayloads.payingMemberCard(), token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            let body: [String: Any] = ["mchid": Self.mchid, "openid": openid(1), "total_fee": 2000, "card_id": cardID, "code": code]
            func failing(_ changes: [String: Any?], token: String = token) async throws -> Int? {
                var request = body
                for (key, value) in changes { request[key] = value }
                return errcode(try await server.pay(request, token: token))
            }
            #expect(try await failing(["use_bonus": 101]) == 45022)  // holds 100
            #expect(try await failing(["openid": openid(2)]) == 40056)
            #expect(try await failing(["code": "000000000000"]) == 40056)
            #expect(try await failing(["card_id": nil]) == 41012)
            #expect(try await failing(["code": nil]) == 41013)
            #expect(try await failing(["total_fee": 0]) == 40097)
            #expect(try await failing(["total_fee": nil]) == 41011)
            #expect(try await failing(["total_fee": "2000"]) == 47001)
            #expect(try await failing(["mchid": nil]) == 41011)
            #expect(try await failing(["openid": nil]) == 40003)
            #expect(try await failing(["use_bonus": -5]) == 40097)
            #expect(try await failing(["card_id": nil, "code": nil, "use_bonus": 5]) == 40097)
            _ = try await server.post("/sandbox/app", token: token, json: ["pay_enabled": false])
            #expect(try await failing([:]) == 43008)
            _ = try await server.post("/sandbox/app", token: token, json: ["pay_enabled": true])
            // A card that does not take WeChat Pay.
            let plain = try await server.createCard(token: token)
            let plainCode = try await server.claimCode(plain, openid: openid(1), token: token)
            #expect(try await failing(["card_id": plain, "code": plainCode]) == 45030)
            // A card without points: paying works, using points is 43011.
            let noPoints = try await server.createCard(PayGiftPayloads.payingMemberCard(extra: ["supply_bonus": false]), token: token)
            let noPointsCode = try await server.claimCode(noPoints, openid: openid(1), token: token)
            #expect(try await failing(["card_id": noPoints, "code": noPointsCode, "use_bonus": 5]) == 43011)
            let free = try await server.pay(["mchid": Self.mchid, "openid": openid(1), "total_fee": 2000, "card_id": noPoints, "code": noPointsCode], token: token)
            #expect(errcode(free) == 0 && free["actual_fee"] as? Int == 1800 && free["bonus_added"] as? Int == 0)
            // Not activated yet.
            let manual = try await server.createCard(PayGiftPayloads.payingMemberCard(extra: ["auto_activate": false]), token: token)
            let manualCode = try await server.claimCode(manual, openid: openid(1), token: token)
            #expect(try await failing(["card_id": manual, "code": manualCode]) == 40127)
            // A consumed code.
            _ = try await server.post("/card/code/consume", token: token, json: ["card_id": cardID, "code": code])
            #expect(try await failing([:]) == 40127)
            // Only the one good payment was recorded, and the member's points are untouched.
            #expect(try await server.payments(openid(1), token: token).count == 1)
            #expect(try await server.userInfo(cardID, code, token: token)["bonus"] as? Int == 100)
            #expect(try await server.services.members.store.ledger(appid: testApp.id, cardID: cardID, code: code).allSatisfy { $0.source != "pay" })
        }
    }

    @Test func aPaymentIsAllOrNothing() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let payingCard = try await server.createCard(PayGiftPayloads.payingMemberCard(), token: token)
            let code = try await server.claimCode(payingCard, openid: openid(1), token: token)
            let giftCard = try await server.createCard(token: token)
            _ = try await server.addRule(PayGiftPayloads.live(cardID: giftCard, mchids: [Self.mchid]), token: token)
            let messagesBefore = try await server.messages(openid(1), token: token).count
            // The points part fails (more than held): no payment, no gift, no points, no message.
            let failed = try await server.pay(["mchid": Self.mchid, "openid": openid(1), "total_fee": 500, "card_id": payingCard, "code": code,
                                               "use_bonus": 500], token: token)
            #expect(errcode(failed) == 45022)
            #expect(try await server.payments(openid(1), token: token).isEmpty)
            #expect(try await server.messages(openid(1), token: token).count == messagesBefore)
            // The same payment, done right, does all of it.
            let paid = try await server.pay(["mchid": Self.mchid, "openid": openid(1), "total_fee": 500, "card_id": payingCard, "code": code], token: token)
            #expect(paid["gift_card_id"] as? String == giftCard && paid["bonus_added"] as? Int == 5)
            let kinds = try await server.messages(openid(1), token: token).prefix(2).compactMap { $0["kind"] as? String }
            #expect(Set(kinds) == ["pay_gift", "bonus"])
            let listed = try #require(try await server.payments(openid(1), token: token).first)
            #expect(listed["gift_card_id"] as? String == giftCard && listed["bonus_added"] as? Int == 5 && listed["actual_fee"] as? Int == 450)
        }
    }

    @Test func paymentsAreTheCallingAppsOwn() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let (_, theirToken) = try await server.otherApp()
            let theirCard = try await server.createCard(token: theirToken)
            _ = try await server.addRule(PayGiftPayloads.live(cardID: theirCard, mchids: [Self.mchid]), token: theirToken)
            // Our user pays at their merchant id: their rule does not reach our users.
            let paid = try await server.pay(["mchid": Self.mchid, "openid": openid(1), "total_fee": 500], token: token)
            #expect(errcode(paid) == 0 && paid["gift_card_id"] == nil)
            #expect(try await server.payments(openid(1), token: token).count == 1)
            #expect(try await server.payments(openid(1), token: theirToken).isEmpty)
            #expect(try await server.messages(openid(1), token: theirToken).isEmpty)
            #expect(try await errcode(server.get("/sandbox/payments?access_token=\(token)")) == 40003)
        }
    }

    @Test(arguments: TestEngine.available)
    func concurrentPaymentsGiftOnceAndLoseNoPoints(_ engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let payingCard = try await server.createCard(PayGiftPayloads.payingMemberCard(), token: token)
            let code = try await server.claimCode(payingCard, openid: openid(1), token: token)
            let giftCard = try await server.createCard(token: token)
            _ = try await server.addRule(PayGiftPayloads.live(cardID: giftCard, mchids: [Self.mchid]), token: token)
            let gifts = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<24 {
                    group.addTask {
                        let answer = try await server.pay(["mchid": Self.mchid, "openid": openid(1), "total_fee": 300,
                                                           "card_id": payingCard, "code": code], token: token)
                        #expect(errcode(answer) == 0, "\(answer)")
                        return answer["gift_card_id"] as? String
                    }
                }
                return try await group.reduce(into: [String?]()) { $0.append($1) }
            }
            #expect(gifts.compactMap { $0 } == [giftCard])
            #expect(try await server.userInfo(payingCard, code, token: token)["bonus"] as? Int == 100 + 24 * 3)
            #expect(try await server.payments(openid(1), token: token).count == 24)
            #expect(try await server.messages(openid(1), token: token).filter { $0["kind"] as? String == "pay_gift" }.count == 1)
        }
    }
}
