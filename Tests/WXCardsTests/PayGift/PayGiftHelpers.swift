import Foundation
import Testing
@testable import WXCards

/// Member card 8.4's payloads, so tests read beside the spec.
enum PayGiftPayloads {
    /// Member card 8.4.1's example request, verbatim but for the card.
    static let addJSON = #"""
    {"rule_info": {"type": "RULE_TYPE_PAY_MEMBER_CARD",
      "base_info": {"mchid_list": ["123", "456"], "begin_time": 1480317217, "end_time": 1580317217},
      "member_rule": {"card_id": "abcdefg", "least_cost": 2, "max_cost": 20000, "jump_url": "www.qq.com"}}}
    """#

    /// Member card 8.4.1's example for `cardID`, with changes to `base_info` and `member_rule`.
    static func add(cardID: String, base: [String: Any] = [:], rule: [String: Any] = [:], removeFromRule: [String] = []) -> [String: Any] {
        var payload = CardPayloads.object(addJSON)
        var info = payload["rule_info"] as! [String: Any]
        var baseInfo = info["base_info"] as! [String: Any]
        var memberRule = info["member_rule"] as! [String: Any]
        memberRule["card_id"] = cardID
        for (key, value) in base { baseInfo[key] = value }
        for (key, value) in rule { memberRule[key] = value }
        for key in removeFromRule { memberRule[key] = nil }
        info["base_info"] = baseInfo
        info["member_rule"] = memberRule
        payload["rule_info"] = info
        return payload
    }

    /// A rule in force now (the test clock) on `mchids`, for amounts from 100 to 1000 fen.
    static func live(cardID: String, mchids: [String], now: Int64 = 1_790_000_000, rule: [String: Any] = [:], removeFromRule: [String] = []) -> [String: Any] {
        var changes: [String: Any] = ["least_cost": 100, "max_cost": 1000]
        for (key, value) in rule { changes[key] = value }
        return add(cardID: cardID, base: ["mchid_list": mchids, "begin_time": now - 60, "end_time": now + 3600], rule: changes,
                   removeFromRule: removeFromRule)
    }

    /// A member card that takes WeChat Pay, with points rules and a 10% member discount.
    static func payingMemberCard(bonusRule: [String: Any] = defaultBonusRule, extra: [String: Any] = [:]) -> [String: Any] {
        var member: [String: Any] = ["bonus_rule": bonusRule, "discount": 10]
        for (key, value) in extra { member[key] = value }
        return CardPayloads.memberCard(member: member, base: ["pay_info": ["swipe_card": ["is_swipe_card": true]]])
    }

    /// 1 point per yuan, at most 50 per payment; 5 points take 1 yuan off, from 10 yuan, at most 50
    /// points per payment; 100 points on activation.
    static var defaultBonusRule: [String: Any] { [
        "cost_money_unit": 100, "increase_bonus": 1, "max_increase_bonus": 50, "init_increase_bonus": 100,
        "cost_bonus_unit": 5, "reduce_money": 100, "least_money_to_use_bonus": 1000, "max_reduce_bonus": 50,
    ] }
}

/// What a concurrent test keeps of an `add` answer (task results must be Sendable).
struct AddOutcome: Sendable {
    let errcode: Int?
    let ruleID: Int?
    let succeeded: [String]
    /// mchid, errcode, occupy_rule_id
    let failed: [(String, Int, Int?)]

    init(_ answer: [String: Any]) {
        errcode = answer["errcode"] as? Int
        ruleID = answer["rule_id"] as? Int
        succeeded = answer["succ_mchid_list"] as? [String] ?? []
        failed = (answer["fail_mchid_list"] as? [[String: Any]] ?? []).map {
            ($0["mchid"] as? String ?? "", $0["errcode"] as? Int ?? 0, $0["occupy_rule_id"] as? Int)
        }
    }
}

extension TestServer {
    func addRule(_ payload: [String: Any], token: String) async throws -> [String: Any] {
        try await post("/card/paygiftcard/add", token: token, json: payload)
    }

    func pay(_ body: [String: Any], token: String) async throws -> [String: Any] {
        try await post("/sandbox/pay", token: token, json: body)
    }

    func payments(_ openid: String, token: String) async throws -> [[String: Any]] {
        let answer = try await get("/sandbox/payments?openid=\(openid)&access_token=\(token)")
        #expect(errcode(answer) == 0, "\(answer)")
        return answer["payments"] as? [[String: Any]] ?? []
    }

    func batchRules(token: String, effective: Bool, offset: Int = 0, count: Int = 10) async throws -> [String: Any] {
        try await post("/card/paygiftcard/batchget", token: token,
                       json: ["type": "RULE_TYPE_PAY_MEMBER_CARD", "effective": effective, "offset": offset, "count": count])
    }

    /// A second app on the same server, with its own entity (its appid).
    func otherApp(_ id: String = "wxother0000000001") async throws -> (Credential, String) {
        let other = Credential(id: id, secret: "othersecret")
        try await services.apps.upsertApp(other, now: 0)
        return (other, try await token(for: other))
    }
}
