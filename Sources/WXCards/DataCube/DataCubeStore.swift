import SQLKit

/// The SQL of the card statistics: the activity a day rolls up from, the state a roll-up keeps
/// (members, totals, progress), and the closed days the reports read. Every query is
/// scoped by appid.
enum DataCubeStore {
    /// Rows per multi-row statement: well under SQLite's 32,766 bound values.
    static let chunk = 400

    // MARK: Progress

    /// The last day the app has rolled up, if it ever has.
    static func rolledThrough(_ db: any SQLDatabase, appid: String) async throws -> Int64? {
        try await db.raw("SELECT rolled_through FROM card_stat_progress WHERE appid = \(bind: appid)").first()?
            .decode(column: "rolled_through", as: Int64.self)
    }

    /// The last day rolled up, locked until the transaction ends (PostgreSQL; SQLite has one
    /// writer anyway), so that two roll-ups of one app, on one instance or two, take turns.
    static func lockProgress(_ db: any SQLDatabase, appid: String, start: Int64, forUpdate: Bool) async throws -> Int64 {
        try await db.raw("""
            INSERT INTO card_stat_progress (appid, rolled_through) VALUES (\(bind: appid), \(bind: start))
            ON CONFLICT (appid) DO NOTHING
            """).run()
        let lock: SQLQueryString = forUpdate ? " FOR UPDATE" : ""
        guard let through = try await db.raw("SELECT rolled_through FROM card_stat_progress WHERE appid = \(bind: appid)\(lock)").first()?
            .decode(column: "rolled_through", as: Int64.self)
        else { throw InternalError("the statistics progress of \(appid) was not written") }
        return through
    }

    static func setProgress(_ db: any SQLDatabase, appid: String, day: Int64) async throws {
        try await db.raw("UPDATE card_stat_progress SET rolled_through = \(bind: day) WHERE appid = \(bind: appid)").run()
    }

    // MARK: What a roll-up reads

    static func firstActivityDay(_ db: any SQLDatabase, appid: String) async throws -> Int64? {
        try await db.raw("SELECT MIN(day) AS day FROM card_activity WHERE appid = \(bind: appid)").first()
            .flatMap { try $0.decodeNil(column: "day") ? nil : $0.decode(column: "day", as: Int64.self) }
    }

    /// The days after `after` and before `before` on which the app has activity.
    static func activityDays(_ db: any SQLDatabase, appid: String, after: Int64, before: Int64) async throws -> [Int64] {
        try await db.raw("""
            SELECT DISTINCT day FROM card_activity WHERE appid = \(bind: appid) AND day > \(bind: after) AND day < \(bind: before)
            """).all().map { try $0.decode(column: "day", as: Int64.self) }
    }

    /// The days on which codes with an end of their own expire, between the same bounds. A code
    /// expires the second after its end.
    static func codeExpiryDays(_ db: any SQLDatabase, appid: String, after: Int64, before: Int64) async throws -> [Int64] {
        try await db.raw("""
            SELECT DISTINCT (end_time + 1 + \(bind: ChinaDay.offset)) / 86400 AS day FROM user_cards
            WHERE appid = \(bind: appid) AND end_time >= \(bind: ChinaDay.start(after + 1) - 1)
              AND end_time < \(bind: ChinaDay.start(before) - 1) AND end_time <> \(bind: UserCardRules.forever)
            """).all().map { try $0.decode(column: "day", as: Int64.self) }
    }

    static func activity(_ db: any SQLDatabase, appid: String, day: Int64) async throws -> [StatsRollup.Act] {
        try await db.raw("""
            SELECT card_id, source, member, openid, kind, hold, fee, original_fee FROM card_activity
            WHERE appid = \(bind: appid) AND day = \(bind: day)
            """).all().map { row in
            let kind = try row.decode(column: "kind", as: String.self), source = try row.decode(column: "source", as: Int64.self)
            guard let kind = CardActivity.Kind(rawValue: kind), let source = CardSource(rawValue: source) else {
                throw InternalError("stored card activity has kind \(kind) and source \(source)")
            }
            return StatsRollup.Act(
                cardID: try row.decode(column: "card_id", as: String.self), source: source,
                member: try row.decode(column: "member", as: Bool.self), openid: try row.decode(column: "openid", as: String.self),
                kind: kind, hold: try row.decode(column: "hold", as: Int64.self), fee: try row.decode(column: "fee", as: Int64.self),
                originalFee: try row.decode(column: "original_fee", as: Int64.self))
        }
    }

    /// A code whose end falls in a day, with what tells whether its holder still had it then.
    struct EndingCode: Sendable {
        let cardID: String, openid: String, status: String, updateTime: Int64, consumeTime: Int64?, end: Int64?
    }

    /// Codes with an end of their own in [from, before).
    static func codesEnding(_ db: any SQLDatabase, appid: String, from: Int64, before: Int64) async throws -> [EndingCode] {
        try await endingCodes(db, """
            SELECT card_id, openid, status, update_time, consume_time, end_time FROM user_cards
            WHERE appid = \(bind: appid) AND end_time >= \(bind: from) AND end_time < \(bind: before)
              AND end_time <> \(bind: UserCardRules.forever)
            """)
    }

    /// The codes of a card that end with the card (no end of their own).
    static func codesEndingWithCard(_ db: any SQLDatabase, appid: String, cardID: String) async throws -> [EndingCode] {
        try await endingCodes(db, """
            SELECT card_id, openid, status, update_time, consume_time, end_time FROM user_cards
            WHERE appid = \(bind: appid) AND card_id = \(bind: cardID) AND end_time IS NULL
            """)
    }

    private static func endingCodes(_ db: any SQLDatabase, _ sql: SQLQueryString) async throws -> [EndingCode] {
        try await db.raw(sql).all().map { row in
            EndingCode(cardID: try row.decode(column: "card_id", as: String.self), openid: try row.decode(column: "openid", as: String.self),
                       status: try row.decode(column: "status", as: String.self),
                       updateTime: try row.decode(column: "update_time", as: Int64.self),
                       consumeTime: try row.decodeNil(column: "consume_time") ? nil : row.decode(column: "consume_time", as: Int64.self),
                       end: try row.decodeNil(column: "end_time") ? nil : row.decode(column: "end_time", as: Int64.self))
        }
    }

    /// What is known of the (scope, user) pairs asked. One `openid IN (…)` per scope and chunk:
    /// the primary key answers it (a row-value IN over VALUES would scan the table).
    static func members(_ db: any SQLDatabase, appid: String, _ keys: Set<StatsRollup.ScopedUser>) async throws -> [StatsRollup.ScopedUser: StatsRollup.Member] {
        var found: [StatsRollup.ScopedUser: StatsRollup.Member] = [:]
        for (scope, openids) in byScope(keys) {
            for part in openids.chunked(chunk) {
                for row in try await db.raw("""
                    SELECT openid, codes, claimed FROM card_stat_members
                    WHERE appid = \(bind: appid) AND scope = \(bind: scope) AND openid IN (\(binds: Array(part)))
                    """).all() {
                    found[StatsRollup.ScopedUser(scope: scope, openid: try row.decode(column: "openid", as: String.self))] =
                        StatsRollup.Member(codes: try row.decode(column: "codes", as: Int64.self), claimed: try row.decode(column: "claimed", as: Bool.self))
                }
            }
        }
        return found
    }

    private static func byScope(_ keys: Set<StatsRollup.ScopedUser>) -> [(String, [String])] {
        Dictionary(grouping: keys, by: \.scope).map { ($0.key, $0.value.map(\.openid).sorted()) }.sorted { $0.0 < $1.0 }
    }

    static func totals(_ db: any SQLDatabase, appid: String, scopes: Set<String>) async throws -> [String: StatsRollup.Totals] {
        var found: [String: StatsRollup.Totals] = [:]
        for part in Array(scopes).chunked(chunk) {
            for row in try await db.raw("""
                SELECT scope, total_user, total_receive_user FROM card_stat_totals WHERE appid = \(bind: appid) AND scope IN (\(binds: Array(part)))
                """).all() {
                found[try row.decode(column: "scope", as: String.self)] = StatsRollup.Totals(
                    totalUser: try row.decode(column: "total_user", as: Int64.self),
                    totalReceiveUser: try row.decode(column: "total_receive_user", as: Int64.self))
            }
        }
        return found
    }

    // MARK: What a roll-up writes

    static func write(_ db: any SQLDatabase, appid: String, day: Int64, _ result: StatsRollup.Result) async throws {
        for part in result.rows.sorted(by: { $0.key < $1.key }).chunked(chunk / 4) {
            var sql: SQLQueryString = """
                INSERT INTO card_stats (appid, scope, day, view_cnt, view_user, receive_cnt, receive_user, verify_cnt, verify_user,
                    given_cnt, given_user, expire_cnt, expire_user, active_cnt, active_user, new_user, fee, original_fee,
                    total_user, total_receive_user) VALUES
                """
            for (index, (scope, row)) in part.enumerated() {
                sql = sql + (index == 0 ? " " : ", ") + """
                    (\(bind: appid), \(bind: scope), \(bind: day), \(bind: row.count(.view)), \(bind: row.users(.view)),
                     \(bind: row.count(.receive)), \(bind: row.users(.receive)), \(bind: row.count(.verify)), \(bind: row.users(.verify)),
                     \(bind: row.count(.given)), \(bind: row.users(.given)), \(bind: row.count(.expire)), \(bind: row.users(.expire)),
                     \(bind: row.count(.active)), \(bind: row.users(.active)), \(bind: row.newUser), \(bind: row.fee),
                     \(bind: row.originalFee), \(bind: row.totalUser), \(bind: row.totalReceiveUser))
                    """
            }
            try await db.raw(sql).run()
        }
        for part in result.members.sorted(by: { ($0.key.scope, $0.key.openid) < ($1.key.scope, $1.key.openid) }).chunked(chunk) {
            var sql: SQLQueryString = "INSERT INTO card_stat_members (appid, scope, openid, codes, claimed) VALUES "
            for (index, (key, member)) in part.enumerated() {
                sql = sql + (index == 0 ? "" : ", ") + "(\(bind: appid), \(bind: key.scope), \(bind: key.openid), \(bind: member.codes), \(bind: member.claimed))"
            }
            try await db.raw(sql + " ON CONFLICT (appid, scope, openid) DO UPDATE SET codes = excluded.codes, claimed = excluded.claimed").run()
        }
        for part in result.totals.sorted(by: { $0.key < $1.key }).chunked(chunk) {
            var sql: SQLQueryString = "INSERT INTO card_stat_totals (appid, scope, total_user, total_receive_user) VALUES "
            for (index, (scope, totals)) in part.enumerated() {
                sql = sql + (index == 0 ? "" : ", ") + "(\(bind: appid), \(bind: scope), \(bind: totals.totalUser), \(bind: totals.totalReceiveUser))"
            }
            try await db.raw(sql + """
                 ON CONFLICT (appid, scope) DO UPDATE SET total_user = excluded.total_user, total_receive_user = excluded.total_receive_user
                """).run()
        }
    }

    // MARK: What the reports read

    /// The stored days of one scope, or of every card's scope, in a range.
    static func days(_ db: any SQLDatabase, appid: String, scopes: ScopeFilter, range: ClosedRange<Int64>) async throws -> [String: [Int64: StatsRollup.Row]] {
        let filter: SQLQueryString
        switch scopes {
        case .one(let scope): filter = "scope = \(bind: scope)"
        // LIKE, not a range: PostgreSQL may order text by a locale that ignores punctuation.
        case .cards: filter = "scope LIKE 'card:%'"
        }
        var found: [String: [Int64: StatsRollup.Row]] = [:]
        for row in try await db.raw("""
            SELECT scope, day, \(unsafeRaw: packedCounters) AS counters FROM card_stats WHERE appid = \(bind: appid) AND \(filter)
              AND day >= \(bind: range.lowerBound) AND day <= \(bind: range.upperBound)
            """).all() {
            found[try row.decode(column: "scope", as: String.self), default: [:]][try row.decode(column: "day", as: Int64.self)] =
                try statsRow(packed: try row.decode(column: "counters", as: String.self))
        }
        return found
    }

    /// A day's counters in the order `statsRow(packed:)` reads them.
    static let counterColumns = [CardActivity.Kind.view, .receive, .verify, .given, .expire, .active]
        .flatMap { ["\($0.rawValue)_cnt", "\($0.rawValue)_user"] } + ["new_user", "fee", "original_fee", "total_user", "total_receive_user"]

    /// The counters as one text, joined in SQL: a report reads 62 rows, and PostgresKit decodes
    /// each column through Codable; 2 columns a row instead of 19 was most of a report's cost.
    static let packedCounters = counterColumns.map { "CAST(\($0) AS TEXT)" }.joined(separator: " || ',' || ")

    private static func statsRow(packed: String) throws -> StatsRollup.Row {
        // Digits and commas, read byte by byte (splitting into substrings cost more than the query).
        var values: [Int64] = []
        values.reserveCapacity(counterColumns.count)
        var current: Int64 = 0, negative = false, digits = 0
        for byte in packed.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (times, overflow1) = current.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
                guard !overflow1, !overflow2 else { throw InternalError("stored statistics row \(packed) is malformed") }
                current = sum; digits += 1
            case UInt8(ascii: "-") where digits == 0 && !negative:
                negative = true
            case UInt8(ascii: ","):
                guard digits > 0 else { throw InternalError("stored statistics row \(packed) is malformed") }
                values.append(negative ? -current : current)
                current = 0; negative = false; digits = 0
            default:
                throw InternalError("stored statistics row \(packed) is malformed")
            }
        }
        if digits > 0 { values.append(negative ? -current : current) }
        guard values.count == counterColumns.count else { throw InternalError("stored statistics row \(packed) is malformed") }
        var stats = StatsRollup.Row()
        for (index, kind) in [CardActivity.Kind.view, .receive, .verify, .given, .expire, .active].enumerated() {
            stats.counters[kind] = StatsRollup.Counter(count: values[2 * index], users: values[2 * index + 1])
        }
        stats.newUser = values[12]
        stats.fee = values[13]
        stats.originalFee = values[14]
        stats.totalUser = values[15]
        stats.totalReceiveUser = values[16]
        return stats
    }

    enum ScopeFilter { case one(String), cards }

    /// The running totals of a scope at the end of the last stored day before `day`.
    static func totals(_ db: any SQLDatabase, appid: String, scope: String, before day: Int64) async throws -> StatsRollup.Totals {
        guard let row = try await db.raw("""
            SELECT total_user, total_receive_user FROM card_stats WHERE appid = \(bind: appid) AND scope = \(bind: scope) AND day < \(bind: day)
            ORDER BY day DESC LIMIT 1
            """).first() else { return StatsRollup.Totals() }
        return StatsRollup.Totals(totalUser: try row.decode(column: "total_user", as: Int64.self),
                                  totalReceiveUser: try row.decode(column: "total_receive_user", as: Int64.self))
    }
}

extension Array {
    /// The array in consecutive slices of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: Swift.max(1, size)).map { self[$0..<Swift.min($0 + Swift.max(1, size), count)] }
    }
}
