import SQLKit

/// The SQL of injected faults. Every query is scoped by appid.
struct FaultStore: Sendable {
    let store: Store

    struct Row: Decodable, Sendable {
        let id: String, path: String, method: String?, errcode: Int64?, errmsg: String?, latency_ms: Int64
        let drop_connection: Bool, rate: Double, remaining: Int64?, hits: Int64, create_time: Int64

        var fault: Fault {
            Fault(id: id,
                  effect: FaultEffect(path: path, method: method, errcode: errcode.flatMap { Int(exactly: $0) }, errmsg: errmsg,
                                      latencyMilliseconds: latency_ms, drop: drop_connection, rate: rate),
                  remaining: remaining, hits: hits, createTime: create_time)
        }
    }

    static let columns = "id, path, method, errcode, errmsg, latency_ms, drop_connection, rate, remaining, hits, create_time"

    /// Adds a fault unless the app has `FaultRules.maxPerApp` already; answers whether it did.
    func insert(appid: String, id: String, _ fault: FaultRules.NewFault, now: Int64) async throws -> Bool {
        try await store.write { db in
            let count = try await db.raw("SELECT COUNT(*) AS n FROM sandbox_faults WHERE appid = \(bind: appid)")
                .first()?.decode(column: "n", as: Int64.self) ?? 0
            guard count < FaultRules.maxPerApp else { return false }
            try await db.raw("""
                INSERT INTO sandbox_faults (appid, \(unsafeRaw: Self.columns))
                VALUES (\(bind: appid), \(bind: id), \(bind: fault.path), \(bind: fault.method), \(bind: fault.errcode.map(Int64.init)),
                        \(bind: fault.errmsg), \(bind: fault.latencyMilliseconds), \(bind: fault.drop), \(bind: fault.rate),
                        \(bind: fault.count), 0, \(bind: now))
                """).run()
            return true
        }
    }

    /// The app's faults, oldest first: those in force, or with the expired ones (no hits left).
    func faults(appid: String, includingExpired: Bool) async throws -> [Fault] {
        try await store.read { db in
            let inForce: SQLQueryString = includingExpired ? "" : "AND (remaining IS NULL OR remaining > 0)"
            return try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM sandbox_faults
                WHERE appid = \(bind: appid) \(inForce) ORDER BY create_time, id
                """).all(decoding: Row.self).map(\.fault)
        }
    }

    /// Counts a hit. A fault with a count takes one of its remaining hits atomically, so on
    /// several instances it still fires exactly `count` times; answers false when none was left.
    func hit(appid: String, id: String) async throws -> Bool {
        try await store.writeOneStatement { db in
            try await db.raw("""
                UPDATE sandbox_faults SET hits = hits + 1, remaining = remaining - 1
                WHERE appid = \(bind: appid) AND id = \(bind: id) AND (remaining IS NULL OR remaining > 0)
                RETURNING id
                """).first() != nil
        }
    }

    /// Removes one fault, or all of the app's; answers how many went.
    func delete(appid: String, id: String?) async throws -> Int {
        try await store.write { db in
            let filter: SQLQueryString = id.map { "AND id = \(bind: $0)" } ?? ""
            return try await db.raw("DELETE FROM sandbox_faults WHERE appid = \(bind: appid) \(filter) RETURNING id").all().count
        }
    }
}
