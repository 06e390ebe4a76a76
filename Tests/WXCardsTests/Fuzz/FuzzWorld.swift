import Foundation
import SQLKit
import Testing
@testable import WXCards

/// What the fuzzer's requests are made of: two apps with real cards, codes, tickets and rules
/// (so requests reach deep), and tokens of every kind (the app's, another app's, expired, wrong).
struct FuzzWorld: Sendable {
    static let other = Credential(id: "wxf0zz0ther0app0001", secret: "f0zzsecretf0rtheother0app0000001")
    static let expiredApp = Credential(id: "wxf0zzexpired000001", secret: "f0zzsecretf0rthe0expired0app0001")

    var token = ""
    var otherToken = ""
    var expiredToken = ""
    var pools: [FuzzValue.Pool: [String]] = [:]

    /// Makes both apps' data through the real API.
    static func make(_ server: TestServer) async throws -> FuzzWorld {
        var world = FuzzWorld()
        let now = try await server.services.clock.now()
        try await server.services.apps.upsertApp(other, now: now)
        try await server.services.apps.upsertApp(expiredApp, now: now)
        try await server.services.apps.upsertComponent(testComponent, now: now)
        try await world.refreshTokens(server)
        world.pools = [
            .appid: [testApp.id, other.id, "wxnosuchapp", ""],
            .secret: [testApp.secret, other.secret, "wrong"],
            .openid: [openid(1), openid(2), openid(3)],
            .mchid: ["1900000109", "1900000110"],
            .cardID: ["pNoSuchCardAtAll00000000000000", ""],
            .code: ["000000000000", ""],
        ]
        try await world.replenish(server)
        // The other app's card and code: the fuzzer sends them with this app's token.
        let other = try await server.token(for: Self.other)
        let otherCard = try await server.createCard(token: other)
        let otherCode = try await server.claimCode(otherCard, openid: openid(9), token: other)
        world.add(.cardID, otherCard)
        world.add(.memberCardID, otherCard)
        world.add(.code, otherCode)
        world.add(.memberCode, otherCode)
        try await world.refreshTokens(server)
        return world
    }

    /// Fresh tokens after the clock moved or a forced refresh revoked them; the expired one
    /// expired 100 s before now (42001, and not yet purged).
    mutating func refreshTokens(_ server: TestServer) async throws {
        token = try await server.token()
        otherToken = try await server.token(for: Self.other)
        let now = try await server.services.clock.now()
        expiredToken = RandomString.make(length: 128, alphabet: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))
        try await server.services.apps.issue(StoredAccessToken(appid: Self.expiredApp.id, token: expiredToken, issuedAt: now - 7300,
                                                                expiresAt: now - 100, revokedAt: nil), revokeImmediately: true)
    }

    /// New cards, codes, a QR ticket, an activation ticket and a pay-gift rule for the app,
    /// added to the pools (the fuzzer deletes, consumes and gives away what it finds).
    mutating func replenish(_ server: TestServer) async throws {
        let token = self.token
        // The fuzzer may have turned the app's WeChat Pay off (/sandbox/app): member cards that
        // take WeChat Pay need it.
        _ = try await server.post("/sandbox/app", token: token, json: ["pay_enabled": true])
        let coupon = try await Self.create(FuzzRoutes.coupon, pools: [:], server: server, token: token)
        let member = try await Self.create(FuzzRoutes.memberCard, pools: ["couponCardID": coupon], server: server, token: token)
        let couponCode = try await server.claimCode(coupon, openid: openid(1), token: token)
        let claimed = try await server.claim(member, openid: openid(1), token: token)
        let memberCode = try #require(claimed["code"] as? String)
        _ = try await server.post("/card/membercard/activate", token: token, json: MemberPayloads.activate(code: memberCode, cardID: member))
        var form = CardPayloads.object(MemberPayloads.activateUserForm)
        form["card_id"] = member
        _ = try await server.post("/card/membercard/activateuserform/set", token: token, json: form)
        let submitted = try await server.post("/sandbox/membercard/submit_form", token: token, json: [
            "openid": openid(1), "card_id": member, "code": memberCode,
            "common_field_list": [["name": "USER_FORM_INFO_FLAG_MOBILE", "value": "13800000000"]],
            "custom_field_list": [["name": "兴趣", "value_list": ["钢琴"]]],
        ])
        let qr = try await server.post("/card/qrcode/create", token: token, json: [
            "action_name": "QR_CARD", "action_info": ["card": ["card_id": coupon]]])
        let rule = try await server.post("/card/paygiftcard/add", token: token, json: PayGiftPayloads.add(cardID: member, base: [
            "mchid_list": ["19\(Int.random(in: 10_000_000...99_999_999))"]]))
        add(.cardID, member); add(.cardID, coupon)
        add(.memberCardID, member); add(.couponCardID, coupon)
        add(.code, memberCode); add(.code, couponCode); add(.memberCode, memberCode)
        if let encrypted = claimed["encrypt_code"] as? String { add(.encryptCode, encrypted) }
        if let ticket = submitted["activate_ticket"] as? String { add(.activateTicket, ticket) }
        if let ticket = qr["ticket"] as? String { add(.ticket, ticket) }
        if let ruleID = rule["rule_id"] as? Int { add(.ruleID, String(ruleID)) }
    }

    mutating func add(_ pool: FuzzValue.Pool, _ value: String) {
        var values = pools[pool] ?? []
        values.append(value)
        pools[pool] = Array(values.suffix(12))
    }

    /// A template's body with its picks made, as the card API would get it.
    static func create(_ template: FuzzValue, pools: [String: String], server: TestServer, token: String) async throws -> String {
        let bytes = FuzzValue.object([("card", template)]).bytes { pool in .string(pools[pool.rawValue] ?? "") }
        let answer = try await server.post("/card/create", token: token, raw: String(decoding: bytes, as: UTF8.self))
        return try #require(answer["card_id"] as? String, "\(answer)")
    }

    /// A value from a pool: mostly a real one, sometimes anything at all.
    func pick(_ pool: FuzzValue.Pool, _ rng: inout SplitMix64) -> FuzzValue {
        if pool == .ruleID {
            let ids = pools[.ruleID] ?? []
            if !ids.isEmpty, Int.random(in: 0..<10, using: &rng) < 8 { return .literal(ids[Int.random(in: 0..<ids.count, using: &rng)]) }
            return .literal(Interesting.integers[Int.random(in: 0..<Interesting.integers.count, using: &rng)])
        }
        let values = pools[pool] ?? []
        let roll = Int.random(in: 0..<100, using: &rng)
        if !values.isEmpty, roll < 85 { return .string(values[Int.random(in: 0..<values.count, using: &rng)]) }
        // Mostly still text, so the other fields' checks are reached too.
        return roll < 95 ? Interesting.string(&rng) : Interesting.value(&rng)
    }
}

/// The database, digested per app: every row of every table, grouped by its appid (rows of
/// tables without one under ""). Two digests are equal exactly when no row changed. SQLite
/// renders the rows (`quote()` of each column, in one query per table), so a digest of a few
/// thousand rows costs a few milliseconds.
struct FuzzDigest: Equatable {
    var partitions: [String: Int] = [:]

    struct Reader: Sendable {
        let store: Store
        /// One query per table: its rows as text, sorted, concatenated per appid.
        let queries: [String]

        init(_ store: Store) async throws {
            self.store = store
            queries = try await store.read { db in
                let tables = try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
                    .all().map { try $0.decode(column: "name", as: String.self) }
                var queries: [String] = []
                // Leases of background work (the journal's pruning) are renewed on the worker's
                // own schedule, whatever requests come: not a request's doing.
                // The request journal records every request, refused ones too: that is its job.
                for table in tables where table != "background_leases" && table != "request_journal" {
                    let columns = try await db.raw("SELECT name FROM pragma_table_info(\(bind: table))").all()
                        .map { try $0.decode(column: "name", as: String.self) }
                    let row = columns.map { "quote(\"\($0)\")" }.joined(separator: " || '|' || ")
                    let partition = columns.contains("appid") ? "appid" : "''"
                    queries.append("""
                        SELECT '\(table)' || ':' || p AS p, group_concat(r, char(10)) AS g
                        FROM (SELECT \(partition) AS p, \(row) AS r FROM "\(table)" ORDER BY 1, 2) GROUP BY p
                        """)
                }
                return queries
            }
        }

        func digest() async throws -> FuzzDigest {
            try await store.read { db in
                var texts: [String: [String]] = [:]
                for query in queries {
                    for row in try await db.raw(SQLQueryString(stringLiteral: query)).all() {
                        let key = try row.decode(column: "p", as: String.self)
                        let appid = String(key.split(separator: ":", maxSplits: 1).dropFirst().first ?? "")
                        texts[appid, default: []].append(key + "\n" + (try row.decode(column: "g", as: String.self)))
                    }
                }
                var digest = FuzzDigest()
                for (appid, parts) in texts {
                    var hasher = Hasher()
                    for part in parts { hasher.combine(part) }
                    digest.partitions[appid] = hasher.finalize()
                }
                return digest
            }
        }
    }
}
