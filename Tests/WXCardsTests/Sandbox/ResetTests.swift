import Foundation
import SQLKit
import Testing
@testable import WXCards

/// `POST /sandbox/reset` and `ResetStore.resetAll` (`wxcards reset`), on both engines.
@Suite struct ResetTests {
    /// An app with one of everything a reset removes: a paying member card with a member (points,
    /// ledger, messages), a profile, a whitelist, a QR code, a form, a pay-gift rule and payments.
    static func populate(_ server: TestServer, token: String, mchid: String) async throws -> (cardID: String, code: String) {
        let cardID = try await server.createCard(PayGiftPayloads.payingMemberCard(extra: ["auto_activate": false, "supply_balance": true]), token: token)
        let code = try await server.claimCode(cardID, openid: openid(1), token: token)
        let activated = try await server.post("/card/membercard/activate", token: token,
                                              json: MemberPayloads.activate(code: code, cardID: cardID))
        #expect(errcode(activated) == 0, "\(activated)")
        let now = try await server.services.clock.now()
        let steps: [(String, [String: Any])] = [
            ("/card/membercard/updateuser", ["card_id": cardID, "code": code, "add_bonus": 5]),
            ("/sandbox/user", ["openid": openid(1), "nickname": "Ann", "sex": "FEMALE"]),
            ("/card/testwhitelist/set", ["openid": [openid(2)]]),
            ("/card/qrcode/create", ["action_name": "QR_CARD", "action_info": ["card": ["card_id": cardID]]]),
            ("/card/membercard/activateuserform/set", ["card_id": cardID, "required_form": [
                "common_field_id_list": ["USER_FORM_INFO_FLAG_MOBILE"]]]),
            ("/card/paygiftcard/add", PayGiftPayloads.live(cardID: try await server.createCard(
                PayGiftPayloads.payingMemberCard(), token: token), mchids: [mchid], now: now)),
            ("/sandbox/pay", ["mchid": mchid, "openid": openid(3), "total_fee": 500]),
            ("/sandbox/pay", ["mchid": mchid, "openid": openid(1), "total_fee": 500, "card_id": cardID, "code": code]),
        ]
        for (path, body) in steps {
            let answer = try await server.post(path, token: token, json: body)
            #expect(errcode(answer) == 0, "\(path): \(answer)")
        }
        return (cardID, code)
    }

    @Test(arguments: TestEngine.available)
    func resetWipesTheCallingAppAndNothingElse(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let (_, theirToken) = try await server.otherApp()
            let mine = try await Self.populate(server, token: token, mchid: "1900000001")
            let theirs = try await Self.populate(server, token: theirToken, mchid: "1900000002")
            let theirMember = try await server.userInfo(theirs.cardID, theirs.code, token: theirToken)
            let theirMessages = try await server.messages(openid(1), token: theirToken)
            let clock = try await server.services.clock.now()

            let answer = try await server.post("/sandbox/reset", token: token, raw: "")
            #expect(errcode(answer) == 0, "\(answer)")
            let removed = try #require(answer["removed"] as? [String: Int])
            #expect(Set(removed.keys) == Set(SchemaTables.appData.map(\.label)))
            #expect(removed["cards"] == 2)
            #expect(removed["codes"] == 1)  // a pay-gift offer is a message, not a code
            #expect(removed["payments"] == 2)
            #expect(removed["pay_gift_rules"] == 1)
            #expect(removed["pay_gift_mchids"] == 1)
            #expect(removed["qrcodes"] == 1)
            #expect(removed["user_profiles"] == 1)
            #expect(removed["test_whitelist_entries"] == 1)
            #expect(removed["activate_forms"] == 1)
            #expect((removed["ledger_entries"] ?? 0) >= 2)
            #expect((removed["messages"] ?? 0) >= 3)

            // The app behaves as new: its token still works, its old card and code are gone,
            // its lists are empty, and the merchant id is free for a new rule.
            #expect(try await errcode(server.post("/card/get", token: token, json: ["card_id": mine.cardID])) == 40073)
            #expect(try await errcode(server.userInfo(mine.cardID, mine.code, token: token)) != 0)
            let cards = try await server.post("/card/batchget", token: token, json: ["offset": 0, "count": 50])
            #expect((cards["card_id_list"] as? [String]) == [])
            #expect(try await server.messages(openid(1), token: token).isEmpty)
            let again = try await Self.populate(server, token: token, mchid: "1900000001")
            #expect(again.cardID != mine.cardID)

            // The other app and the server's clock are untouched.
            #expect(try await server.services.clock.now() == clock)
            let member = try await server.userInfo(theirs.cardID, theirs.code, token: theirToken)
            #expect(member["bonus"] as? Int == theirMember["bonus"] as? Int)
            #expect(errcode(member) == 0)
            #expect(try await server.messages(openid(1), token: theirToken).count == theirMessages.count)
        }
    }

    @Test(arguments: TestEngine.available)
    func aSecondResetRemovesNothingAndABodyWithFieldsIsRefused(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            _ = try await server.member(token: token)
            let refused = try await server.post("/sandbox/reset", token: token, json: ["app": "all"])
            #expect(errcode(refused) == 40097)
            #expect((refused["errmsg"] as? String)?.hasPrefix("invalid args, unknown field \"app\"") == true)
            #expect(try await server.post("/card/batchget", token: token, json: ["offset": 0, "count": 50])["total_num"] as? Int == 1)
            #expect(try await errcode(server.post("/sandbox/reset", token: token, json: [:])) == 0)
            let second = try await server.post("/sandbox/reset", token: token, raw: "")
            #expect((second["removed"] as? [String: Int])?.values.allSatisfy { $0 == 0 } == true)
            #expect(try await errcode(server.post("/sandbox/reset", token: nil, raw: "")) == 41001)
        }
    }

    @Test(arguments: TestEngine.available)
    func resetAllKeepsTheAppsOnly(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let (other, theirToken) = try await server.otherApp()
            _ = try await Self.populate(server, token: token, mchid: "1900000001")
            _ = try await Self.populate(server, token: theirToken, mchid: "1900000002")
            #expect(try await errcode(server.post("/sandbox/merchant", token: token, json: ["mchid": "1900000003", "entity": "Shop"])) == 0)
            #expect(try await errcode(server.post("/sandbox/clock", token: token, json: ["advance_seconds": 3600])) == 0)

            // `wxcards reset` runs with the server stopped: nothing waits in the journal's buffer.
            try await server.services.journal?.flush()
            let removed = try await ResetStore(store: server.services.store).resetAll()
            #expect(removed["cards"] == 4)
            #expect(removed["merchants"] == 1)
            #expect((removed["access_tokens"] ?? 0) >= 2)
            let left = try await server.services.store.read { db in
                var counts: [String: Int] = [:]
                for table in SchemaTables.appData.map(\.table) + ["access_tokens", "merchants"] {
                    counts[table] = try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self)
                }
                return counts
            }
            #expect(left.values.allSatisfy { $0 == 0 }, "\(left)")
            // Both apps are kept with their secrets: a token can be fetched again.
            _ = try await server.token()
            _ = try await server.token(for: other)
        }
    }

    /// Every table the migrations create is placed in `SchemaTables`, so a reset can never
    /// leave a new table's rows behind.
    @Test(arguments: TestEngine.available)
    func everyTableIsPlacedInSchemaTables(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, database in
            let tables = try await store.read { db -> [String] in
                let query: SQLQueryString = database.schema.map {
                    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = \(bind: $0)"
                } ?? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                return try await db.raw(query).all().map { try $0.decode(column: "name", as: String.self) }
            }
            let placed = SchemaTables.appData.map(\.table) + SchemaTables.configuration + SchemaTables.serverState
            #expect(Set(tables) == Set(placed))
            #expect(placed.count == Set(placed).count)
        }
    }
}
