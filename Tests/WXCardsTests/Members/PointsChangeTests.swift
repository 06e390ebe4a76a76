import Foundation
import Testing
@testable import WXCards

/// `updateuser` writes the same rows on both engines. On PostgreSQL it goes as one statement
/// (`MemberStore.applyPointsAtOnce`) computed from the row as read, and falls back to the
/// transaction when the row changed in between.
@Suite struct PointsChangeTests {
    @Test(arguments: TestEngine.available)
    func aChangeLeavesItsLedgerMessagesAndPush(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            try await withPushReceiver { receiver in
                try await server.setPushServer(receiver, token: token)
                let cardID = try await server.createMemberCard(token: token, member: [
                    "supply_balance": true, "custom_field1": ["name_type": "FIELD_NAME_TYPE_LEVEL", "name": "等级"]])
                let user = openid(1)
                let code = try await server.claimCode(cardID, openid: user, token: token)
                try await server.expectOK("/card/membercard/activate", token: token, MemberPayloads.activate(code: code, cardID: cardID))
                let answer = try await server.post("/card/membercard/updateuser", token: token, json: [
                    "card_id": cardID, "code": code, "add_bonus": 3, "record_bonus": "消费", "balance": 150,
                    "custom_field_value1": "白金", "notify_optional": ["is_notify_custom_field1": true]])
                #expect(errcode(answer) == 0)
                #expect(answer["result_bonus"] as? Int == 103 && answer["result_balance"] as? Int == 150 && answer["openid"] as? String == user)

                let ledger = try await server.services.members.store.ledger(appid: testApp.id, cardID: cardID, code: code)
                #expect(ledger.map(\.seq) == [1, 2, 3, 4])
                #expect(ledger.suffix(2).map(\.kind) == ["bonus", "balance"])
                #expect(ledger.suffix(2).map(\.delta) == [3, -50] && ledger.suffix(2).map(\.result) == [103, 150])
                #expect(ledger.suffix(2).map(\.record) == ["消费", nil] && ledger.suffix(2).allSatisfy { $0.source == "updateuser" })

                let texts = try await server.messages(user, token: token).prefix(3).map { $0["text"] as? String ?? "" }
                #expect(Set(texts) == ["积分变动+3，当前积分103（消费）", "余额变动-0.50元，当前余额1.50元", "等级变更为白金"])
                let stored = try await server.services.members.store.held(appid: testApp.id, cardID: cardID, code: code)
                #expect(stored?.userCard.customFieldValues.first == "白金")

                let pushes = try await receiver.waitFor(3)  // claim, activation, this change
                let update = try #require(pushes.map { xmlElements($0.body) }.last { $0["Event"] == "update_member_card" })
                #expect(update["ModifyBonus"] == "3" && update["ModifyBalance"] == "-50" && update["UserCardCode"] == code)
            }
        }
    }

    /// Forty changes at once to one member: none is lost, and the ledger numbers stay one run.
    @Test(arguments: TestEngine.available)
    func concurrentChangesToOneMemberLoseNothing(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let (cardID, code) = try await server.member(token: token)
            let before = try await server.userInfo(cardID, code, token: token)["bonus"] as? Int ?? -1
            let answers = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        errcode(try await server.post("/card/membercard/updateuser", token: token,
                                                      json: ["card_id": cardID, "code": code, "add_bonus": 1])) ?? -1
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0 == 0 })
            #expect(try await server.userInfo(cardID, code, token: token)["bonus"] as? Int == before + 40)
            let ledger = try await server.services.members.store.ledger(appid: testApp.id, cardID: cardID, code: code)
            #expect(ledger.map(\.seq) == Array(1...Int64(ledger.count)))
            let results = ledger.filter { $0.source == "updateuser" }.map(\.result).sorted()
            #expect(results == Array(Int64(before + 1)...Int64(before + 40)))
        }
    }

    /// A change computed from a read that is no longer true writes nothing at all.
    @Test(arguments: TestEngine.available.filter { $0 == .postgres })
    func aChangeFromAStaleReadWritesNothing(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let (cardID, code) = try await server.member(token: token)
            let members = server.services.members
            let stale = try #require(try await members.store.held(appid: testApp.id, cardID: cardID, code: code))
            try await server.expectOK("/card/membercard/updateuser", token: token, ["card_id": cardID, "code": code, "add_bonus": 5])
            let ledgerBefore = try await members.store.ledger(appid: testApp.id, cardID: cardID, code: code)
            let messagesBefore = try await server.messages(stale.userCard.openid, token: token).count

            var change = Members.PointsChange()
            change.addBonus = 7
            let now = try await server.services.clock.now()
            #expect(try await members.updateAtOnce(appid: testApp.id, held: stale, change, now: now) == nil)
            #expect(try await members.store.ledger(appid: testApp.id, cardID: cardID, code: code) == ledgerBefore)
            #expect(try await server.messages(stale.userCard.openid, token: token).count == messagesBefore)

            // From a fresh read it goes through, as one statement.
            let fresh = try #require(try await members.store.held(appid: testApp.id, cardID: cardID, code: code))
            let result = try #require(try await members.updateAtOnce(appid: testApp.id, held: fresh, change, now: now))
            #expect(result.result_bonus == fresh.userCard.bonus + 7)
            #expect(try await members.store.ledger(appid: testApp.id, cardID: cardID, code: code).count == ledgerBefore.count + 1)
        }
    }
}
