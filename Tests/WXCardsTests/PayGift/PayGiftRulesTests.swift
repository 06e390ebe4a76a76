import Foundation
import Testing
@testable import WXCards

/// The pure rules of Member card 8.4 and Member card 8.5: what `add` accepts, when a rule gifts, what a payment costs.
@Suite struct PayGiftRulesTests {
    let now: Int64 = 1_790_000_000

    func card(bonusRule: [String: Any] = PayGiftPayloads.defaultBonusRule, extra: [String: Any] = [:]) throws -> CardDefinition {
        let payload = CardPayloads.value(PayGiftPayloads.payingMemberCard(bonusRule: bonusRule, extra: extra))
        let new = try CardRules.validateCreate(payload.object("card"), payEnabled: true, now: now)
        return CardDefinition(appid: "wxa", cardID: "pCARD", type: .memberCard, status: .verifyOK, body: new.body,
                              quantity: 10, totalQuantity: 10, createTime: now, updateTime: now)
    }

    func terms(_ fee: Int64, use: Int64 = 0, holds: Int64 = 1000, card: CardDefinition? = nil) throws -> PaymentRules.Terms {
        try PaymentRules.terms(totalFee: fee, useBonus: use, memberBonus: holds, card: card ?? self.card())
    }

    @Test func theSeedExampleIsARule() throws {
        let rule = try PayGiftRules.validateAdd(CardPayloads.value(PayGiftPayloads.add(cardID: "pCARD")))
        #expect(rule == PayGiftRules.NewRule(mchids: ["123", "456"], beginTime: 1_480_317_217, endTime: 1_580_317_217, cardID: "pCARD",
                                             leastCost: 2, maxCost: 20000, jumpURL: "www.qq.com", appBrandID: nil, appBrandPass: nil))
    }

    @Test func mchidLists() throws {
        func mchids(_ list: [Any]) throws -> [String] {
            try PayGiftRules.validateAdd(CardPayloads.value(PayGiftPayloads.add(cardID: "pCARD", base: ["mchid_list": list]))).mchids
        }
        #expect(try mchids(["1", 2, "1"]) == ["1", "2"])  // numbers are read as ids; repeats count once
        #expect(try mchids((1...10).map(String.init)).count == 10)
        #expect(throws: WeChatError.mchidSizeLimit.detail("at most 10 merchant ids per call")) { try mchids((1...11).map(String.init)) }
        // Eleven entries naming ten ids are ten.
        #expect(try mchids((1...10).map(String.init) + ["10"]).count == 10)
        #expect { try mchids([]) } throws: { ($0 as? WeChatError)?.code == 41011 }
        #expect { try mchids([""]) } throws: { ($0 as? WeChatError)?.code == 41011 }
        #expect { try mchids([true]) } throws: { ($0 as? WeChatError)?.code == 47001 }
        #expect { try mchids([-1]) } throws: { ($0 as? WeChatError)?.code == 47001 }
    }

    @Test func aRuleGiftsInsideItsWindowAndAmountsBothEndsIncluded() {
        let rule = PayGiftRule(appid: "wxa", ruleID: 1, type: PayGiftRules.memberCardRuleType, mchidList: ["1"], beginTime: 100, endTime: 200,
                               cardID: "pCARD", leastCost: 10, maxCost: 20, jumpURL: nil, appBrandID: nil, appBrandPass: nil,
                               status: .ok, createTime: 0, updateTime: 0)
        #expect(PayGiftRules.gifts(rule, totalFee: 10, now: 100) && PayGiftRules.gifts(rule, totalFee: 20, now: 200))
        #expect(!PayGiftRules.gifts(rule, totalFee: 9, now: 150) && !PayGiftRules.gifts(rule, totalFee: 21, now: 150))
        #expect(!PayGiftRules.gifts(rule, totalFee: 15, now: 99) && !PayGiftRules.gifts(rule, totalFee: 15, now: 201))
        let deleted = PayGiftRule(appid: "wxa", ruleID: 1, type: rule.type, mchidList: ["1"], beginTime: 100, endTime: 200, cardID: "pCARD",
                                  leastCost: 10, maxCost: 20, jumpURL: nil, appBrandID: nil, appBrandPass: nil, status: .deleted,
                                  createTime: 0, updateTime: 0)
        #expect(!PayGiftRules.gifts(deleted, totalFee: 15, now: 150))
    }

    @Test func earningIsPerUnitAndCapped() throws {
        #expect(try terms(199).bonusAdded == 1)    // floor(199 / 100) × 1
        #expect(try terms(4999).bonusAdded == 49)
        #expect(try terms(5000).bonusAdded == 50)
        #expect(try terms(999_999).bonusAdded == 50)  // max_increase_bonus
        var rule = PayGiftPayloads.defaultBonusRule
        rule["max_increase_bonus"] = nil
        rule["increase_bonus"] = 3
        #expect(try terms(999_999, card: card(bonusRule: rule)).bonusAdded == 9999 * 3)  // no cap
        rule["cost_money_unit"] = nil
        rule["increase_bonus"] = nil
        #expect(try terms(999_999, card: card(bonusRule: rule)).bonusAdded == 0)     // no unit, no earning
    }

    @Test func spendingGoesInWholeStepsWithinTheLimits() throws {
        // 2000 fen, 10% off → 1800.
        #expect(try terms(2000, use: 4) == .init(actualFee: 1800, bonusAdded: 20, bonusUsed: 0))       // less than one step
        #expect(try terms(2000, use: 14) == .init(actualFee: 1600, bonusAdded: 20, bonusUsed: 10))     // two steps of 5
        #expect(try terms(100_000, use: 500) == .init(actualFee: 90000 - 1000, bonusAdded: 50, bonusUsed: 50))  // max_reduce_bonus
        #expect(try terms(999, use: 50).bonusUsed == 0)                                                // least_money_to_use_bonus
        #expect(try terms(1000, use: 50).bonusUsed == 45)                                              // 900 fen left: 9 steps
        #expect(try terms(1000, use: 50).actualFee == 0)
        #expect { try terms(2000, use: 11, holds: 10) } throws: { ($0 as? WeChatError)?.code == 45022 }
        let noPoints = try card(extra: ["supply_bonus": false])
        #expect(try terms(2000, card: noPoints) == .init(actualFee: 1800, bonusAdded: 0, bonusUsed: 0))
        #expect { try terms(2000, use: 5, card: noPoints) } throws: { ($0 as? WeChatError)?.code == 43011 }
    }

    @Test func theDiscountComesOffFirst() throws {
        #expect(try terms(1001, card: card(extra: ["discount": 0])).actualFee == 1001)
        #expect(try terms(1001).actualFee == 1001 - 100)   // 10% of 1001 is 100.1: the member pays the fraction
        #expect(try terms(1, card: card(extra: ["discount": 99])).actualFee == 1)
    }

    @Test func paymentRequests() throws {
        func check(_ request: PaymentRules.Request) -> Int? {
            do { _ = try PaymentRules.check(request); return 0 } catch { return (error as? WeChatError)?.code }
        }
        #expect(check(.init(mchid: "1", openid: "o", total_fee: 1)) == 0)
        #expect(check(.init(mchid: "1", openid: "o", total_fee: PayGiftRules.maxFee + 1)) == 40097)
        #expect(check(.init(mchid: nil, openid: "o", total_fee: 1)) == 41011)
        #expect(check(.init(mchid: String(repeating: "1", count: 33), openid: "o", total_fee: 1)) == 45021)
        #expect(check(.init(mchid: "1", openid: "", total_fee: 1)) == 40003)
        #expect(check(.init(mchid: "1", openid: "o", total_fee: 1, use_bonus: 5)) == 40097)
        #expect(check(.init(mchid: "1", openid: "o", total_fee: 1, card_id: "c", code: "1", use_bonus: 5)) == 0)
    }
}
