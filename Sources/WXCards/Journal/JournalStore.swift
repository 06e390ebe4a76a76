import SQLKit

/// The SQL of the request journal. Every query is scoped by appid.
public struct JournalStore: Sendable {
    let store: Store

    /// Rows a full statement inserts. A flush writes as many full statements as it can and the
    /// rest one row at a time: two statement texts in all, prepared once and kept, where a
    /// statement per batch size would be a new text (parsed again, and pushing the API's own
    /// statements out of SQLite's cache) at every flush.
    static let rowsPerInsert = 64
    static let insertPrefix = "INSERT INTO request_journal (appid, id, time, method, path, body, errcode, latency_ms, rid, fault_id) VALUES "
    static let rowPlaceholders = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    static let insertMany = SQLTemplate(insertPrefix + Array(repeating: rowPlaceholders, count: rowsPerInsert).joined(separator: ", "))
    static let insertOne = SQLTemplate(insertPrefix + rowPlaceholders)

    func insert(_ entries: [RequestJournal.Entry]) async throws {
        guard !entries.isEmpty else { return }
        try await store.write { db in
            var start = 0
            while start < entries.count {
                let size = entries.count - start >= Self.rowsPerInsert ? Self.rowsPerInsert : 1
                var binds: [any Encodable & Sendable] = []
                binds.reserveCapacity(size * 10)
                for entry in entries[start..<start + size] {
                    binds += [entry.appid, entry.id, entry.time, entry.method, entry.path, entry.body,
                              entry.errcode.map(Int64.init), entry.latencyMilliseconds, entry.rid, entry.faultID] as [any Encodable & Sendable]
                }
                try await db.template(SQLTemplate.Statement(template: size == 1 ? Self.insertOne : Self.insertMany, binds: binds)).run()
                start += size
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
