import Foundation
import Logging
import Synchronization

/// The request journal (`GET /sandbox/requests`): each app's recent API requests. A request
/// adds its entry to a buffer in memory; the buffer goes to the database in one transaction
/// every `flushMilliseconds`, so the journal costs a request no write of its own. Reading
/// flushes first; on PostgreSQL it also waits out one flush interval, so entries other
/// instances answered before the read began are in it.
public final class RequestJournal: Sendable {
    public struct Settings: Sendable {
        /// Entries kept per app.
        public var keepPerApp = 1_000
        /// Days an entry is kept.
        public var keepDays = 1
        public var flushMilliseconds: Int64 = 200
        public var pruneEveryMilliseconds: Int64 = 60_000
        /// Entries waiting for a flush at most; past it the oldest are dropped (and counted).
        public var maxPending = 20_000
        public init() {}
    }

    struct Entry: Sendable {
        let appid: String
        /// `makeID()`: text order is time order.
        let id: String
        /// Server clock, Unix seconds.
        let time: Int64
        let method: String
        let path: String
        let body: String
        /// nil when no answer went out (a dropped connection).
        let errcode: Int?
        let latencyMilliseconds: Int64
        let rid: String
        let faultID: String?
        /// Whether a flush already failed with it.
        var retried = false

        func retrying() -> Entry {
            var copy = self
            copy.retried = true
            return copy
        }
    }

    public struct Query: Sendable {
        public var path: String?
        public var errcode: Int?
        public var since: Int64?
        public var limit: Int

        public init(path: String? = nil, errcode: Int? = nil, since: Int64? = nil, limit: Int) {
            self.path = path
            self.errcode = errcode
            self.since = since
            self.limit = limit
        }
    }

    let store: JournalStore
    let settings: Settings
    let logger: Logger
    private let pending = Mutex<[Entry]>([])
    private let dropped = Atomic<Int>(0)

    init(store: Store, settings: Settings, logger: Logger) {
        self.store = JournalStore(store: store)
        self.settings = settings
        self.logger = logger
    }

    func record(_ entry: Entry) {
        let overflow = pending.withLock { pending -> Bool in
            pending.append(entry)
            guard pending.count > settings.maxPending else { return false }
            pending.removeFirst(pending.count - settings.maxPending)
            return true
        }
        if overflow { dropped.add(1, ordering: .relaxed) }
    }

    /// A `MessageSequence` number as `MessageSequence.hex`, like push ids: strictly increasing
    /// in this process, kept apart from other instances' by their slots.
    static func makeID() -> String { MessageSequence.hex(MessageSequence.next()) }

    /// Writes what is pending. Entries of a batch that failed are tried once more with the
    /// next batch, then dropped (and logged): a batch the database refuses must not stop the
    /// journal for good.
    func flush() async throws {
        let batch = pending.withLock { pending -> [Entry] in
            defer { pending.removeAll(keepingCapacity: true) }
            return pending
        }
        do {
            try await store.insert(batch)
        } catch {
            let retry = batch.filter { !$0.retried }.map { $0.retrying() }
            if retry.count < batch.count { dropped.add(batch.count - retry.count, ordering: .relaxed) }
            pending.withLock { $0.insert(contentsOf: retry, at: 0) }
            throw error
        }
    }

    /// Drops the app's entries not written yet (`POST /sandbox/reset` removes the rest).
    func discard(appid: String) {
        pending.withLock { $0.removeAll { $0.appid == appid } }
    }

    public func entries(appid: String, _ query: Query) async throws -> [JournalStore.Row] {
        // A failed flush is the writer's to report (`run()` logs it); the read goes on.
        try? await flush()
        if store.store.engine == .postgres {
            try await Task.sleep(for: .milliseconds(settings.flushMilliseconds + 50))
        }
        return try await store.entries(appid: appid, query)
    }

    /// Flushes every `flushMilliseconds` and prunes every `pruneEveryMilliseconds` (one
    /// instance of a cluster at a time), until cancelled; then flushes what is left.
    public func run() async {
        var lastPrune: Int64 = 0
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(settings.flushMilliseconds))
            do { try await flush() } catch {
                logger.error("journal: cannot write the request journal", metadata: ["error": "\(String(reflecting: error))"])
            }
            let lost = dropped.exchange(0, ordering: .relaxed)
            if lost > 0 { logger.warning("journal: \(lost) entries dropped (too many waiting, or refused twice by the database)") }
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            if now - lastPrune > settings.pruneEveryMilliseconds {
                lastPrune = now
                do {
                    let lease = BackgroundLease(store: store.store, name: "request-journal-prune")
                    if try await lease.take(for: settings.pruneEveryMilliseconds, now: now) {
                        let oldest = MessageSequence.first(ofMillisecond: now - Int64(settings.keepDays) * 86_400_000)
                        try await store.prune(keep: settings.keepPerApp, olderThan: MessageSequence.hex(oldest))
                    }
                } catch {
                    logger.error("journal: cannot prune", metadata: ["error": "\(String(reflecting: error))"])
                }
            }
        }
        try? await flush()
    }
}
