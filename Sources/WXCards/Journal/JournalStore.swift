import SQLKit

/// The SQL of the request journal. Every query is scoped by appid.
public struct JournalStore: Sendable {
    let store: Store

    /// Rows inserted by one statement (SQLite allows 32,766 parameters; 11 a row).
    static let rowsPerInsert = 500

    func insert(_ entries: [RequestJournal.Entry]) async throws {
        guard !entries.isEmpty else { return }
        try await store.write { db in
            for start in stride(from: 0, to: entries.count, by: Self.rowsPerInsert) {
                var values: SQLQueryString = ""
                for (index, entry) in entries[start..<min(start + Self.rowsPerInsert, entries.count)].enumerated() {
                    values = values + (index == 0 ? "" : ", ") + """
                        (\(bind: entry.appid), \(bind: entry.id), \(bind: entry.time), \(bind: entry.method), \(bind: entry.path), \(bind: entry.body),
                         \(bind: entry.errcode.map(Int64.init)), \(bind: entry.latencyMilliseconds), \(bind: entry.rid), \(bind: entry.faultID))
                        """
                }
                try await db.raw("""
                    INSERT INTO request_journal (appid, id, time, method, path, body, errcode, latency_ms, rid, fault_id)
                    VALUES \(values)
                    """).run()
            }
        }
    }

    public struct Row: Decodable, Sendable {
        public let time: Int64, method: String, path: String, body: String, errcode: Int64?, latency_ms: Int64, rid: String, fault_id: String?
    }

    func entries(appid: String, _ query: RequestJournal.Query) async throws -> [Row] {
        try await store.read { db in
            var filters: SQLQueryString = ""
            if let path = query.path {
                if path.hasSuffix("*") {
                    // A prefix, compared as text (no LIKE: its wildcards would be the caller's).
                    let prefix = String(path.dropLast())
                    filters = filters + " AND substr(path, 1, CAST(\(bind: Int64(prefix.count)) AS INTEGER)) = \(bind: prefix)"
                } else {
                    filters = filters + " AND path = \(bind: path)"
                }
            }
            if let errcode = query.errcode { filters = filters + " AND errcode = \(bind: Int64(errcode))" }
            if let since = query.since { filters = filters + " AND time >= \(bind: since)" }
            return try await db.raw("""
                SELECT time, method, path, body, errcode, latency_ms, rid, fault_id FROM request_journal
                WHERE appid = \(bind: appid) \(filters) ORDER BY id DESC LIMIT \(bind: query.limit)
                """).all(decoding: Row.self)
        }
    }

    /// Keeps each app's newest `keep` entries and those newer than `olderThan` (an id prefix).
    func prune(keep: Int, olderThan: String) async throws {
        let appids = try await store.read { db in
            try await db.raw("SELECT DISTINCT appid FROM request_journal").all().map { try $0.decode(column: "appid", as: String.self) }
        }
        for appid in appids {
            let byCount = try await store.read { db in
                try await db.raw("""
                    SELECT id FROM request_journal WHERE appid = \(bind: appid) ORDER BY id DESC LIMIT 1 OFFSET \(bind: keep)
                    """).first()?.decode(column: "id", as: String.self)
            }
            let threshold = max(byCount ?? "", olderThan)
            try await store.write { db in
                try await db.raw("DELETE FROM request_journal WHERE appid = \(bind: appid) AND id <= \(bind: threshold)").run()
            }
        }
    }
}
