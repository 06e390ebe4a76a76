import Foundation
import Testing
@testable import WXCards

/// `/card/paygiftcard/add`, `delete`, `getbyid`, `batchget` and `/sandbox/merchant`.
@Suite struct PayGiftRuleTests {
    @Test func theSeedExampleIsAddedAndShownAsGetbyidShowsIt() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let added = try await server.addRule(PayGiftPayloads.add(cardID: cardID), token: token)
            #expect(errcode(added) == 0, "\(added)")
            let ruleID = try #require(added["rule_id"] as? Int)
            #expect(ruleID > 0)
            #expect(added["succ_mchid_list"] as? [String] == ["123", "456"])
            #expect((added["fail_mchid_list"] as? [Any])?.isEmpty == true)

            let got = try await server.post("/card/paygiftcard/getbyid", token: token, json: ["rule_id": ruleID])
            #expect(errcode(got) == 0, "\(got)")
            let info = try #require(got["rule_info"] as? [String: Any])
            #expect(info["type"] as? String == "RULE_TYPE_PAY_MEMBER_CARD")
            let base = try #require(info["base_info"] as? [String: Any])
            #expect(base["mchid_list"] as? [String] == ["123", "456"])
            #expect(base["begin_time"] as? Int == 1_480_317_217 && base["end_time"] as? Int == 1_580_317_217)
            #expect(base["status"] as? String == "RULE_STATUS_OK")
            let now = Int(try await server.services.clock.now())
            #expect(base["create_time"] as? Int == now && base["update_time"] as? Int == now)
            let rule = try #require(info["member_rule"] as? [String: Any])
            #expect(rule["card_id"] as? String == cardID)
            #expect(rule["least_cost"] as? Int == 2 && rule["max_cost"] as? Int == 20000)
            #expect(rule["jump_url"] as? String == "www.qq.com")
            #expect(rule["app_brand_id"] == nil)
        }
    }

    @Test func wholeCallChecksFailWithNothingTaken() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let eleven = (1...11).map { "1000\($0)" }
            let cases: [(String, [String: Any], Int)] = [
                ("11 mchids", PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": eleven]), 72005),
                ("no mchid", PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": [String]()]), 41011),
                ("begin = end", PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": ["10001"], "end_time": 1_480_317_217]), 40079),
                ("begin > end", PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": ["10001"], "begin_time": 1_580_317_218]), 40079),
                ("least > max", PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": ["10001"]], rule: ["least_cost": 20001]), 40097),
                ("negative least", PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": ["10001"]], rule: ["least_cost": -1]), 40097),
                ("unknown card", PayGiftPayloads.add(cardID: "pFS7Fjg8kV1IdDz01r4SQwMkuCKc", base: ["mchid_list": ["10001"]]), 40073),
                ("mchid not a string", PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": [["id": 1]]]), 47001),
                ("long mchid", PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": [String(repeating: "9", count: 33)]]), 45021),
                ("begin_time a string", PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": ["10001"], "begin_time": "x"]), 47001),
                ("long jump_url", PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": ["10001"]], rule: ["jump_url": String(repeating: "u", count: 129)]), 45021),
                ("no base_info", ["rule_info": ["type": "RULE_TYPE_PAY_MEMBER_CARD", "member_rule": ["card_id": cardID, "least_cost": 1, "max_cost": 2]]], 41011),
                ("no member_rule", ["rule_info": ["type": "RULE_TYPE_PAY_MEMBER_CARD", "base_info": ["mchid_list": ["10001"], "begin_time": 1, "end_time": 2]]], 41011),
                ("single pay", ["rule_info": ["type": "RULE_TYPE_SINGLE_PAY", "base_info": ["mchid_list": ["10001"], "begin_time": 1, "end_time": 2],
                                              "single_pay": ["card_id": cardID]]], 40097),
                ("no rule_info", ["rule": [:]], 41011),
            ]
            for (name, payload, code) in cases {
                let answer = try await server.addRule(payload, token: token)
                #expect(errcode(answer) == code, "\(name): \(answer)")
                #expect(answer["rule_id"] == nil, "\(name)")
            }
            // The ten-mchid limit is per call: ten are fine.
            let ten = try await server.addRule(PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": Array(eleven.prefix(10))]), token: token)
            #expect(errcode(ten) == 0 && (ten["succ_mchid_list"] as? [String])?.count == 10, "\(ten)")
            // Nothing was taken by the failed calls: the eleventh id is free, and one rule exists.
            let last = try await server.addRule(PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": [eleven[10]]]), token: token)
            #expect(last["succ_mchid_list"] as? [String] == [eleven[10]])
            #expect(try await server.batchRules(token: token, effective: false)["total_count"] as? Int == 2)
        }
    }

    @Test func theCardMustBeTheCallersMemberCardAndTheAppNeedsWeChatPay() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let (_, theirToken) = try await server.otherApp()
            let theirs = try await server.createCard(token: theirToken)
            #expect(try await errcode(server.addRule(PayGiftPayloads.add(cardID: theirs), token: token)) == 72002)
            let coupon = try await server.createCard(CardPayloads.coupon(.cash), token: token)
            #expect(try await errcode(server.addRule(PayGiftPayloads.add(cardID: coupon), token: token)) == 72003)
            let mine = try await server.createCard(token: token)
            _ = try await server.post("/sandbox/app", token: token, json: ["pay_enabled": false])
            #expect(try await errcode(server.addRule(PayGiftPayloads.add(cardID: mine), token: token)) == 43008)
            _ = try await server.post("/sandbox/app", token: token, json: ["pay_enabled": true])
            _ = try await server.post("/card/delete", token: token, json: ["card_id": mine])
            #expect(try await errcode(server.addRule(PayGiftPayloads.add(cardID: mine), token: token)) == 40078)
            // None of these took a merchant id.
            #expect(try await server.batchRules(token: token, effective: false)["total_count"] as? Int == 0)
            let theirRule = try await server.addRule(PayGiftPayloads.add(cardID: theirs), token: theirToken)
            #expect(theirRule["succ_mchid_list"] as? [String] == ["123", "456"])
        }
    }

    @Test func mchidsPartlySucceedWith72004And72001() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let (other, theirToken) = try await server.otherApp()
            let theirCard = try await server.createCard(token: theirToken)
            let theirs = try await server.addRule(PayGiftPayloads.add(cardID: theirCard, base: ["mchid_list": ["1900000001"]]), token: theirToken)
            let theirRuleID = try #require(theirs["rule_id"] as? Int)
            // A merchant id of another company.
            #expect(try await errcode(server.post("/sandbox/merchant", token: token, json: ["mchid": "1900000002", "entity": "别的公司"])) == 0)
            // And one of ours, registered under our entity (the appid is the default entity).
            #expect(try await errcode(server.post("/sandbox/merchant", token: token, json: ["mchid": "1900000003", "entity": testApp.id])) == 0)

            let cardID = try await server.createCard(token: token)
            let mchids = ["1900000001", "1900000002", "1900000003", "1900000004"]
            let answer = try await server.addRule(PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": mchids]), token: token)
            #expect(errcode(answer) == 0, "\(answer)")
            let ruleID = try #require(answer["rule_id"] as? Int)
            #expect(answer["succ_mchid_list"] as? [String] == ["1900000003", "1900000004"])
            let failed = try #require(answer["fail_mchid_list"] as? [[String: Any]])
            #expect(failed.count == 2)
            #expect(failed[0]["mchid"] as? String == "1900000001" && failed[0]["errcode"] as? Int == 72004)
            #expect(failed[0]["errmsg"] as? String == "mchid is occupied by the other appid")
            #expect(failed[0]["occupy_rule_id"] as? Int == theirRuleID && failed[0]["occupy_appid"] as? String == other.id)
            #expect(failed[1]["mchid"] as? String == "1900000002" && failed[1]["errcode"] as? Int == 72001)
            #expect(failed[1]["errmsg"] as? String == "no match card" && failed[1]["occupy_appid"] == nil)
            // The rule holds what it took, and only that.
            let got = try await server.post("/card/paygiftcard/getbyid", token: token, json: ["rule_id": ruleID])
            #expect(((got["rule_info"] as? [String: Any])?["base_info"] as? [String: Any])?["mchid_list"] as? [String] == ["1900000003", "1900000004"])
            // Our own rule holds its ids too: a second rule of ours is told so.
            let again = try await server.addRule(PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": ["1900000004"]]), token: token)
            let occupied = try #require((again["fail_mchid_list"] as? [[String: Any]])?.first)
            #expect(occupied["occupy_rule_id"] as? Int == ruleID && occupied["occupy_appid"] as? String == testApp.id)
            // When no id can be taken, no rule is made.
            #expect(errcode(again) == 0 && again["rule_id"] as? Int == 0 && (again["succ_mchid_list"] as? [Any])?.isEmpty == true)
            #expect(try await server.batchRules(token: token, effective: false)["total_count"] as? Int == 1)
        }
    }

    @Test(arguments: TestEngine.available)
    func concurrentAddsNeverShareAMchid(_ engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let (_, theirToken) = try await server.otherApp()
            let theirCard = try await server.createCard(token: theirToken)
            let answers = try await withThrowingTaskGroup(of: AddOutcome.self) { group in
                for index in 0..<16 {
                    let (card, callerToken) = index.isMultiple(of: 2) ? (cardID, token) : (theirCard, theirToken)
                    group.addTask {
                        AddOutcome(try await server.addRule(
                            PayGiftPayloads.add(cardID: card, base: ["mchid_list": ["1900009999", "190000\(index + 1000)"]]), token: callerToken))
                    }
                }
                return try await group.reduce(into: [AddOutcome]()) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.errcode == 0 })
            let winners = answers.filter { $0.succeeded.contains("1900009999") }
            #expect(winners.count == 1)
            let winner = try #require(winners.first?.ruleID)
            let losers = answers.compactMap { $0.failed.first }
            #expect(losers.count == 15)
            #expect(losers.allSatisfy { $0.0 == "1900009999" && $0.1 == 72004 && $0.2 == winner })
            // Every call still took its own second id.
            #expect(answers.allSatisfy { $0.succeeded.count >= 1 })
        }
    }

    @Test func deleteFreesTheMchidsAndEndsTheRule() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let ruleID = try #require(try await server.addRule(PayGiftPayloads.add(cardID: cardID), token: token)["rule_id"] as? Int)
            let (_, theirToken) = try await server.otherApp()
            let theirCard = try await server.createCard(token: theirToken)
            // Another app can not delete or read it.
            #expect(try await errcode(server.post("/card/paygiftcard/delete", token: theirToken, json: ["rule_id": ruleID])) == 40097)
            #expect(try await errcode(server.post("/card/paygiftcard/getbyid", token: theirToken, json: ["rule_id": ruleID])) == 40097)

            #expect(try await errcode(server.post("/card/paygiftcard/delete", token: token, json: ["rule_id": ruleID])) == 0)
            #expect(try await errcode(server.post("/card/paygiftcard/getbyid", token: token, json: ["rule_id": ruleID])) == 40097)
            #expect(try await errcode(server.post("/card/paygiftcard/delete", token: token, json: ["rule_id": ruleID])) == 40097)
            #expect(try await errcode(server.post("/card/paygiftcard/delete", token: token, json: [:])) == 41011)
            #expect(try await errcode(server.post("/card/paygiftcard/getbyid", token: token, json: ["rule_id": "x"])) == 47001)
            #expect(try await errcode(server.post("/card/paygiftcard/getbyid", token: token, json: ["rule_id": 42])) == 40097)
            // Its merchant ids are free for anyone.
            let theirs = try await server.addRule(PayGiftPayloads.add(cardID: theirCard), token: theirToken)
            #expect(theirs["succ_mchid_list"] as? [String] == ["123", "456"])
            // batchget: effective rules leave it out; all rules show it deleted.
            #expect(try await server.batchRules(token: token, effective: true)["total_count"] as? Int == 0)
            let all = try await server.batchRules(token: token, effective: false)
            #expect(all["total_count"] as? Int == 1)
            let listed = try #require((all["rule_list"] as? [[String: Any]])?.first)
            #expect((listed["base_info"] as? [String: Any])?["status"] as? String == "RULE_STATUS_DELETE")
            #expect(listed["rule_id"] as? Int == ruleID)
        }
    }

    @Test func batchgetPagesTheAppsOwnRules() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            var ids: [Int] = []
            for index in 0..<3 {
                let added = try await server.addRule(PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": ["2000\(index)"]]), token: token)
                ids.append(try #require(added["rule_id"] as? Int))
            }
            // The seed's own request.
            let first = try await server.post("/card/paygiftcard/batchget", token: token,
                                              json: CardPayloads.object(#"{"type": "RULE_TYPE_PAY_MEMBER_CARD","effective": true,"offset": 0,"count" : 1}"#))
            #expect(errcode(first) == 0 && first["total_count"] as? Int == 3)
            let firstList = try #require(first["rule_list"] as? [[String: Any]])
            #expect(firstList.count == 1 && firstList[0]["rule_id"] as? Int == ids[0])
            #expect(firstList[0]["type"] as? String == "RULE_TYPE_PAY_MEMBER_CARD")
            #expect(((firstList[0]["member_rule"] as? [String: Any])?["card_id"]) as? String == cardID)
            let rest = try await server.batchRules(token: token, effective: true, offset: 1, count: 10)
            #expect((rest["rule_list"] as? [[String: Any]])?.compactMap { $0["rule_id"] as? Int } == Array(ids[1...]))
            #expect(try await errcode(server.batchRules(token: token, effective: true, count: 0)) == 40097)
            #expect(try await errcode(server.batchRules(token: token, effective: true, count: 101)) == 40097)
            #expect(try await errcode(server.batchRules(token: token, effective: true, offset: -1)) == 40097)
            #expect(try await errcode(server.post("/card/paygiftcard/batchget", token: token, json: ["type": "RULE_TYPE_SINGLE_PAY"])) == 40097)
            // Another app sees none of them.
            let (_, theirToken) = try await server.otherApp()
            #expect(try await server.batchRules(token: theirToken, effective: false)["total_count"] as? Int == 0)
        }
    }

    @Test func merchantRegistration() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let answer = try await server.post("/sandbox/merchant", token: token, json: ["mchid": "1900000109", "entity": "腾讯"])
            #expect(errcode(answer) == 0 && answer["mchid"] as? String == "1900000109" && answer["entity"] as? String == "腾讯")
            #expect(try await errcode(server.post("/sandbox/merchant", token: token, json: ["entity": "腾讯"])) == 41011)
            #expect(try await errcode(server.post("/sandbox/merchant", token: token, json: ["mchid": "1900000109"])) == 41011)
            #expect(try await errcode(server.post("/sandbox/merchant", token: token, json: ["mchid": "1900000109", "entity": ""])) == 40097)
            #expect(try await errcode(server.post("/sandbox/merchant", token: token, json: ["mchid": 1900000109, "entity": "x"])) == 47001)
            // Moving the merchant id to our own entity makes it ours to use.
            let cardID = try await server.createCard(token: token)
            let refused = try await server.addRule(PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": ["1900000109"]]), token: token)
            #expect((refused["fail_mchid_list"] as? [[String: Any]])?.first?["errcode"] as? Int == 72001)
            _ = try await server.post("/sandbox/merchant", token: token, json: ["mchid": "1900000109", "entity": testApp.id])
            let taken = try await server.addRule(PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": ["1900000109"]]), token: token)
            #expect(taken["succ_mchid_list"] as? [String] == ["1900000109"])
            // The app's entity counts, as /sandbox/app sets it.
            _ = try await server.post("/sandbox/app", token: token, json: ["entity": "腾讯"])
            let now = try await server.addRule(PayGiftPayloads.add(cardID: cardID, base: ["mchid_list": ["1900000110"]]), token: token)
            #expect(now["succ_mchid_list"] as? [String] == ["1900000110"])
        }
    }
}
