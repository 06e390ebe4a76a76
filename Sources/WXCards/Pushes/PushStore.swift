import SQLKit
import Synchronization

/// The SQL of event pushes: message servers, the outbox (which is also the journal), attempts
/// and stock reminders.
public struct PushStore: Sendable {
    let store: Store

    public init(store: Store) { self.store = store }

    // MARK: Message servers

    public func setServer(appid: String, _ server: PushServer, now: Int64) async throws {
        try await store.write { db in
            try await db.raw("""
                INSERT INTO push_servers (appid, url, token, mode, encoding_aes_key, update_time)
                VALUES (\(bind: appid), \(bind: server.url), \(bind: server.token), \(bind: server.mode.rawValue),
                        \(bind: server.encodingAESKey), \(bind: now))
                ON CONFLICT (appid) DO UPDATE SET url = excluded.url, token = excluded.token, mode = excluded.mode,
                    encoding_aes_key = excluded.encoding_aes_key, update_time = excluded.update_time
                """).run()
        }
    }

    public func server(appid: String) async throws -> PushServer? {
        try await servers(appids: [appid])[appid]
    }

    /// Where each app's pushes go. An app that authorized a component with a message URL has
    /// its events sent there (the newest such authorization wins), with the component's token
    /// and key; otherwise to its own server. A component's appid (its authorization events)
    /// resolves to its authorization-event URL.
    func servers(appids: Set<String>) async throws -> [String: PushServer] {
        guard !appids.isEmpty else { return [:] }
        return try await store.read { db in
            var found: [String: PushServer] = [:]
            for appid in appids {
                if let row = try await db.raw("""
                    SELECT c.component_appid, c.message_url, c.token, c.encoding_aes_key
                    FROM authorizations a JOIN components c ON c.component_appid = a.component_appid
                    WHERE a.appid = \(bind: appid) AND c.message_url IS NOT NULL AND c.token IS NOT NULL
                      AND c.encoding_aes_key IS NOT NULL
                    ORDER BY a.authorized_at DESC, c.component_appid LIMIT 1
                    """).first() {
                    let template = try row.decode(column: "message_url", as: String.self)
                    found[appid] = PushServer(url: template.replacingOccurrences(of: "$APPID$", with: appid),
                                              token: try row.decode(column: "token", as: String.self), mode: .safe,
                                              encodingAESKey: try row.decode(column: "encoding_aes_key", as: String.self),
                                              cryptoAppID: try row.decode(column: "component_appid", as: String.self))
                    continue
                }
                if let row = try await db.raw("""
                    SELECT url, token, mode, encoding_aes_key FROM push_servers WHERE appid = \(bind: appid)
                    """).first() {
                    let mode = PushServer.Mode(rawValue: try row.decode(column: "mode", as: String.self)) ?? .plain
                    found[appid] = PushServer(url: try row.decode(column: "url", as: String.self),
                                              token: try row.decode(column: "token", as: String.self), mode: mode,
                                              encodingAESKey: try row.decode(column: "encoding_aes_key", as: String?.self))
                    continue
                }
                if let row = try await db.raw("""
                    SELECT auth_url, token, encoding_aes_key FROM components
                    WHERE component_appid = \(bind: appid) AND auth_url IS NOT NULL AND token IS NOT NULL
                      AND encoding_aes_key IS NOT NULL
                    """).first() {
                    found[appid] = PushServer(url: try row.decode(column: "auth_url", as: String.self),
                                              token: try row.decode(column: "token", as: String.self), mode: .safe,
                                              encodingAESKey: try row.decode(column: "encoding_aes_key", as: String.self),
                                              cryptoAppID: appid, envelope: .appID)
                }
            }
            return found
        }
    }

    // MARK: The outbox

    /// Writes a component's authorization event (`InfoType`) in the caller's transaction, if
    /// the component has an authorization-event URL. Answers whether it was written.
    @discardableResult
    static func enqueueComponent(_ db: any SQLDatabase, componentAppID: String, infoType: String, xml: String,
                                 createTime: Int64, wallMilliseconds: Int64) async throws -> Bool {
        let id = newID()
        let written = try await db.raw("""
            INSERT INTO push_outbox (appid, id, seq, event, openid, card_id, order_key, create_time, state,
                                     attempt_count, next_attempt_ms, lease_until_ms)
            SELECT \(bind: componentAppID), \(bind: id.id), \(bind: id.seq), \(bind: infoType), \(bind: PushEvent.weChatSender),
                   '', 'component', \(bind: createTime), 'pending', 0, \(bind: wallMilliseconds), 0
            FROM components WHERE component_appid = \(bind: componentAppID) AND auth_url IS NOT NULL
            RETURNING id
            """).first() != nil
        guard written else { return false }
        try await db.raw("INSERT INTO push_bodies (appid, id, xml) VALUES (\(bind: componentAppID), \(bind: id.id), \(bind: xml))").run()
        return true
    }

    /// A new push id: it starts with the push's sequence number (hex), so each new push's key
    /// lands at the end of its indexes rather than on a random page; the random tail keeps ids
    /// of two instances apart.
    static func newID() -> (id: String, seq: Int64) {
        let seq = MessageSequence.next()
        let id = MessageSequence.hex(seq)
            + Hex.encode(withUnsafeBytes(of: UInt32.random(in: .min ... .max)) { Array($0) })
        return (id, seq)
    }

    /// Writes a push in the caller's transaction, if the app has a message server: with none,
    /// WeChat sends nothing, and neither does wxcards. An app without one pays a single
    /// statement per change and no XML is built.
    /// Answers whether a push was written.
    @discardableResult
    static func enqueue(_ db: any SQLDatabase, appid: String, event: PushEvent, createTime: Int64, wallMilliseconds: Int64) async throws -> Bool {
        let (id, seq) = newID()
        let outbox = outboxInsert(appid: appid, id: id, seq: seq, event: event, createTime: createTime, wallMilliseconds: wallMilliseconds)
        guard try await db.raw(outbox).first() != nil else { return false }
        let xml = event.xml(originalID: OriginalIDs.shared.id(appid), createTime: createTime)
        try await db.raw("INSERT INTO push_bodies (appid, id, xml) VALUES (\(bind: appid), \(bind: id), \(bind: xml))").run()
        return true
    }

    /// The outbox row of a push, written only if the app's pushes go anywhere; it answers the
    /// row's `appid, id`. `source` is what the row is written for inside a larger statement
    /// (`FROM u`: only when that statement's UPDATE changed a row), empty on its own.
    static func outboxInsert(appid: String, id: String, seq: Int64, event: PushEvent, createTime: Int64,
                             wallMilliseconds: Int64, from source: SQLQueryString = "") -> SQLQueryString {
        """
        INSERT INTO push_outbox (appid, id, seq, event, openid, card_id, order_key, create_time, state,
                                 attempt_count, next_attempt_ms, lease_until_ms)
        SELECT \(bind: appid), \(bind: id), \(bind: seq), \(bind: event.event),
               \(bind: event.openid), \(bind: event.cardID), \(bind: event.orderKey), \(bind: createTime),
               'pending', 0, \(bind: wallMilliseconds), 0
        \(source) WHERE \(hasMessageServer(appid))
        RETURNING appid, id
        """
    }

    /// Whether the app's pushes go anywhere: its own message server, or a component it authorized
    /// that has a message URL.
    private static func hasMessageServer(_ appid: String) -> SQLQueryString {
        """
        (EXISTS (SELECT 1 FROM push_servers WHERE appid = \(bind: appid))
         OR EXISTS (SELECT 1 FROM authorizations a JOIN components c ON c.component_appid = a.component_appid
                    WHERE a.appid = \(bind: appid) AND c.message_url IS NOT NULL))
        """
    }

    /// The XML of claimed pushes, by id, in one read.
    func bodies(_ claimed: [ClaimedPush]) async throws -> [String: String] {
        guard !claimed.isEmpty else { return [:] }
        return try await store.read { db in
            var sql: SQLQueryString = "SELECT id, xml FROM push_bodies WHERE (appid, id) IN (VALUES "
            for (index, push) in claimed.enumerated() {
                sql = sql + (index == 0 ? "" : ", ") + "(\(bind: push.appid), \(bind: push.id))"
            }
            sql = sql + ")"
            var found: [String: String] = [:]
            for row in try await db.raw(sql).all() {
                found[try row.decode(column: "id", as: String.self)] = try row.decode(column: "xml", as: String.self)
            }
            return found
        }
    }

    /// Takes up to `limit` pushes that are due, each the earliest pending one of its user (or
    /// card), leasing them until `leaseUntil`. Another worker (another instance) skips them.
    func claim(limit: Int, now: Int64, leaseUntil: Int64) async throws -> [ClaimedPush] {
        let skipLocked: SQLQueryString = store.engine == .postgres ? " FOR UPDATE SKIP LOCKED" : ""
        return try await store.write { db in
            try await db.raw("""
                UPDATE push_outbox SET lease_until_ms = \(bind: leaseUntil)
                WHERE (appid, id) IN (
                    SELECT p.appid, p.id FROM push_outbox p
                    WHERE p.state = 'pending' AND p.next_attempt_ms <= \(bind: now) AND p.lease_until_ms <= \(bind: now)
                      AND NOT EXISTS (SELECT 1 FROM push_outbox e WHERE e.appid = p.appid AND e.order_key = p.order_key
                                      AND e.state = 'pending' AND e.id < p.id)
                    ORDER BY p.id LIMIT \(bind: limit)\(skipLocked)
                )
                RETURNING appid, id, openid, create_time, attempt_count
                """).all().map { row in
                ClaimedPush(appid: try row.decode(column: "appid", as: String.self), id: try row.decode(column: "id", as: String.self),
                            openid: try row.decode(column: "openid", as: String.self),
                            createTime: try row.decode(column: "create_time", as: Int64.self),
                            attemptCount: try row.decode(column: "attempt_count", as: Int.self))
            }
        }
    }

    /// Frees every lease: only for the single process of an SQLite file, at its start.
    func releaseAllLeases() async throws {
        try await store.write { db in
            try await db.raw("UPDATE push_outbox SET lease_until_ms = 0 WHERE state = 'pending' AND lease_until_ms > 0").run()
        }
    }

    /// Gives up the lease of pushes claimed but not attempted.
    func release(_ claimed: [ClaimedPush]) async throws {
        guard !claimed.isEmpty else { return }
        try await store.write { db in
            for push in claimed {
                try await db.raw("""
                    UPDATE push_outbox SET lease_until_ms = 0 WHERE appid = \(bind: push.appid) AND id = \(bind: push.id) AND state = 'pending'
                    """).run()
            }
        }
    }

    /// What became of a push after an attempt.
    enum Outcome: Sendable {
        case delivered
        case retry(atMilliseconds: Int64)
        case failed
        /// A redelivery: delivered if it succeeded, else the state it had.
        case redelivered(succeeded: Bool)
    }

    /// An attempt and its outcome, to record.
    struct Recorded: Sendable {
        let appid: String
        let id: String
        let attempt: PushAttempt
        let outcome: Outcome
    }

    /// Records attempts in one transaction: the delivery worker's results go in batches, so
    /// pushes cost SQLite's one writer as little as possible.
    func record(_ batch: [Recorded]) async throws {
        try await store.write { db in
            for entry in batch {
                try await Self.record(db, appid: entry.appid, id: entry.id, attempt: entry.attempt, outcome: entry.outcome)
            }
        }
    }

    /// Records an attempt and its outcome, and releases the lease.
    func record(appid: String, id: String, attempt: PushAttempt, outcome: Outcome) async throws {
        try await store.write { db in
            try await Self.record(db, appid: appid, id: id, attempt: attempt, outcome: outcome)
        }
    }

    private static func record(_ db: any SQLDatabase, appid: String, id: String, attempt: PushAttempt, outcome: Outcome) async throws {
        try await db.raw("""
            INSERT INTO push_attempts (appid, id, n, time, status, latency_ms, response)
            SELECT appid, id, attempt_count + 1, \(bind: attempt.time), \(bind: attempt.status), \(bind: attempt.latency_ms),
                   \(bind: attempt.response)
            FROM push_outbox WHERE appid = \(bind: appid) AND id = \(bind: id)
            """).run()
        let state: SQLQueryString
        var next: Int64? = nil
        switch outcome {
        case .delivered, .redelivered(succeeded: true): state = "'delivered'"
        case .failed: state = "'failed'"
        case .retry(let at):
            state = "'pending'"
            next = at
        case .redelivered(succeeded: false): state = "state"
        }
        try await db.raw("""
            UPDATE push_outbox SET attempt_count = attempt_count + 1, state = \(state),
                next_attempt_ms = COALESCE(\(bind: next), next_attempt_ms), lease_until_ms = 0
            WHERE appid = \(bind: appid) AND id = \(bind: id)
            """).run()
    }

    // MARK: The journal

    public struct JournalQuery: Sendable {
        public var event: String?
        public var cardID: String?
        public var openid: String?
        public var limit: Int

        public init(event: String? = nil, cardID: String? = nil, openid: String? = nil, limit: Int = 100) {
            self.event = event
            self.cardID = cardID
            self.openid = openid
            self.limit = limit
        }
    }

    /// The app's pushes, newest first, with their attempts.
    public func journal(appid: String, _ query: JournalQuery) async throws -> [PushEntry] {
        try await store.read { db in
            var sql: SQLQueryString = """
                SELECT o.id, event, openid, card_id, create_time, xml, state
                FROM push_outbox o JOIN push_bodies b ON b.appid = o.appid AND b.id = o.id WHERE o.appid = \(bind: appid)
                """
            if let event = query.event { sql = sql + " AND event = \(bind: event)" }
            if let cardID = query.cardID { sql = sql + " AND card_id = \(bind: cardID)" }
            if let openid = query.openid { sql = sql + " AND openid = \(bind: openid)" }
            sql = sql + " ORDER BY o.id DESC LIMIT \(bind: query.limit)"
            var entries = try await db.raw(sql).all().map(Self.entry)
            for index in entries.indices {
                entries[index].attempts = try await Self.attempts(db, appid: appid, id: entries[index].id)
            }
            return entries
        }
    }

    public func entry(appid: String, id: String) async throws -> PushEntry? {
        try await store.read { db in
            guard let row = try await db.raw("""
                SELECT o.id, event, openid, card_id, create_time, xml, state
                FROM push_outbox o JOIN push_bodies b ON b.appid = o.appid AND b.id = o.id
                WHERE o.appid = \(bind: appid) AND o.id = \(bind: id)
                """).first() else { return nil }
            var entry = try Self.entry(row)
            entry.attempts = try await Self.attempts(db, appid: appid, id: id)
            return entry
        }
    }

    private static func entry(_ row: any SQLRow) throws -> PushEntry {
        PushEntry(id: try row.decode(column: "id", as: String.self), event: try row.decode(column: "event", as: String.self),
                  openid: try row.decode(column: "openid", as: String.self), card_id: try row.decode(column: "card_id", as: String.self),
                  create_time: try row.decode(column: "create_time", as: Int64.self), xml: try row.decode(column: "xml", as: String.self),
                  state: PushEntry.State(rawValue: try row.decode(column: "state", as: String.self)) ?? .pending, attempts: [])
    }

    private static func attempts(_ db: any SQLDatabase, appid: String, id: String) async throws -> [PushAttempt] {
        try await db.raw("""
            SELECT time, status, latency_ms, response FROM push_attempts WHERE appid = \(bind: appid) AND id = \(bind: id) ORDER BY n
            """).all().map { row in
            PushAttempt(time: try row.decode(column: "time", as: Int64.self), status: try row.decode(column: "status", as: Int?.self),
                        latency_ms: try row.decode(column: "latency_ms", as: Int64.self),
                        response: try row.decode(column: "response", as: String.self))
        }
    }

    /// Removes delivered and failed pushes older than `olderThan` (wall milliseconds; a push's
    /// id starts with its `MessageSequence` number in hex), and those beyond the newest `keep` of
    /// each app. Pending pushes are never pruned. It deletes `slice` pushes per transaction, so
    /// SQLite's writer is never held long.
    func prune(keep: Int, olderThan: Int64, slice: Int = 500) async throws {
        let appids = try await store.read { db in
            try await db.raw("SELECT DISTINCT appid FROM push_outbox").all().map { try $0.decode(column: "appid", as: String.self) }
        }
        let byAge = MessageSequence.hex(MessageSequence.first(ofMillisecond: olderThan))
        for appid in appids {
            // The id of the newest push past the ones kept: it and everything older go.
            let byCount = try await store.read { db in
                try await db.raw("""
                    SELECT id FROM push_outbox WHERE appid = \(bind: appid) ORDER BY id DESC LIMIT 1 OFFSET \(bind: keep)
                    """).first()?.decode(column: "id", as: String.self)
            }
            // Ids are fixed-width hex: text order is time order.
            let threshold = max(byCount ?? "", byAge)
            while true {
                let removed = try await store.write { db -> Int in
                    let ids = try await db.raw("""
                        SELECT id FROM push_outbox WHERE appid = \(bind: appid) AND id <= \(bind: threshold) AND state <> 'pending'
                        ORDER BY id LIMIT \(bind: slice)
                        """).all().map { try $0.decode(column: "id", as: String.self) }
                    guard !ids.isEmpty else { return 0 }
                    var list: SQLQueryString = ""
                    for (index, id) in ids.enumerated() { list = list + (index == 0 ? "" : ", ") + "\(bind: id)" }
                    for table in ["push_attempts", "push_bodies", "push_outbox"] {
                        try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE appid = \(bind: appid) AND id IN (\(list))").run()
                    }
                    return ids.count
                }
                if removed < slice { break }
            }
        }
    }

    // MARK: Stock reminders

    /// Whether the card may send `card_sku_remind` now (none in the last 12 hours); if so,
    /// notes that it did, in the caller's transaction.
    static func takeSkuReminder(_ db: any SQLDatabase, appid: String, cardID: String, now: Int64) async throws -> Bool {
        let taken = try await db.raw("""
            INSERT INTO push_sku_reminds (appid, card_id, last_time) VALUES (\(bind: appid), \(bind: cardID), \(bind: now))
            ON CONFLICT (appid, card_id) DO UPDATE SET last_time = excluded.last_time
            WHERE push_sku_reminds.last_time <= \(bind: now - 43_200)
            RETURNING last_time
            """).first()
        return taken != nil
    }
}

/// `AppRecord.originalID`, computed once per app: every push needs it.
final class OriginalIDs: Sendable {
    static let shared = OriginalIDs()
    private let known = Mutex<[String: String]>([:])

    func id(_ appid: String) -> String {
        if let id = known.withLock({ $0[appid] }) { return id }
        let id = AppRecord.originalID(appid: appid)
        known.withLock { known in
            if known.count >= 10_000 { known.removeAll() }
            known[appid] = id
        }
        return id
    }
}
