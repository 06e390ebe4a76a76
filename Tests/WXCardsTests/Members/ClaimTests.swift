import Foundation
import Testing
@testable import WXCards

/// `/sandbox/card/claim`, `/sandbox/card/gift`, `/sandbox/card/delete`.
@Suite struct ClaimTests {
    @Test func claimGivesA12DigitCodeAndTakesStock() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.memberCard(base: ["sku": ["quantity": 10]]), token: token)
            let answer = try await server.claim(cardID, openid: openid(1), token: token)
            #expect(errcode(answer) == 0)
            let code = try #require(answer["code"] as? String)
            #expect(code.count == 12 && code.allSatisfy(\.isNumber))
            let encrypted = try #require(answer["encrypt_code"] as? String)
            #expect(try await server.post("/card/code/decrypt", token: token, json: ["encrypt_code": encrypted])["code"] as? String == code)
            let sku = (try await server.getCard(cardID, token: token)["base_info"] as? [String: Any])?["sku"] as? [String: Any]
            #expect(sku?["quantity"] as? Int == 9 && sku?["total_quantity"] as? Int == 10)
        }
    }

    @Test func unapprovedCardsOnlyForWhitelistedUsers() async throws {
        try await withTestServer(review: .manual) { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            #expect(try await errcode(server.claim(cardID, openid: openid(1), token: token)) == 40078)
            _ = try await server.post("/card/testwhitelist/set", token: token, json: ["openid": [openid(2)]])
            #expect(try await errcode(server.claim(cardID, openid: openid(2), token: token)) == 0)
            _ = try await server.post("/sandbox/card/review", token: token, json: ["card_id": cardID, "result": "pass"])
            #expect(try await errcode(server.claim(cardID, openid: openid(1), token: token)) == 0)
            _ = try await server.post("/card/delete", token: token, json: ["card_id": cardID])
            #expect(try await errcode(server.claim(cardID, openid: openid(3), token: token)) == 40078)
        }
    }

    /// On both engines: PostgreSQL's READ COMMITTED must not lose an update either.
    @Test(arguments: TestEngine.available)
    func aSoldOutCardIs45031AndStockIsAtomic(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.memberCard(base: ["sku": ["quantity": 5], "get_limit": 1]), token: token)
            let codes = try await withThrowingTaskGroup(of: Int?.self) { group in
                for n in 0..<20 { group.addTask { try await errcode(server.claim(cardID, openid: openid(n), token: token)) } }
                return try await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            #expect(codes.filter { $0 == 0 }.count == 5)
            #expect(codes.filter { $0 == 45031 }.count == 15)
            let sku = (try await server.getCard(cardID, token: token)["base_info"] as? [String: Any])?["sku"] as? [String: Any]
            #expect(sku?["quantity"] as? Int == 0)
        }
    }

    @Test func getLimitHoldsPerOpenid() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.memberCard(base: ["get_limit": 2]), token: token)
            _ = try await server.claimCode(cardID, openid: openid(1), token: token)
            _ = try await server.claimCode(cardID, openid: openid(1), token: token)
            #expect(try await errcode(server.claim(cardID, openid: openid(1), token: token)) == 45033)
            #expect(try await errcode(server.claim(cardID, openid: openid(2), token: token)) == 0)
            let sku = (try await server.getCard(cardID, token: token)["base_info"] as? [String: Any])?["sku"] as? [String: Any]
            #expect(sku?["quantity"] as? Int == 50_000_000 - 3)
        }
    }

    @Test func customCodesAreGivenAndUniquePerCard() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let custom = CardPayloads.memberCard(base: ["use_custom_code": true])
            let first = try await server.createCard(custom, token: token)
            let second = try await server.createCard(custom, token: token)
            #expect(try await errcode(server.claim(first, openid: openid(1), token: token)) == 41013)
            #expect(try await server.claimCode(first, openid: openid(1), token: token, extra: ["code": "VIP-0001"]) == "VIP-0001")
            #expect(try await errcode(server.claim(first, openid: openid(2), token: token, extra: ["code": "VIP-0001"])) == 40116)
            #expect(try await server.claimCode(second, openid: openid(2), token: token, extra: ["code": "VIP-0001"]) == "VIP-0001")
            // The same code on two cards needs its card_id.
            #expect(try await errcode(server.post("/card/code/get", token: token, json: ["code": "VIP-0001"])) == 40056)
            let got = try await server.post("/card/code/get", token: token, json: ["code": "VIP-0001", "card_id": second])
            #expect(got["openid"] as? String == openid(2))
        }
    }

    @Test func aQRTicketClaimsItsCard() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createMemberCard(token: token)
            let qr = try await server.post("/card/qrcode/create", token: token, json: [
                "action_name": "QR_CARD", "expire_seconds": 1800,
                "action_info": ["card": ["card_id": cardID, "outer_id": 1, "outer_str": "12b"]]])
            let ticket = try #require(qr["ticket"] as? String)
            let answer = try await server.post("/sandbox/card/claim", token: token, json: ["ticket": ticket, "openid": openid(1)])
            #expect(errcode(answer) == 0 && answer["card_id"] as? String == cardID)
            let code = try #require(answer["code"] as? String)
            let got = try await server.post("/card/code/get", token: token, json: ["code": code])
            #expect(got["outer_str"] as? String == "12b")
            _ = try await server.post("/sandbox/clock", token: token, json: ["advance_seconds": 1800])
            let late = try await server.post("/sandbox/card/claim", token: token, json: ["ticket": ticket, "openid": openid(2)])
            #expect(errcode(late) == 40097)
            #expect(try await errcode(server.post("/sandbox/card/claim", token: token, json: ["ticket": "gQnope", "openid": openid(2)])) == 40097)
        }
    }

    @Test func autoActivateCardsAreActiveAtOnceWithTheirInitialPoints() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.memberCard(member: [
                "auto_activate": true, "bonus_rule": ["init_increase_bonus": 50]]), token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            let info = try await server.userInfo(cardID, code, token: token)
            #expect(info["has_active"] as? Bool == true)
            #expect(info["bonus"] as? Int == 50)
            #expect(info["membership_number"] as? String == code)
            let ledger = try await server.services.members.store.ledger(appid: testApp.id, cardID: cardID, code: code)
            #expect(ledger.map(\.delta) == [50] && ledger.first?.source == "auto_activate")
        }
    }

    @Test func badClaims() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            #expect(try await errcode(server.post("/sandbox/card/claim", token: token, json: ["card_id": cardID])) == 40003)
            #expect(try await errcode(server.post("/sandbox/card/claim", token: token, json: ["openid": openid(1)])) == 41012)
            #expect(try await errcode(server.claim("pUnknown000000000000000000000", openid: openid(1), token: token)) == 40073)
            #expect(try await errcode(server.post("/sandbox/card/claim", token: token, json: ["card_id": cardID, "openid": 5])) == 47001)
        }
    }

    @Test func anAcceptedGiftMovesTheCardToTheFriend() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            let gift = try await server.post("/sandbox/card/gift", token: token, json: ["card_id": cardID, "code": code, "openid": openid(1), "to_openid": openid(2)])
            #expect(errcode(gift) == 0)
            let newCode = try #require(gift["code"] as? String)
            #expect(newCode != code)
            // The old code is gone (40056, as WeChat answers for a code received through gifting under the old code).
            #expect(try await errcode(server.post("/card/code/get", token: token, json: ["code": code])) == 40056)
            let friend = try await server.post("/card/code/get", token: token, json: ["code": newCode])
            #expect(friend["openid"] as? String == openid(2) && friend["user_card_status"] as? String == "NORMAL")
            let list = try await server.post("/card/user/getcardlist", token: token, json: ["openid": openid(1)])
            #expect((list["card_list"] as? [Any])?.isEmpty == true)
        }
    }

    /// Member card 8.1's user_card_status includes GIFT_SUCC: userinfo/get on a code given away shows
    /// it, with the sender's openid and member data as they were at the gift; GIFTING while the
    /// gift waits. Every other API still answers 40056 for the old code.
    @Test(arguments: TestEngine.available)
    func userinfoShowsGiftingThenGiftSuccWithTheSendersData(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let (cardID, code) = try await server.member(token: token)
            let gift = ["card_id": cardID, "code": code, "openid": openid(1), "to_openid": openid(2)]
            var pending = gift as [String: Any]
            pending["accept"] = false
            #expect(try await errcode(server.post("/sandbox/card/gift", token: token, json: pending)) == 0)
            #expect(try await server.userInfo(cardID, code, token: token)["user_card_status"] as? String == "GIFTING")

            let accepted = try await server.post("/sandbox/card/gift", token: token, json: gift)
            let newCode = try #require(accepted["code"] as? String)
            let info = try await server.userInfo(cardID, code, token: token)
            #expect(errcode(info) == 0)
            #expect(info["user_card_status"] as? String == "GIFT_SUCC")
            #expect(info["openid"] as? String == openid(1))
            #expect(info["bonus"] as? Int == 100 && info["balance"] as? Int == 200 && info["membership_number"] as? String == "AAA00000001")
            #expect(info["has_active"] as? Bool == true)
            // The friend's code is a new, unactivated membership.
            let friend = try await server.userInfo(cardID, newCode, token: token)
            #expect(friend["openid"] as? String == openid(2) && friend["user_card_status"] as? String == "NORMAL" && friend["bonus"] as? Int == 0)
            // The old code is no longer usable anywhere else.
            #expect(try await errcode(server.post("/card/membercard/updateuser", token: token, json: ["card_id": cardID, "code": code, "add_bonus": 1])) == 40056)
            #expect(try await errcode(server.post("/card/code/get", token: token, json: ["card_id": cardID, "code": code])) == 40056)
            let list = try await server.post("/card/user/getcardlist", token: token, json: ["openid": openid(1)])
            #expect((list["card_list"] as? [Any])?.isEmpty == true)
            #expect(try await server.userInfo(cardID, code, token: token)["bonus"] as? Int == 100)
        }
    }

    @Test func anUnansweredGiftComesBackAfter24Hours() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            let gift = try await server.post("/sandbox/card/gift", token: token, json: ["card_id": cardID, "code": code, "openid": openid(1), "to_openid": openid(2), "accept": false])
            #expect(errcode(gift) == 0 && gift["code"] == nil)
            #expect(try await errcode(server.post("/card/code/get", token: token, json: ["code": code])) == 40127)
            let pending = try await server.post("/card/code/get", token: token, json: ["code": code, "check_consume": false])
            #expect(pending["user_card_status"] as? String == "GIFTING" && pending["can_consume"] as? Bool == false)
            _ = try await server.post("/sandbox/clock", token: token, json: ["advance_seconds": 86_400])
            let fresh = try await server.token()  // the old one expired with the day
            let back = try await server.post("/card/code/get", token: fresh, json: ["code": code])
            #expect(back["user_card_status"] as? String == "GIFT_TIMEOUT" && back["can_consume"] as? Bool == true)
            #expect(try await server.userInfo(cardID, code, token: fresh)["user_card_status"] as? String == "GIFT_TIMEOUT")
        }
    }

    @Test func giftingNeedsCanGiveFriendAndTheHolder() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.memberCard(base: ["can_give_friend": false]), token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            #expect(try await errcode(server.post("/sandbox/card/gift", token: token, json: ["card_id": cardID, "code": code, "openid": openid(1), "to_openid": openid(2)])) == 45030)
            let giftable = try await server.createCard(token: token)
            let other = try await server.claimCode(giftable, openid: openid(1), token: token)
            #expect(try await errcode(server.post("/sandbox/card/gift", token: token, json: ["card_id": giftable, "code": other, "openid": openid(3), "to_openid": openid(2)])) == 40056)
            #expect(try await errcode(server.post("/sandbox/card/gift", token: token, json: ["card_id": giftable, "code": other, "openid": openid(1), "to_openid": openid(1)])) == 40003)
        }
    }

    @Test func theUserDeletesTheCard() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            #expect(try await errcode(server.post("/sandbox/card/delete", token: token, json: ["card_id": cardID, "code": code, "openid": openid(1)])) == 0)
            #expect(try await server.userInfo(cardID, code, token: token)["user_card_status"] as? String == "DELETE")
            #expect(try await errcode(server.post("/card/code/get", token: token, json: ["code": code])) == 40127)
            #expect(try await errcode(server.post("/sandbox/card/delete", token: token, json: ["card_id": cardID, "code": code, "openid": openid(1)])) == 40127)
        }
    }
}
