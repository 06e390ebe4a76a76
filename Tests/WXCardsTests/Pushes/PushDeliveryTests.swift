import Foundation
import Testing
@testable import WXCards

extension TestServer {
    /// Configures the app's message server through `/sandbox/app/server`, expecting success.
    func setPushServer(_ receiver: PushReceiver, token: String, mode: String = "plain", key: String? = nil,
                       pushToken: String = "pushtoken1") async throws {
        var body: [String: Any] = ["url": receiver.url, "token": pushToken, "mode": mode]
        body["encoding_aes_key"] = key
        let answer = try await post("/sandbox/app/server", token: token, json: body)
        #expect(errcode(answer) == 0, "\(answer)")
    }

    /// The app's journal.
    func events(token: String, query: String = "") async throws -> [[String: Any]] {
        let answer = try await get("/sandbox/events?access_token=\(token)\(query)")
        #expect(errcode(answer) == 0, "\(answer)")
        return answer["events"] as? [[String: Any]] ?? []
    }

    /// Waits until every push in the journal is settled (delivered or failed).
    func settledEvents(token: String, timeout: Duration = .seconds(40)) async throws -> [[String: Any]] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let events = try await events(token: token)
            if events.allSatisfy({ $0["state"] as? String != "pending" }) { return events }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await events(token: token)
    }
}

/// Event pushes through the real router, delivered to a real HTTP receiver on loopback.
@Suite struct PushDeliveryTests {
    static let key = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"

    @Test func configurationIsCheckedByWeChatsURLCheck() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let app = try await server.get("/sandbox/app?access_token=\(token)")
            #expect(app["original_id"] as? String == AppRecord.originalID(appid: testApp.id))
            #expect(app["server"] is NSNull, "\(app)")
            #expect(app["appid"] as? String == testApp.id && app["pay_enabled"] as? Bool == true)
            try await withPushReceiver(echo: false) { wrong in
                let answer = try await server.post("/sandbox/app/server", token: token,
                                                   json: ["url": wrong.url, "token": "pushtoken1", "mode": "plain"])
                #expect(errcode(answer) == 40097)
                #expect((answer["errmsg"] as? String)?.contains("the URL check failed") == true, "\(answer)")
                // The check was one signed GET.
                #expect(wrong.received.isEmpty)
            }
            let refused = try await server.post("/sandbox/app/server", token: token,
                                                json: ["url": "http://127.0.0.1:1/x", "token": "pushtoken1"])
            #expect(errcode(refused) == 40097)
            #expect(try await server.get("/sandbox/app?access_token=\(token)")["server"] is NSNull)
            try await withPushReceiver { receiver in
                try await server.setPushServer(receiver, token: token, mode: "safe", key: Self.key)
                let view = try await server.get("/sandbox/app?access_token=\(token)")
                let shown = try #require(view["server"] as? [String: Any])
                #expect(shown as NSDictionary == ["url": receiver.url, "mode": "safe"] as NSDictionary)
                // A failed reconfiguration keeps the server that works.
                #expect(try await errcode(server.post("/sandbox/app/server", token: token,
                                                      json: ["url": "http://127.0.0.1:1/x", "token": "pushtoken1"])) == 40097)
                #expect((try await server.get("/sandbox/app?access_token=\(token)")["server"] as? [String: Any])?["url"] as? String == receiver.url)
            }
            #expect(try await errcode(server.post("/sandbox/app/server", token: token,
                                                  json: ["url": "http://127.0.0.1:1/x", "token": "t", "mode": "safe"])) == 40097)
        }
    }

    /// Every event of a member's life, its elements in §7.2's order, in the order it happened.
    @Test func everyEventWithItsElementsInOrder() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            try await withPushReceiver { receiver in
                try await server.setPushServer(receiver, token: token)
                let cardID = try await server.createMemberCard(token: token, member: [
                    "supply_balance": true, "need_push_on_view": true, "bonus_rule": ["cost_money_unit": 100, "increase_bonus": 1]],
                                                               base: ["pay_info": ["swipe_card": ["is_swipe_card": true]]])
                let user = openid(1), friend = openid(2)
                let code = try await server.claimCode(cardID, openid: user, token: token, extra: ["outer_str": "12b"])
                try await server.expectOK("/card/membercard/activate", token: token, MemberPayloads.activate(code: code, cardID: cardID))
                try await server.expectOK("/sandbox/card/view", token: token, ["card_id": cardID, "code": code, "openid": user, "outer_str": "qr1"])
                try await server.expectOK("/sandbox/card/enter_session", token: token, ["card_id": cardID, "code": code, "openid": user])
                try await server.expectOK("/card/membercard/activateuserform/set", token: token, [
                    "card_id": cardID, "required_form": ["can_modify": true, "common_field_id_list": ["USER_FORM_INFO_FLAG_MOBILE"]]])
                try await server.expectOK("/sandbox/membercard/submit_form", token: token, [
                    "card_id": cardID, "code": code, "openid": user,
                    "common_field_list": [["name": "USER_FORM_INFO_FLAG_MOBILE", "value": "13800000000"]]])
                try await server.expectOK("/card/membercard/updateuser", token: token,
                                          ["card_id": cardID, "code": code, "add_bonus": 60, "add_balance": -50])
                try await server.expectOK("/sandbox/pay", token: token,
                                          ["mchid": "1900000001", "openid": user, "total_fee": 12345, "card_id": cardID, "code": code])
                let gift = try await server.post("/sandbox/card/gift", token: token,
                                                 json: ["card_id": cardID, "code": code, "openid": user, "to_openid": friend])
                let newCode = try #require(gift["code"] as? String, "\(gift)")
                try await server.expectOK("/sandbox/card/delete", token: token, ["card_id": cardID, "code": newCode, "openid": friend])

                let received = try await receiver.waitFor(11)
                #expect(received.count == 11)
                // Each user's pushes, and WeChat's own, arrive in the order they happened.
                func sequence(_ sender: String) -> [String] {
                    received.map { xmlElements($0.body) }.filter { $0["FromUserName"] == sender }.map { $0["Event"] ?? "" }
                }
                #expect(sequence(PushEvent.weChatSender) == ["card_pass_check"])
                #expect(sequence(user) == [
                    "user_get_card", "user_view_card", "user_enter_session_from_card", "submit_membercard_user_info",
                    "update_member_card", "user_pay_from_pay_cell", "update_member_card", "user_gifting_card",
                ])
                #expect(sequence(friend) == ["user_get_card", "user_del_card"])
                func push(_ event: String, from sender: String, _ nth: Int = 0) throws -> String {
                    let matching = received.map(\.body).filter { xmlElements($0)["Event"] == event && xmlElements($0)["FromUserName"] == sender }
                    return try #require(matching.dropFirst(nth).first, "no \(event) from \(sender)")
                }
                let common = ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Event", "CardId"]
                #expect(xmlNames(try push("card_pass_check", from: "WeChat")) == common + ["RefuseReason"])
                #expect(xmlNames(try push("user_get_card", from: user)) == common + [
                    "IsGiveByFriend", "UserCardCode", "FriendUserName", "OuterId", "OldUserCardCode", "OuterStr",
                    "IsRestoreMemberCard", "IsRecommendByFriend"])
                #expect(xmlNames(try push("user_view_card", from: user)) == common + ["UserCardCode", "OuterStr"])
                #expect(xmlNames(try push("user_enter_session_from_card", from: user)) == common + ["UserCardCode"])
                #expect(xmlNames(try push("submit_membercard_user_info", from: user)) == common + ["UserCardCode"])
                #expect(xmlNames(try push("update_member_card", from: user)) == common + ["UserCardCode", "ModifyBonus", "ModifyBalance"])
                #expect(xmlNames(try push("user_pay_from_pay_cell", from: user)) == common + [
                    "UserCardCode", "TransId", "LocationId", "Fee", "OriginalFee"])
                #expect(xmlNames(try push("user_gifting_card", from: user)) == common + [
                    "UserCardCode", "IsReturnBack", "FriendUserName", "IsChatRoom"])
                #expect(xmlNames(try push("user_del_card", from: friend)) == common + ["UserCardCode"])

                let now = try await server.services.clock.now()
                for push in received {
                    let elements = xmlElements(push.body)
                    #expect(elements["ToUserName"] == AppRecord.originalID(appid: testApp.id))
                    #expect(elements["MsgType"] == "event" && elements["CardId"] == cardID)
                    #expect(abs((Int64(elements["CreateTime"] ?? "") ?? 0) - now) < 5)
                }
                let claim = xmlElements(try push("user_get_card", from: user))
                #expect(claim["UserCardCode"] == code && claim["OuterStr"] == "12b")
                #expect(claim["IsGiveByFriend"] == "0" && claim["FriendUserName"] == "" && claim["OldUserCardCode"] == "")
                #expect(xmlElements(try push("user_view_card", from: user))["OuterStr"] == "qr1")
                let update = xmlElements(try push("update_member_card", from: user))
                #expect(update["ModifyBonus"] == "60" && update["ModifyBalance"] == "-50")
                let pay = xmlElements(try push("user_pay_from_pay_cell", from: user))
                #expect(pay["OriginalFee"] == "12345" && pay["TransId"]?.hasPrefix("4200") == true && pay["Fee"] == "12345")
                #expect(xmlElements(try push("update_member_card", from: user, 1))["ModifyBalance"] == "0")
                let gifting = xmlElements(try push("user_gifting_card", from: user))
                #expect(gifting["FriendUserName"] == friend && gifting["UserCardCode"] == code && gifting["IsReturnBack"] == "0")
                let gotten = xmlElements(try push("user_get_card", from: friend))
                #expect(gotten["IsGiveByFriend"] == "1" && gotten["FriendUserName"] == user)
                #expect(gotten["UserCardCode"] == newCode && gotten["OldUserCardCode"] == code)
                #expect(xmlElements(try push("user_del_card", from: friend))["UserCardCode"] == newCode)
                // Plain mode: signed, with the user's openid, and no encryption parameters.
                for push in received {
                    let query = push.query
                    #expect(query["signature"] == PushCrypto.signature("pushtoken1", query["timestamp"] ?? "", query["nonce"] ?? ""))
                    #expect(query["encrypt_type"] == nil && query["msg_signature"] == nil)
                    #expect(query["openid"] == xmlElements(push.body)["FromUserName"] || xmlElements(push.body)["FromUserName"] == "WeChat")
                }
                // The journal: newest first, every one delivered at the first attempt.
                let journal = try await server.settledEvents(token: token)
                #expect(journal.count == 11)
                #expect(journal.first?["event"] as? String == "user_del_card")
                #expect(journal.allSatisfy { $0["state"] as? String == "delivered" && ($0["attempts"] as? [Any])?.count == 1 })
                let attempt = try #require((journal.first?["attempts"] as? [[String: Any]])?.first)
                #expect(attempt["status"] as? Int == 200 && attempt["response"] as? String == "success")
                #expect(try await server.events(token: token, query: "&event=user_get_card").count == 2)
                #expect(try await server.events(token: token, query: "&openid=\(friend)&limit=1").count == 1)
            }
        }
    }

    @Test func noServerNoPushAndAViewWithoutTheFlagPushesNothing() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let (cardID, code) = try await server.member(token: token)
            #expect(try await server.events(token: token).isEmpty)
            try await withPushReceiver { receiver in
                try await server.setPushServer(receiver, token: token)
                let view = try await server.post("/sandbox/card/view", token: token, json: ["card_id": cardID, "code": code, "openid": openid(1)])
                #expect(view["pushed"] as? Bool == false)
                #expect(try await errcode(server.post("/sandbox/card/view", token: token,
                                                      json: ["card_id": cardID, "code": code, "openid": openid(9)])) == 40056)
                try await Task.sleep(for: .milliseconds(400))
                #expect(receiver.received.isEmpty)
            }
        }
    }

    /// Safe and compatible mode: what the merchant's SDK checks and decrypts.
    @Test(arguments: ["safe", "compatible"])
    func encryptedModes(mode: String) async throws {
        try await withTestServer { server in
            let token = try await server.token()
            try await withPushReceiver { receiver in
                try await server.setPushServer(receiver, token: token, mode: mode, key: Self.key)
                let cardID = try await server.createMemberCard(token: token)
                let pushes = try await receiver.waitFor(1)
                let push = try #require(pushes.first)
                let query = push.query
                #expect(query["encrypt_type"] == "aes")
                let elements = xmlElements(push.body)
                let encrypted = try #require(elements["Encrypt"])
                #expect(query["msg_signature"] == PushCrypto.signature("pushtoken1", query["timestamp"] ?? "", query["nonce"] ?? "", encrypted))
                let key = try #require(PushCrypto.key(encodingAESKey: Self.key))
                let inner = try #require(PushCrypto.decrypt(encrypted, key: key))
                #expect(inner.appid == testApp.id)
                #expect(xmlElements(inner.xml)["Event"] == "card_pass_check" && xmlElements(inner.xml)["CardId"] == cardID)
                if mode == "safe" {
                    #expect(xmlNames(push.body) == ["ToUserName", "Encrypt"])
                } else {
                    #expect(xmlNames(push.body) == xmlNames(inner.xml) + ["Encrypt"])
                }
                // The journal keeps the plain XML.
                let journal = try await server.settledEvents(token: token)
                #expect(journal.first?["xml"] as? String == inner.xml)
            }
        }
    }

    /// Three requests in all; each retry byte-identical; then failed, and redelivery adds to it.
    @Test func retriesThenFailureThenRedelivery() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            try await withPushReceiver([.answer(500, "oops"), .answer(200, "fail"), .answer(404, "")]) { receiver in
                try await server.setPushServer(receiver, token: token)
                _ = try await server.createMemberCard(token: token)
                let received = try await receiver.waitFor(3)
                #expect(received.count == 3)
                #expect(Set(received.map(\.body)).count == 1)
                #expect(Set(received.map(\.query)).count == 1)
                let gaps = zip(received.dropFirst(), received).map { $0.at - $1.at }
                #expect(gaps.allSatisfy { $0 >= .milliseconds(900) && $0 < .seconds(10) }, "\(gaps)")
                let journal = try await server.settledEvents(token: token)
                let entry = try #require(journal.first)
                #expect(entry["state"] as? String == "failed")
                let attempts = try #require(entry["attempts"] as? [[String: Any]])
                #expect(attempts.map { $0["status"] as? Int } == [500, 200, 404])
                #expect(attempts.map { $0["response"] as? String } == ["oops", "fail", ""])
                try await Task.sleep(for: .milliseconds(300))
                #expect(receiver.received.count == 3)

                receiver.answer([.success])
                let redelivered = try await server.post("/sandbox/events/redeliver", token: token, json: ["id": entry["id"] as Any])
                #expect(errcode(redelivered) == 0, "\(redelivered)")
                let event = try #require(redelivered["event"] as? [String: Any])
                #expect(event["state"] as? String == "delivered")
                #expect((event["attempts"] as? [Any])?.count == 4)
                #expect(receiver.received.count == 4 && receiver.received.last?.body == received[0].body)
                #expect(try await errcode(server.post("/sandbox/events/redeliver", token: token, json: ["id": "nope"])) == 40097)
                #expect(try await errcode(server.post("/sandbox/events/redeliver", token: token, json: [:])) == 41011)
            }
        }
    }

    /// A receiver that answers after WeChat's 5 s: the attempt has no status, and is retried.
    @Test func aSlowReceiverTimesOutAndIsRetried() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            try await withPushReceiver([.sleep(.seconds(6)), .success]) { receiver in
                try await server.setPushServer(receiver, token: token)
                _ = try await server.createMemberCard(token: token)
                _ = try await receiver.waitFor(2, timeout: .seconds(20))
                let settled = try await server.settledEvents(token: token)
                let entry = try #require(settled.first)
                #expect(entry["state"] as? String == "delivered")
                let attempts = try #require(entry["attempts"] as? [[String: Any]])
                #expect(attempts.count == 2)
                #expect(attempts.first?["status"] is NSNull, "\(attempts)")
                #expect((attempts.first?["latency_ms"] as? Int ?? 0) >= 4_900)
                #expect((attempts.first?["latency_ms"] as? Int ?? 99_999) < 6_000)
            }
        }
    }

    /// App B never sees app A's pushes, and its own go to its own server only.
    @Test func pushesAndTheJournalBelongToOneApp() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let (_, theirToken) = try await server.otherApp()
            try await withPushReceiver { mine in
                try await withPushReceiver { theirs in
                    try await server.setPushServer(mine, token: token)
                    try await server.setPushServer(theirs, token: theirToken)
                    let myCard = try await server.createMemberCard(token: token)
                    let theirCard = try await server.createMemberCard(token: theirToken)
                    _ = try await mine.waitFor(1)
                    _ = try await theirs.waitFor(1)
                    try await Task.sleep(for: .milliseconds(200))
                    #expect(mine.received.map { xmlElements($0.body)["CardId"] } == [myCard])
                    #expect(theirs.received.map { xmlElements($0.body)["CardId"] } == [theirCard])
                    let myJournal = try await server.settledEvents(token: token)
                    #expect(myJournal.map { $0["card_id"] as? String } == [myCard])
                    let theirEvents = try await server.events(token: theirToken)
                    let theirID = try #require(theirEvents.first?["id"] as? String)
                    #expect(try await errcode(server.post("/sandbox/events/redeliver", token: token, json: ["id": theirID])) == 40097)
                }
            }
        }
    }

    /// A new configuration replaces the old one: nothing more goes to the old URL.
    @Test func reconfigurationMovesPushesToTheNewServer() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            try await withPushReceiver { old in
                try await withPushReceiver { new in
                    try await server.setPushServer(old, token: token)
                    _ = try await server.createMemberCard(token: token)
                    _ = try await old.waitFor(1)
                    try await server.setPushServer(new, token: token)
                    _ = try await server.createMemberCard(token: token)
                    _ = try await new.waitFor(1)
                    try await Task.sleep(for: .milliseconds(200))
                    #expect(old.received.count == 1 && new.received.count == 1)
                }
            }
        }
    }

    /// Manual review: the sandbox's verdict, with its reason.
    @Test func reviewEventsCarryTheReason() async throws {
        try await withTestServer(review: .manual) { server in
            let token = try await server.token()
            try await withPushReceiver { receiver in
                try await server.setPushServer(receiver, token: token)
                let cardID = try await server.createMemberCard(token: token)
                try await server.expectOK("/sandbox/card/review", token: token, ["card_id": cardID, "result": "reject", "reason": "非法代制"])
                try await server.expectOK("/sandbox/card/review", token: token, ["card_id": cardID, "result": "pass"])
                let received = try await receiver.waitFor(2)
                #expect(received.map { xmlElements($0.body)["Event"] } == ["card_not_pass_check", "card_pass_check"])
                #expect(xmlElements(received[0].body)["RefuseReason"] == "非法代制")
                #expect(xmlElements(received[1].body)["RefuseReason"] == "")
            }
        }
    }

    /// card_sku_remind: started above 200, 100 or fewer left, at most every 12 hours.
    @Test func stockReminder() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            try await withPushReceiver { receiver in
                try await server.setPushServer(receiver, token: token)
                let cardID = try await server.createMemberCard(token: token, base: ["sku": ["quantity": 201]])
                // 100 claims leave 101; the next leaves 100: the reminder. One more (99): none, for 12 hours.
                for n in 1...102 { _ = try await server.claimCode(cardID, openid: openid(n), token: token) }
                try await server.expectOK("/sandbox/clock", token: token, ["advance_seconds": 43_200])
                _ = try await server.claimCode(cardID, openid: openid(103), token: try await server.token())
                let events = try await receiver.waitFor(106).map { xmlElements($0.body) }
                let reminders = events.filter { $0["Event"] == "card_sku_remind" }
                #expect(reminders.map { $0["Detail"] } == ["the card's quantity is equal to 100", "the card's quantity is equal to 98"])
                #expect(events.count == 106)
                #expect(reminders.allSatisfy { $0["FromUserName"] == PushEvent.weChatSender })
            }
        }
    }
}

extension TestServer {
    func expectOK(_ path: String, token: String, _ body: [String: Any]) async throws {
        let answer = try await post(path, token: token, json: body)
        #expect(errcode(answer) == 0, "\(path): \(answer)")
    }
}

/// The journal is bounded: by count per app and by age, pruned by the worker, never pending
/// pushes.
@Suite struct PushJournalRetentionTests {
    @Test(arguments: TestEngine.available)
    func theWorkerPrunesBeyondTheNewestKept(engine: TestEngine) async throws {
        var settings = PushDelivery.Settings()
        settings.keepPerApp = 3
        settings.pruneEveryMilliseconds = 100
        try await withTestServer(engine, pushSettings: settings) { server in
            let token = try await server.token()
            try await withPushReceiver { receiver in
                try await server.setPushServer(receiver, token: token)
                var cards: [String] = []
                for _ in 0..<6 { cards.append(try await server.createMemberCard(token: token)) }
                _ = try await receiver.waitFor(6)
                let deadline = ContinuousClock.now + .seconds(10)
                var journal = try await server.events(token: token)
                while journal.count > 3, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                    journal = try await server.events(token: token)
                }
                #expect(journal.map { $0["card_id"] as? String } == cards.suffix(3).reversed())
            }
        }
    }

    @Test func ageAndPendingPushes() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            // A server that is down: pushes stay pending through their first attempt.
            try await withPushReceiver([.answer(500, "down")]) { receiver in
                try await server.setPushServer(receiver, token: token)
                _ = try await server.createMemberCard(token: token)
                _ = try await receiver.waitFor(1)
                // Everything is older than a minute from now, but a pending push stays.
                let future = Int64(Date().timeIntervalSince1970 * 1000) + 60_000
                try await server.services.pushes.prune(keep: 10_000, olderThan: future)
                #expect(try await server.events(token: token).count == 1)
                let settled = try await server.settledEvents(token: token)
                #expect(settled.first?["state"] as? String == "failed")
                try await server.services.pushes.prune(keep: 10_000, olderThan: future)
                #expect(try await server.events(token: token).isEmpty)
            }
        }
    }
}
