import Foundation
import SQLKit
import Testing
@testable import WXCards

/// Numbers at the edge of 64 bits, and text the engines treat differently: each
/// request answers a clear WeChat error and changes nothing, on SQLite and on PostgreSQL.
@Suite struct HardeningTests {
    static let int64Max = "9223372036854775807"
    static let int64Min = "-9223372036854775808"

    // MARK: Stock

    @Test(arguments: TestEngine.available)
    func modifystockWithHugeValuesIsRefusedAndChangesNothing(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            for field in ["increase_stock_value", "reduce_stock_value"] {
                for value in [Self.int64Max, Self.int64Min, "100000001", "-1"] {
                    let answer = try await server.post("/card/modifystock", token: token,
                                                       raw: #"{"card_id":"\#(cardID)","\#(field)":\#(value)}"#)
                    #expect(errcode(answer) == 40097, "\(field)=\(value): \(answer)")
                    #expect((answer["errmsg"] as? String)?.contains(field) == true)
                }
            }
            // 2^64 does not fit any integer: a type error.
            let tooBig = try await server.post("/card/modifystock", token: token, raw: #"{"card_id":"\#(cardID)","increase_stock_value":18446744073709551616}"#)
            #expect(errcode(tooBig) == 47001)
            let sku = try await server.getCard(cardID, token: token)["base_info"] as? [String: Any]
            #expect((sku?["sku"] as? [String: Any])?["quantity"] as? Int == 50_000_000)
            // The largest change allowed still works, up to the total's limit (45041).
            #expect(try await errcode(server.post("/card/modifystock", token: token, json: ["card_id": cardID, "increase_stock_value": 50_000_000])) == 0)
            #expect(try await errcode(server.post("/card/modifystock", token: token, json: ["card_id": cardID, "increase_stock_value": 1])) == 45041)
        }
    }

    // MARK: Points and balance

    @Test(arguments: TestEngine.available)
    func updateuserBeyondInt32IsRefusedAndChangesNothing(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let (cardID, code) = try await server.member(token: token)
            func update(_ fields: String) async throws -> [String: Any] {
                try await server.post("/card/membercard/updateuser", token: token, raw: #"{"card_id":"\#(cardID)","code":"\#(code)",\#(fields)}"#)
            }
            for (field, expected) in [("add_bonus", 45022), ("bonus", 45022), ("add_balance", 45023), ("balance", 45023)] {
                for value in [Self.int64Max, Self.int64Min, "2147483648", "-2147483648"] {
                    let answer = try await update(#""\#(field)":\#(value)"#)
                    #expect(errcode(answer) == expected, "\(field)=\(value): \(answer)")
                }
            }
            // The largest total is accepted; one more point, through a delta, is refused.
            #expect(errcode(try await update(#""bonus":2147483647"#)) == 0)
            let over = try await update(#""add_bonus":1"#)
            #expect(errcode(over) == 45022, "\(over)")
            #expect(errcode(try await update(#""add_balance":2147483647"#)) == 45023)  // 200 + 2^31-1
            #expect(errcode(try await update(#""add_bonus":-2147483647"#)) == 0)
            #expect(errcode(try await update(#""add_bonus":-1"#)) == 45022)
            let info = try await server.userInfo(cardID, code, token: token)
            #expect(info["bonus"] as? Int == 0 && info["balance"] as? Int == 200)
            let ledger = try await server.services.members.store.ledger(appid: testApp.id, cardID: cardID, code: code)
            #expect(ledger.map(\.result) == [100, 200, 2_147_483_647, 0])
        }
    }

    @Test(arguments: TestEngine.available)
    func activationAndPaymentsBeyondTheirRangesAreRefused(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let (cardID, code) = try await server.member(token: token, activated: false)
            for (field, expected) in [("init_bonus", 45022), ("init_balance", 45023), ("activate_begin_time", 40079), ("activate_end_time", 40079)] {
                var body = MemberPayloads.activate(code: code, cardID: cardID)
                body[field] = nil
                let text = String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self)
                let answer = try await server.post("/card/membercard/activate", token: token,
                                                   raw: String(text.dropLast()) + #","\#(field)":\#(Self.int64Max)}"#)
                #expect(errcode(answer) == expected, "\(field): \(answer)")
            }
            #expect(try await server.userInfo(cardID, code, token: token)["has_active"] as? Bool == false)

            let pay = try await server.post("/sandbox/pay", token: token, raw: #"{"mchid":"1900000109","openid":"\#(openid(1))","total_fee":\#(Self.int64Max)}"#)
            #expect(errcode(pay) == 40097)
            let points = try await server.post("/sandbox/pay", token: token,
                                               raw: #"{"mchid":"1900000109","openid":"\#(openid(1))","total_fee":100,"card_id":"\#(cardID)","code":"\#(code)","use_bonus":\#(Self.int64Max)}"#)
            #expect(errcode(points) == 40097)
            #expect(try await server.payments(openid(1), token: token).isEmpty)
        }
    }

    // MARK: Card definitions

    @Test(arguments: TestEngine.available)
    func hugeTermsAndTimestampsAreRefusedAtCreate(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let cases: [([String: Any], Int)] = [
                (["type": "DATE_TYPE_FIX_TERM", "fixed_term": Int64.max], 40079),
                (["type": "DATE_TYPE_FIX_TERM", "fixed_term": 30, "fixed_begin_term": Int64.max], 40079),
                (["type": "DATE_TYPE_FIX_TERM", "fixed_term": 36_501], 40079),
                (["type": "DATE_TYPE_FIX_TIME_RANGE", "begin_timestamp": 0, "end_timestamp": Int64.max], 40079),
            ]
            for (dateInfo, expected) in cases {
                let answer = try await server.post("/card/create", token: token, json: CardPayloads.coupon(.groupon, base: ["date_info": dateInfo]))
                #expect(errcode(answer) == expected, "\(dateInfo): \(answer)")
            }
            let rule = CardPayloads.memberCard(member: ["bonus_rule": ["init_increase_bonus": Int64.max]])
            #expect(try await errcode(server.post("/card/create", token: token, json: rule)) == 40097)
            let limit = CardPayloads.memberCard(base: ["get_limit": Int64.max])
            #expect(try await errcode(server.post("/card/create", token: token, json: limit)) == 40097)
            let listed = try await server.post("/card/batchget", token: token, json: ["offset": 0, "count": 50])
            #expect(listed["total_num"] as? Int == 0)
        }
    }

    /// A term card stored before its terms were range-checked (the "poison pill": every claim
    /// of it trapped) is claimable: the terms are clamped when the window is computed.
    @Test(arguments: TestEngine.available)
    func aStoredCardWithHugeTermsCanStillBeClaimed(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.coupon(.groupon, base: ["date_info": ["type": "DATE_TYPE_FIX_TERM", "fixed_term": 30]]), token: token)
            try await server.services.store.write { db in
                try await db.raw("""
                    UPDATE cards SET body = REPLACE(body, '"fixed_term":30', '"fixed_begin_term":9223372036854775807,"fixed_term":9223372036854775807'),
                        update_time = update_time + 1
                    WHERE card_id = \(bind: cardID)
                    """).run()
            }
            let stored = try await server.services.store.read { db in
                try await db.raw("SELECT body FROM cards WHERE card_id = \(bind: cardID)").first()?.decode(column: "body", as: String.self)
            }
            #expect(stored?.contains(#""fixed_term":9223372036854775807"#) == true)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            let info = try await server.post("/card/code/get", token: token, json: ["card_id": cardID, "code": code, "check_consume": false])
            #expect(errcode(info) == 0)
            let card = try #require(info["card"] as? [String: Any])
            let begin = try #require(card["begin_time"] as? Int), end = try #require(card["end_time"] as? Int)
            #expect(end - begin == 36_500 * 86_400 - 1)
        }
    }

    // MARK: Paging and the clock

    @Test(arguments: TestEngine.available)
    func offsetsAndTheClockHaveBounds(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let batch = try await server.post("/card/batchget", token: token, raw: #"{"offset":\#(Self.int64Max),"count":10}"#)
            #expect(errcode(batch) == 40097)
            let rules = try await server.post("/card/paygiftcard/batchget", token: token, raw: #"{"type":"RULE_TYPE_PAY_MEMBER_CARD","offset":\#(Self.int64Max),"count":10}"#)
            #expect(errcode(rules) == 40097)
            // The clock can reach year 9999 in hundred-year steps, and not pass it.
            let century = 100 * 366 * 86_400
            var now = 0
            for _ in 0..<80 {
                // Each step outlives the token: a fresh one each time.
                let answer = try await server.post("/sandbox/clock", token: try await server.token(), json: ["advance_seconds": century])
                guard errcode(answer) == 0 else {
                    #expect(errcode(answer) == 40097, "\(answer)")
                    break
                }
                now = try #require(answer["now"] as? Int)
            }
            #expect(now <= 253_402_300_799 && now > 253_402_300_799 - century)
        }
    }

    // MARK: Bounded answers

    /// A long inbox is read a page at a time: 100 by default, at most 1,000, with `has_more`.
    @Test(arguments: TestEngine.available)
    func listingsArePaged(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            try await server.services.store.write { db in
                for n in 0..<250 {
                    try await MemberStore.appendMessage(db, appid: testApp.id, openid: openid(1), UserMessage(
                        time: Int64(n), kind: "bonus", text: "message \(n)", card_id: "pCARD", code: nil, cell: nil))
                }
            }
            let first = try await server.get("/sandbox/user/messages?openid=\(openid(1))&access_token=\(token)")
            #expect((first["messages"] as? [[String: Any]])?.count == 100 && first["has_more"] as? Bool == true)
            #expect((first["messages"] as? [[String: Any]])?.first?["text"] as? String == "message 249")
            let last = try await server.get("/sandbox/user/messages?openid=\(openid(1))&offset=200&count=100&access_token=\(token)")
            #expect((last["messages"] as? [[String: Any]])?.count == 50 && last["has_more"] as? Bool == false)
            #expect((last["messages"] as? [[String: Any]])?.last?["text"] as? String == "message 0")
            for query in ["count=1001", "count=0", "count=abc", "offset=-1", "offset=\(Self.int64Max)"] {
                let refused = try await server.get("/sandbox/user/messages?openid=\(openid(1))&\(query)&access_token=\(token)")
                #expect(errcode(refused) == 40097, "\(query): \(refused)")
                let payments = try await server.get("/sandbox/payments?openid=\(openid(1))&\(query)&access_token=\(token)")
                #expect(errcode(payments) == 40097, "\(query): \(payments)")
            }
            let none = try await server.get("/sandbox/payments?openid=\(openid(1))&access_token=\(token)")
            #expect((none["payments"] as? [Any])?.isEmpty == true && none["has_more"] as? Bool == false)
        }
    }

    // MARK: NUL in text

    @Test(arguments: TestEngine.available)
    func aNulInTextGetsTheSameAnswerOnBothEngines(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let claim = try await server.post("/sandbox/card/claim", token: token, raw: #"{"card_id":"\#(cardID)","openid":"o\u0000x"}"#)
            #expect(errcode(claim) == 47001 && (claim["errmsg"] as? String)?.contains("U+0000") == true)
            let get = try await server.post("/card/get", token: token, raw: #"{"card_id":"\u0000"}"#)
            #expect(errcode(get) == 47001)
            // An escaped backslash before "u0000" is text, not a NUL.
            let text = try await server.post("/card/get", token: token, raw: #"{"card_id":"\\u0000"}"#)
            #expect(errcode(text) == 40073)
            // A lone surrogate, and nesting past the parser's depth (bytes that are not UTF-8: the fuzz suite).
            let surrogate = try await server.post("/card/get", token: token, raw: #"{"card_id":"\ud800"}"#)
            #expect(errcode(surrogate) == 47001, "\(surrogate)")
            let deep = try await server.post("/card/get", token: token, raw: #"{"card_id":"# + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}")
            #expect(errcode(deep) == 47001)
            let messages = try await server.get("/sandbox/user/messages?openid=o%00x&access_token=\(token)")
            #expect(errcode(messages) == 47001)
            let app = try await server.get("/cgi-bin/token?grant_type=client_credential&appid=wx%00&secret=x")
            #expect(errcode(app) == 47001)
        }
    }

    // MARK: -1 is logged

    /// A genuine internal failure answers -1, and the log names its cause with the rid the
    /// client saw.
    @Test func aSystemErrorIsLoggedWithItsCauseAndRid() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            // A stored card no reader can parse: a broken invariant, not bad input.
            try await server.services.store.write { db in
                try await db.raw("UPDATE cards SET card_type = 'NO_SUCH_TYPE' WHERE card_id = \(bind: cardID)").run()
            }
            let answer = try await server.post("/card/get", token: token, json: ["card_id": cardID])
            #expect(errcode(answer) == -1)
            let rid = try #require((answer["errmsg"] as? String)?.components(separatedBy: "rid: ").last)
            let logged = server.logs.all.first { $0.message == "system error" && $0.metadata["rid"] == rid }
            #expect(logged?.metadata["error"]?.contains("NO_SUCH_TYPE") == true)
        }
    }
}
