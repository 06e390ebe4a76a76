import Foundation
import Testing
@testable import WXCards

/// The four `/datacube/getcard*` reports over a scripted day, through the real router and the
/// real database: every field of every report, then the days after it.
@Suite struct DataCubeReportTests {
    /// The test wall clock starts at 22:13:20 China time on 2026-09-20 (China day 20717).
    static let firstDay: Int64 = 20717

    /// The day the script runs on: the day after the clock's first, from 01:00 China time.
    static let scriptDay = firstDay + 1

    static func date(_ day: Int64) -> String { ChinaDay.format(day) }

    struct Script: Sendable {
        let member: String, groupon: String, cash: String
        let fee: Int
        /// A token valid at the script's end.
        let token: String
    }

    /// On one China day: four users claim, view, activate, pay, gift, delete, consume, and one
    /// coupon expires. Leaves the clock at 23:00 of that day.
    static func runScript(_ server: TestServer, token: String) async throws -> Script {
        var token = token
        let u1 = openid(1), u2 = openid(2), u3 = openid(3), u4 = openid(4)
        // To 01:00 China time of the next day.
        token = try await advance(server, token: token, by: 6_400 + 3_600)
        let dayStart = ChinaDay.start(scriptDay)
        let member = try await server.createCard(PayGiftPayloads.payingMemberCard(extra: ["auto_activate": false]), token: token)
        let groupon = try await server.createCard(CardPayloads.coupon(.groupon), token: token)
        let cash = try await server.createCard(CardPayloads.coupon(.cash, base: ["date_info": [
            "type": "DATE_TYPE_FIX_TIME_RANGE", "begin_timestamp": dayStart, "end_timestamp": dayStart + 5 * 3600]]), token: token)

        let m1 = try await server.claimCode(member, openid: u1, token: token)
        let m2 = try await server.claimCode(member, openid: u2, token: token)
        let m3 = try await server.claimCode(member, openid: u1, token: token)
        for code in [m1, m2] {
            let answer = try await server.post("/card/membercard/activate", token: token, json: ["card_id": member, "code": code, "membership_number": code])
            #expect(errcode(answer) == 0, "\(answer)")
        }
        for _ in 0..<2 {
            let answer = try await server.post("/sandbox/card/view", token: token, json: ["card_id": member, "code": m1, "openid": u1])
            #expect(errcode(answer) == 0, "\(answer)")
        }
        let paid = try await server.pay(["mchid": "1900000109", "openid": u1, "total_fee": 2000, "card_id": member, "code": m1], token: token)
        #expect(errcode(paid) == 0, "\(paid)")
        let deleted = try await server.post("/sandbox/card/delete", token: token, json: ["card_id": member, "code": m2, "openid": u2])
        #expect(errcode(deleted) == 0, "\(deleted)")
        let gift = try await server.post("/sandbox/card/gift", token: token,
                                         json: ["card_id": member, "code": m3, "openid": u1, "to_openid": u3, "accept": true])
        #expect(errcode(gift) == 0, "\(gift)")

        let g1 = try await server.claimCode(groupon, openid: u1, token: token)
        let g4 = try await server.claimCode(groupon, openid: u4, token: token)
        _ = g4
        let consumed = try await server.post("/card/code/consume", token: token, json: ["card_id": groupon, "code": g1])
        #expect(errcode(consumed) == 0, "\(consumed)")
        let viewed = try await server.post("/sandbox/card/view", token: token, json: ["card_id": groupon, "code": g4, "openid": u4])
        #expect(errcode(viewed) == 0, "\(viewed)")
        _ = try await server.claimCode(cash, openid: u4, token: token)
        // To 23:00: the cash coupon ended at 05:00.
        token = try await advance(server, token: token, by: 22 * 3600)
        return Script(member: member, groupon: groupon, cash: cash, fee: try #require(paid["actual_fee"] as? Int), token: token)
    }

    /// Moves the sandbox clock and answers a fresh token (a long move outlives the old one).
    static func advance(_ server: TestServer, token: String, by seconds: Int) async throws -> String {
        let answer = try await server.post("/sandbox/clock", token: token, json: ["advance_seconds": seconds])
        #expect(errcode(answer) == 0, "\(answer)")
        return try await server.token()
    }

    static func report(_ server: TestServer, _ path: String, token: String, _ body: [String: Any]) async throws -> [[String: Any]] {
        let answer = try await server.post("/datacube/\(path)", token: token, json: body)
        #expect(errcode(answer) == 0, "\(path): \(answer)")
        return try #require(answer["list"] as? [[String: Any]], "\(path): \(answer)")
    }

    /// The row's fields as integers, with its date and ids as given.
    static func fields(_ row: [String: Any]) -> [String: String] {
        row.mapValues { "\($0)" }
    }

    @Test(arguments: TestEngine.available)
    func aScriptedDayClosesAtMidnightWithEveryFieldExact(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let script = try await Self.runScript(server, token: try await server.token())
            var token = script.token

            // The day is not over: asking for it is a range error.
            let early = try await server.post("/datacube/getcardbizuininfo", token: token,
                                              json: ["begin_date": Self.date(Self.scriptDay), "end_date": Self.date(Self.scriptDay), "cond_source": 1])
            #expect(errcode(early) == 61501, "\(early)")

            // Past midnight, the day is closed and final at once.
            token = try await Self.advance(server, token: token, by: 3_600)
            let day = Self.date(Self.scriptDay)
            let range: [String: Any] = ["begin_date": day, "end_date": day]

            var body = range
            body["cond_source"] = 1
            let bizuin = try await Self.report(server, "getcardbizuininfo", token: token, body)
            #expect(bizuin.map(Self.fields) == [[
                "ref_date": day, "view_cnt": "3", "view_user": "2", "receive_cnt": "7", "receive_user": "4",
                "verify_cnt": "1", "verify_user": "1", "given_cnt": "1", "given_user": "1", "expire_cnt": "1", "expire_user": "1",
            ]])

            let coupons = try await Self.report(server, "getcardcardinfo", token: token, body)
            let byCard = Dictionary(uniqueKeysWithValues: coupons.map { ($0["card_id"] as? String ?? "", Self.fields($0)) })
            #expect(coupons.count == 2)
            #expect(byCard[script.groupon] == [
                "ref_date": day, "card_id": script.groupon, "card_type": "4", "view_cnt": "1", "view_user": "1",
                "receive_cnt": "2", "receive_user": "2", "verify_cnt": "1", "verify_user": "1",
                "given_cnt": "0", "given_user": "0", "expire_cnt": "0", "expire_user": "0",
            ])
            #expect(byCard[script.cash] == [
                "ref_date": day, "card_id": script.cash, "card_type": "1", "view_cnt": "0", "view_user": "0",
                "receive_cnt": "1", "receive_user": "1", "verify_cnt": "0", "verify_user": "0",
                "given_cnt": "0", "given_user": "0", "expire_cnt": "1", "expire_user": "1",
            ])

            let members = try await Self.report(server, "getcardmembercardinfo", token: token, body)
            #expect(members.map(Self.fields) == [[
                "ref_date": day, "view_cnt": "2", "view_user": "1", "receive_cnt": "4", "receive_user": "3",
                "active_cnt": "2", "active_user": "2", "verify_cnt": "0", "verify_user": "0",
                "total_user": "2", "total_receive_user": "3",
            ]])

            var detailBody = range
            detailBody["card_id"] = script.member
            let detail = try await Self.report(server, "getcardmembercarddetail", token: token, detailBody)
            #expect(detail.map(Self.fields) == [[
                "ref_date": day, "merchanttype": "0", "cardid": script.member, "submerchantid": "0",
                "view_cnt": "2", "view_user": "1", "receive_cnt": "4", "receive_user": "3",
                "verify_cnt": "0", "verify_user": "0", "active_cnt": "2", "active_user": "2",
                "total_user": "2", "total_receive_user": "3", "new_user": "3",
                "payOriginalFee": "2000", "fee": "\(script.fee)",
            ]])
            #expect(script.fee == 1800, "a 10% member discount on 2000 fen")

            // Console cards (cond_source 0): none exist, so every counter is 0.
            body["cond_source"] = 0
            let console = try await Self.report(server, "getcardmembercardinfo", token: token, body)
            #expect(console.map(Self.fields) == [[
                "ref_date": day, "view_cnt": "0", "view_user": "0", "receive_cnt": "0", "receive_user": "0",
                "active_cnt": "0", "active_user": "0", "verify_cnt": "0", "verify_user": "0",
                "total_user": "0", "total_receive_user": "0",
            ]])
            #expect(try await Self.report(server, "getcardcardinfo", token: token, body).isEmpty)
        }
    }

    @Test(arguments: TestEngine.available)
    func daysWithoutActivityAreZerosAndTotalsCarryOver(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let script = try await Self.runScript(server, token: try await server.token())
            var token = script.token
            // The next day the friend deletes the gift: one member left. Then 400 days pass.
            token = try await Self.advance(server, token: token, by: 3_600 * 2)
            let list = try await server.post("/card/user/getcardlist", token: token, json: ["openid": openid(3), "card_id": script.member])
            let code = try #require((list["card_list"] as? [[String: Any]])?.first?["code"] as? String, "\(list)")
            let deleted = try await server.post("/sandbox/card/delete", token: token, json: ["card_id": script.member, "code": code, "openid": openid(3)])
            #expect(errcode(deleted) == 0, "\(deleted)")
            token = try await Self.advance(server, token: token, by: 400 * 86_400)

            // From the day before the script to three days after it.
            let range: [String: Any] = ["begin_date": Self.date(Self.firstDay), "end_date": Self.date(Self.scriptDay + 3),
                                        "card_id": script.member]
            let detail = try await Self.report(server, "getcardmembercarddetail", token: token, range)
            #expect(detail.map { $0["ref_date"] as? String } == (Self.firstDay...(Self.scriptDay + 3)).map { Self.date($0) })
            #expect(detail.map { $0["total_user"] as? Int } == [0, 2, 1, 1, 1])
            #expect(detail.map { $0["total_receive_user"] as? Int } == [0, 3, 3, 3, 3])
            #expect(detail.map { $0["receive_cnt"] as? Int } == [0, 4, 0, 0, 0])

            // A range that starts after the last activity still starts from the totals before it.
            let late: [String: Any] = ["begin_date": Self.date(Self.scriptDay + 300), "end_date": Self.date(Self.scriptDay + 361),
                                       "cond_source": 1]
            let members = try await Self.report(server, "getcardmembercardinfo", token: token, late)
            #expect(members.count == 62)
            #expect(members.allSatisfy { $0["total_user"] as? Int == 1 && $0["total_receive_user"] as? Int == 3 && $0["receive_cnt"] as? Int == 0 })
        }
    }

    @Test(arguments: TestEngine.available)
    func concurrentReportsCloseADayOnce(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let script = try await Self.runScript(server, token: try await server.token())
            let token = try await Self.advance(server, token: script.token, by: 3_600)
            let day = Self.date(Self.scriptDay)
            let body: [String: Any] = ["begin_date": day, "end_date": day, "cond_source": 1]
            let json = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
            let counts = try await withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let answer = try await server.post("/datacube/getcardbizuininfo", token: token, raw: json)
                        return (answer["list"] as? [[String: Any]])?.first?["receive_cnt"] as? Int
                    }
                }
                return try await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            #expect(counts == Array(repeating: 7, count: 8))
        }
    }

    @Test func anotherAppsCardIsUnknownAndItsActivityIsNotCounted() async throws {
        try await withTestServer { server in
            let script = try await Self.runScript(server, token: try await server.token())
            var token = script.token
            token = try await Self.advance(server, token: token, by: 3_600)
            let other = Credential(id: "wxfedcba0987654321", secret: "fedcba9876543210fedcba9876543210")
            try await server.services.apps.upsertApp(other, now: try await server.services.clock.now())
            let otherToken = try await server.token(for: other)
            let day = Self.date(Self.scriptDay)

            let detail = try await server.post("/datacube/getcardmembercarddetail", token: otherToken,
                                               json: ["begin_date": day, "end_date": day, "card_id": script.member])
            let missing = try await server.post("/datacube/getcardmembercarddetail", token: otherToken,
                                                json: ["begin_date": day, "end_date": day, "card_id": "pNoSuchCard000000000000000000"])
            #expect(errcode(detail) == 40073, "\(detail)")
            // The same answer but for the request id.
            func message(_ answer: [String: Any]) -> String? { (answer["errmsg"] as? String)?.components(separatedBy: " rid: ").first }
            #expect(errcode(detail) == errcode(missing) && message(detail) == message(missing), "\(detail) \(missing)")
            let coupon = try await server.post("/datacube/getcardcardinfo", token: otherToken,
                                               json: ["begin_date": day, "end_date": day, "cond_source": 1, "card_id": script.groupon])
            #expect(errcode(coupon) == 40073, "\(coupon)")

            let overview = try await Self.report(server, "getcardbizuininfo", token: otherToken, ["begin_date": day, "end_date": day, "cond_source": 1])
            #expect(overview.count == 1)
            #expect(overview.first?["receive_cnt"] as? Int == 0 && overview.first?["view_cnt"] as? Int == 0)

            // The wrong kind of card for a report is as unknown as a missing one.
            let memberAsCoupon = try await server.post("/datacube/getcardcardinfo", token: token,
                                                       json: ["begin_date": day, "end_date": day, "cond_source": 1, "card_id": script.member])
            let couponAsMember = try await server.post("/datacube/getcardmembercarddetail", token: token,
                                                       json: ["begin_date": day, "end_date": day, "card_id": script.groupon])
            #expect(errcode(memberAsCoupon) == 40073 && errcode(couponAsMember) == 40073, "\(memberAsCoupon) \(couponAsMember)")
        }
    }

    @Test func theDateRulesAnswerWeChatsCodes() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let today = ChinaDay.of(try await server.services.clock.now())
            let yesterday = Self.date(today - 1)
            func code(_ body: [String: Any], path: String = "getcardbizuininfo") async throws -> Int? {
                errcode(try await server.post("/datacube/\(path)", token: token, json: body))
            }
            // The spec's example request, for days long past: zeros, one row per day.
            let example = try await Self.report(server, "getcardbizuininfo", token: token,
                                                ["begin_date": "2015-06-15", "end_date": "2015-06-30", "cond_source": 0])
            #expect(example.count == 16 && example.first?["ref_date"] as? String == "2015-06-15")

            #expect(try await code(["begin_date": yesterday, "end_date": yesterday, "cond_source": 1]) == 0)
            #expect(try await code(["begin_date": Self.date(today - 62), "end_date": yesterday, "cond_source": 1]) == 0)
            #expect(try await code(["begin_date": Self.date(today - 63), "end_date": yesterday, "cond_source": 1]) == 61501)
            #expect(try await code(["begin_date": yesterday, "end_date": Self.date(today), "cond_source": 1]) == 61501)
            #expect(try await code(["begin_date": yesterday, "end_date": Self.date(today + 3), "cond_source": 1]) == 61501)
            #expect(try await code(["begin_date": yesterday, "end_date": Self.date(today - 2), "cond_source": 1]) == 61501)
            for bad: Any in ["2015-6-15", "2015/06/15", "2015-02-29", "2015-13-01", "20150615", 20150615, "", " 2015-06-15"] {
                #expect(try await code(["begin_date": bad, "end_date": yesterday, "cond_source": 1]) == 61500, "\(bad)")
            }
            #expect(try await code(["end_date": yesterday, "cond_source": 1]) == 41011)
            #expect(try await code(["begin_date": yesterday, "cond_source": 1]) == 41011)
            #expect(try await code(["begin_date": yesterday, "end_date": yesterday]) == 41011)
            #expect(try await code(["begin_date": yesterday, "end_date": yesterday], path: "getcardmembercarddetail") == 41011)
            for bad: Any in [2, -1, "1", true, 1.5] {
                #expect(try await code(["begin_date": yesterday, "end_date": yesterday, "cond_source": bad]) == 40097, "\(bad)")
            }
            #expect(try await code(["begin_date": "2016-02-29", "end_date": "2016-02-29", "cond_source": 1]) == 0)
        }
    }
}
