import Foundation
import Testing
@testable import WXCards

/// code/get, consume, decrypt, update, unavailable, user/getcardlist, and validity.
@Suite struct CodeAPITests {
    @Test func codeGetAnswersAsTheSpecShows() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let now = try await server.services.clock.now()
            let cardID = try await server.createCard(CardPayloads.memberCard(base: [
                "date_info": ["type": "DATE_TYPE_FIX_TIME_RANGE", "begin_timestamp": now - 10, "end_timestamp": now + 86_400]]), token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token, extra: ["outer_str": "12b"])
            let answer = try await server.post("/card/code/get", token: token, json: ["code": code, "card_id": cardID])
            #expect(Set(answer.keys) == ["errcode", "errmsg", "card", "openid", "can_consume", "outer_str", "user_card_status"])
            let card = try #require(answer["card"] as? [String: Any])
            #expect(card["card_id"] as? String == cardID)
            #expect(card["begin_time"] as? Int == Int(now) - 10 && card["end_time"] as? Int == Int(now) + 86_400)
            #expect(answer["openid"] as? String == openid(1) && answer["can_consume"] as? Bool == true)
            #expect(answer["outer_str"] as? String == "12b" && answer["user_card_status"] as? String == "NORMAL")
            #expect(try await errcode(server.post("/card/code/get", token: token, json: ["code": "999999999999"])) == 40056)
            #expect(try await errcode(server.post("/card/code/get", token: token, json: [:])) == 41013)
        }
    }

    @Test func consumeOnceThen40099() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            // Redeeming a Code's request shape.
            let consumed = try await server.post("/card/code/consume", token: token, json: ["code": code, "card_id": cardID])
            #expect(errcode(consumed) == 0)
            #expect((consumed["card"] as? [String: Any])?["card_id"] as? String == cardID && consumed["openid"] as? String == openid(1))
            #expect(try await errcode(server.post("/card/code/consume", token: token, json: ["code": code])) == 40099)
            #expect(try await errcode(server.post("/card/code/get", token: token, json: ["code": code])) == 40099)
            let unchecked = try await server.post("/card/code/get", token: token, json: ["code": code, "check_consume": false])
            #expect(unchecked["user_card_status"] as? String == "CONSUMED" && unchecked["can_consume"] as? Bool == false)
            let list = try await server.post("/card/user/getcardlist", token: token, json: ["openid": openid(1)])
            #expect((list["card_list"] as? [Any])?.isEmpty == true)
            #expect(try await server.userInfo(cardID, code, token: token)["user_card_status"] as? String == "UNAVAILABLE")
        }
    }

    @Test func decryptIsTheInverseOfTheClaimsEncryptCode() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let claimed = try await server.claim(cardID, openid: openid(1), token: token)
            let encrypted = try #require(claimed["encrypt_code"] as? String)
            #expect(try await server.post("/card/code/decrypt", token: token, json: ["encrypt_code": encrypted])["code"] as? String == claimed["code"] as? String)
            // Decrypting a Code's example is WeChat's, not ours.
            #expect(try await errcode(server.post("/card/code/decrypt", token: token, json: ["encrypt_code": "XXIzTtMqCxwOaawoE91+VJdsFmv7b8g0VZIZkqf4GWA60Fzpc8ksZ/5ZZ0DVkXdE"])) == 40075)
            // Another app's encrypt_code does not decrypt here.
            let other = Credential(id: "wxother0000000001", secret: "othersecret")
            try await server.services.apps.upsertApp(other, now: 0)
            #expect(try await errcode(server.post("/card/code/decrypt", token: try await server.token(for: other), json: ["encrypt_code": encrypted])) == 40075)
        }
    }

    @Test func codeUpdateChangesTheCodeAndKeepsTheHolding() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.memberCard(base: ["use_custom_code": true]), token: token)
            _ = try await server.claimCode(cardID, openid: openid(1), token: token, extra: ["code": "12345678"])
            _ = try await server.claimCode(cardID, openid: openid(2), token: token, extra: ["code": "22222222"])
            _ = try await server.post("/card/membercard/updateuser", token: token, json: ["code": "12345678", "card_id": cardID, "add_bonus": 7])
            // Changing a Code's example body.
            #expect(try await errcode(server.post("/card/code/update", token: token, json: ["code": "12345678", "card_id": cardID, "new_code": "3495739475"])) == 0)
            #expect(try await errcode(server.post("/card/code/get", token: token, json: ["code": "12345678", "card_id": cardID])) == 40056)
            #expect(try await server.userInfo(cardID, "3495739475", token: token)["bonus"] as? Int == 7)
            #expect(try await errcode(server.post("/card/code/update", token: token, json: ["code": "3495739475", "card_id": cardID, "new_code": "22222222"])) == 40116)
            #expect(try await errcode(server.post("/card/code/update", token: token, json: ["code": "3495739475", "card_id": cardID])) == 41011)
        }
    }

    @Test func unavailableIsIrreversible() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            #expect(try await errcode(server.post("/card/code/unavailable", token: token, json: ["code": code, "card_id": cardID, "reason": "退款"])) == 0)
            #expect(try await errcode(server.post("/card/code/get", token: token, json: ["code": code])) == 40127)
            #expect(try await errcode(server.post("/card/code/unavailable", token: token, json: ["code": code])) == 40127)
            #expect(try await errcode(server.post("/card/code/consume", token: token, json: ["code": code])) == 40127)
            #expect(try await errcode(server.post("/card/membercard/updateuser", token: token, json: ["code": code, "card_id": cardID, "add_bonus": 1])) == 40127)
            #expect(try await server.userInfo(cardID, code, token: token)["user_card_status"] as? String == "UNAVAILABLE")
        }
    }

    @Test func getcardlistListsTheUsersCardsOfThisApp() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let first = try await server.createCard(token: token)
            let second = try await server.createCard(CardPayloads.coupon(.cash), token: token)
            let a = try await server.claimCode(first, openid: openid(1), token: token)
            let b = try await server.claimCode(second, openid: openid(1), token: token)
            _ = try await server.claimCode(first, openid: openid(2), token: token)
            let all = try await server.post("/card/user/getcardlist", token: token, json: ["openid": openid(1)])
            let list = try #require(all["card_list"] as? [[String: String]])
            #expect(Set(list.map { $0["code"]! }) == [a, b])
            #expect(all["has_share_card"] as? Bool == false)
            let filtered = try await server.post("/card/user/getcardlist", token: token, json: ["openid": openid(1), "card_id": second])
            #expect(filtered["card_list"] as? [[String: String]] == [["code": b, "card_id": second]])
            #expect(try await errcode(server.post("/card/user/getcardlist", token: token, json: [:])) == 40003)
            // Another app sees none of it.
            let other = Credential(id: "wxother0000000001", secret: "othersecret")
            try await server.services.apps.upsertApp(other, now: 0)
            let theirs = try await server.post("/card/user/getcardlist", token: try await server.token(for: other), json: ["openid": openid(1)])
            #expect((theirs["card_list"] as? [Any])?.isEmpty == true)
            #expect(try await errcode(server.post("/card/code/get", token: try await server.token(for: other), json: ["code": a])) == 40056)
        }
    }

    @Test func aFixedRangeCodeExpiresOnTheSandboxClock() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let now = try await server.services.clock.now()
            let cardID = try await server.createCard(CardPayloads.memberCard(base: [
                "date_info": ["type": "DATE_TYPE_FIX_TIME_RANGE", "begin_timestamp": now, "end_timestamp": now + 3000]]), token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            _ = try await server.post("/sandbox/clock", token: token, json: ["advance_seconds": 3001])
            let expired = try await server.post("/card/code/get", token: token, json: ["code": code, "check_consume": false])
            #expect(expired["user_card_status"] as? String == "EXPIRE" && expired["can_consume"] as? Bool == false)
            #expect(try await errcode(server.post("/card/code/get", token: token, json: ["code": code])) == 40127)
            #expect(try await server.userInfo(cardID, code, token: token)["user_card_status"] as? String == "EXPIRE")
            // Extending the card's range brings its codes back.
            _ = try await server.post("/card/update", token: token, json: ["card_id": cardID, "member_card": ["base_info": ["date_info": ["type": 1, "end_timestamp": now + 5000]]]])
            #expect(try await server.post("/card/code/get", token: token, json: ["code": code])["user_card_status"] as? String == "NORMAL")
        }
    }

    @Test func aTermCountsFromTheClaim() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.coupon(.gift, base: ["date_info": ["type": "DATE_TYPE_FIX_TERM", "fixed_term": 1, "fixed_begin_term": 0]]), token: token)
            let now = try await server.services.clock.now()
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            let got = try await server.post("/card/code/get", token: token, json: ["code": code])
            let card = try #require(got["card"] as? [String: Any])
            #expect(card["begin_time"] as? Int == Int(now) && card["end_time"] as? Int == Int(now) + 86_399)
            _ = try await server.post("/sandbox/clock", token: token, json: ["advance_seconds": 86_400])
            let fresh = try await server.token()
            #expect(try await server.post("/card/code/get", token: fresh, json: ["code": code, "check_consume": false])["user_card_status"] as? String == "EXPIRE")
        }
    }
}
