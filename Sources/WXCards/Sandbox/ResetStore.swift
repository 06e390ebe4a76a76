import SQLKit

/// The SQL of starting over, as emulators offer it. Each reset is one transaction: it wipes
/// everything it names, or nothing. Counts are taken inside that transaction, so they are
/// exactly the rows removed.
public struct ResetStore: Sendable {
    let store: Store

    public init(store: Store) { self.store = store }

    /// `POST /sandbox/reset`: wipes the app's own data (`SchemaTables.appData`), keeping the app,
    /// its credentials and tokens, and every other app's data. Answers rows removed by label.
    public func resetApp(_ appid: String) async throws -> [String: Int] {
        try await store.write { db in
            var removed: [String: Int] = [:]
            for entry in SchemaTables.appData {
                removed[entry.label] = try await Self.count(entry.table, appid: appid, on: db)
                try await db.raw("DELETE FROM \(unsafeRaw: entry.table) WHERE appid = \(bind: appid)").run()
            }
            return removed
        }
    }

    /// `wxcards reset`: wipes every app's data and the server's shared state (tokens, the clock
    /// offset, merchant ids), keeping the apps and components with their credentials and settings.
    /// Answers rows removed by label, server state included.
    public func resetAll() async throws -> [String: Int] {
        try await store.write { db in
            var removed: [String: Int] = [:]
            for entry in SchemaTables.appData {
                removed[entry.label] = try await Self.count(entry.table, appid: nil, on: db)
                try await db.raw("DELETE FROM \(unsafeRaw: entry.table)").run()
            }
            removed["access_tokens"] = try await Self.count("access_tokens", appid: nil, on: db)
            try await db.raw("DELETE FROM access_tokens").run()
            removed["merchants"] = try await Self.count("merchants", appid: nil, on: db)
            try await db.raw("DELETE FROM merchants").run()
            // The clock goes back to wall time: nothing is left that could have seen it ahead.
            try await db.raw("UPDATE server_clock SET offset_seconds = 0").run()
            return removed
        }
    }

    private static func count(_ table: String, appid: String?, on db: any SQLDatabase) async throws -> Int {
        let query: SQLQueryString = appid.map { "SELECT COUNT(*) AS n FROM \(unsafeRaw: table) WHERE appid = \(bind: $0)" }
            ?? "SELECT COUNT(*) AS n FROM \(unsafeRaw: table)"
        return try await db.raw(query).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
