import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Delivers pushes as WeChat does: each attempt waits 5 s for an answer; an attempt succeeds on
/// HTTP 200 with `success` or an empty body; otherwise it is retried, 3 requests in all, 1 s
/// then 3 s apart, so a push is settled within about 25 s.
///
/// The worker takes due pushes from the outbox in batches (`PushStore.claim`), sends them
/// concurrently (at most `concurrency` at once, one per user at a time so each user's pushes
/// keep their order), and records finished attempts in batches, every 10 ms. It never runs
/// inside a request, and holds no database transaction during an HTTP call. A request that
/// writes a push wakes it; it also looks every 250 ms, for pushes of other instances and retries.
public final class PushDelivery: Sendable {
    public struct Settings: Sendable {
        public var attemptTimeout: TimeAmount = .seconds(5)
        public var attempts = 3
        /// Waits before the 2nd and 3rd attempts.
        public var retryDelays: [Int64] = [1_000, 3_000]
        public var concurrency = 16
        /// Journal retention: per app, and by age.
        public var keepPerApp = 10_000
        public var keepDays = 7
        /// How often the journal is pruned.
        public var pruneEveryMilliseconds: Int64 = 60_000
        public init() {}
    }

    let pushes: PushStore
    let clock: ServerClock
    let settings: Settings
    let logger: Logger
    private let woken = Atomic<Bool>(false)
    private let inFlight = Atomic<Int>(0)
    /// Finished attempts waiting to be recorded (`recordResults`).
    private let results = Mutex<[PushStore.Recorded]>([])

    /// One client for every push of the process; never shut down, like AsyncHTTPClient's own
    /// shared client, but with a pool big enough for `concurrency` pushes to one receiver.
    static let client: HTTPClient = {
        // Its own event-loop thread, at a lower priority than the threads that answer API
        // requests: under full load the CPU goes to requests first, and pushes catch up after.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        #if os(Linux)
        // On Linux a nice value is the calling thread's own.
        group.next().execute { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10) }
        #endif
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        // A refused connection is an attempt that failed (WeChat retries on its own schedule);
        // the pool would otherwise keep reconnecting until the 5 s deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroup: group, configuration: configuration)
    }()

    public init(pushes: PushStore, clock: ServerClock, settings: Settings = Settings(), logger: Logger) {
        self.pushes = pushes
        self.clock = clock
        self.settings = settings
        self.logger = logger
    }

    var nowMilliseconds: Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Tells the worker a push is waiting (after the transaction that wrote it committed).
    public func wake() {
        woken.store(true, ordering: .releasing)
    }

    /// Idles for up to `milliseconds`, returning within 10 ms of a `wake()`.
    private func idle(milliseconds: Int64) async {
        var waited: Int64 = 0
        while waited < milliseconds, !Task.isCancelled {
            if woken.exchange(false, ordering: .acquiring) { return }
            if Pushes.written.exchange(false, ordering: .acquiring) { return }
            try? await Task.sleep(for: .milliseconds(10))
            waited += 10
        }
    }

    /// Runs until the task is cancelled; attempts under way then finish (within 5 s), and
    /// their results are recorded. Pushes are claimed ahead into a local queue (up to four
    /// times `concurrency`, leased for 30 s), so an HTTP slot never waits for a claim.
    public func run() async {
        // One process per SQLite file (the file lock sees to it): a lease found at start is a
        // crashed process's, and waiting out its 30 s would only delay the push. On PostgreSQL
        // another instance may hold it, so it runs out instead.
        if pushes.store.engine == .sqlite {
            do { try await pushes.releaseAllLeases() } catch {
                logger.error("pushes: cannot release the leases of a previous run", metadata: ["error": "\(String(reflecting: error))"])
            }
        }
        var lastPrune: Int64 = 0
        var queue: [(push: ClaimedPush, xml: String?, server: PushServer?)] = []
        await withDiscardingTaskGroup { group in
            group.addTask { await self.recordEvery(milliseconds: 10) }
            while !Task.isCancelled {
                let now = nowMilliseconds
                if now - lastPrune > settings.pruneEveryMilliseconds {
                    lastPrune = now
                    await prune(now: now)
                }
                while inFlight.load(ordering: .acquiring) < settings.concurrency, !queue.isEmpty {
                    let next = queue.removeFirst()
                    inFlight.add(1, ordering: .acquiringAndReleasing)
                    group.addTask {
                        await self.attempt(next.push, xml: next.xml, server: next.server)
                        self.inFlight.subtract(1, ordering: .acquiringAndReleasing)
                        // Room for another push (of another user: this one's next waits for the record).
                        self.wake()
                    }
                }
                var claimed: [ClaimedPush] = []
                let room = settings.concurrency * 4 - queue.count - inFlight.load(ordering: .acquiring)
                if queue.count < settings.concurrency, room > 0 {
                    do {
                        claimed = try await pushes.claim(limit: room, now: now, leaseUntil: now + 30_000)
                    } catch {
                        logger.error("pushes: cannot read the outbox", metadata: ["error": "\(String(reflecting: error))"])
                    }
                }
                if !claimed.isEmpty {
                    let servers = (try? await pushes.servers(appids: Set(claimed.map(\.appid)))) ?? [:]
                    let bodies = (try? await pushes.bodies(claimed)) ?? [:]
                    queue += claimed.map { ($0, bodies[$0.id], servers[$0.appid]) }
                    continue
                }
                // Nothing new, or no room: wait for a new push, a finished attempt or 250 ms.
                await idle(milliseconds: 250)
            }
        }
        await recordResults()
        // Pushes claimed but not attempted: free now, for the next start or another instance.
        try? await pushes.release(queue.map(\.push))
    }

    /// Records finished attempts every `milliseconds`, all of them in one transaction.
    private func recordEvery(milliseconds: Int64) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(milliseconds))
            await recordResults()
        }
    }

    private func recordResults() async {
        let batch = results.withLock { results in
            let batch = results
            results.removeAll(keepingCapacity: true)
            return batch
        }
        guard !batch.isEmpty else { return }
        do {
            try await pushes.record(batch)
        } catch {
            // The leases run out and the pushes are attempted again: at least once, never lost.
            logger.error("pushes: cannot record \(batch.count) attempts", metadata: ["error": "\(String(reflecting: error))"])
        }
        // Room for more, and each user's next push may go now.
        wake()
        if batch.contains(where: { if case .retry = $0.outcome { true } else { false } }) {
            wakeLater(after: settings.retryDelays.first ?? 1_000)
        }
    }

    /// Prunes the journal, on one instance of a cluster at a time: the others find the lease
    /// taken and leave it (it lasts one pruning interval).
    private func prune(now: Int64) async {
        do {
            let lease = BackgroundLease(store: pushes.store, name: "push-journal-prune")
            guard try await lease.take(for: settings.pruneEveryMilliseconds, now: now) else { return }
            try await pushes.prune(keep: settings.keepPerApp, olderThan: now - Int64(settings.keepDays) * 86_400_000)
        } catch {
            logger.error("pushes: cannot prune the journal", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// One attempt at a claimed push, and its outcome recorded.
    private func attempt(_ push: ClaimedPush, xml: String?, server: PushServer?) async {
        let attempt = await send(push, xml: xml, server: server)
        let number = push.attemptCount + 1
        let outcome: PushStore.Outcome
        if attempt.succeeded {
            outcome = .delivered
        } else if number >= settings.attempts || server == nil {
            outcome = .failed
        } else {
            let delay = settings.retryDelays.indices.contains(number - 1) ? settings.retryDelays[number - 1] : 1_000
            outcome = .retry(atMilliseconds: nowMilliseconds + delay)
        }
        results.withLock { $0.append(PushStore.Recorded(appid: push.appid, id: push.id, attempt: attempt, outcome: outcome)) }
    }

    private func wakeLater(after milliseconds: Int64) {
        Task {
            try? await Task.sleep(for: .milliseconds(milliseconds))
            self.wake()
        }
    }

    /// Sends an entry again now (`POST /sandbox/events/redeliver`), recording the attempt.
    public func redeliver(appid: String, id: String) async throws -> PushEntry {
        guard let entry = try await pushes.entry(appid: appid, id: id) else {
            throw WeChatError.invalidArgs.detail("no event \(id) for this app")
        }
        let push = ClaimedPush(appid: appid, id: id, openid: entry.openid, createTime: entry.create_time,
                               attemptCount: entry.attempts.count)
        let attempt = await send(push, xml: entry.xml, server: try await pushes.server(appid: appid))
        try await pushes.record(appid: appid, id: id, attempt: attempt, outcome: .redelivered(succeeded: attempt.succeeded))
        return try await pushes.entry(appid: appid, id: id) ?? entry
    }

    func send(_ push: ClaimedPush, xml: String?, server: PushServer?) async -> PushAttempt {
        let time = (try? await clock.now()) ?? Int64(Date().timeIntervalSince1970)
        guard let server else {
            return PushAttempt(time: time, status: nil, latency_ms: 0, response: "no message server is configured")
        }
        let started = ContinuousClock.now
        do {
            guard let xml else {
                return PushAttempt(time: time, status: nil, latency_ms: 0, response: "the push is no longer there")
            }
            let wire = try PushRequestRules.wire(pushID: push.id, appid: push.appid, openid: push.openid,
                                                 createTime: push.createTime, xml: xml, server: server)
            var request = HTTPClientRequest(url: wire.url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "text/xml")
            request.headers.add(name: "User-Agent", value: "Mozilla/4.0")
            request.body = .bytes(ByteBuffer(string: wire.body))
            let (status, body) = try await Self.exchange(request, timeout: settings.attemptTimeout)
            return PushAttempt(time: time, status: status, latency_ms: Self.milliseconds(since: started), response: body)
        } catch {
            return PushAttempt(time: time, status: nil, latency_ms: Self.milliseconds(since: started), response: Self.describe(error))
        }
    }

    /// One request: the status and the body's first KiB, all within `timeout`.
    static func exchange(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> (Int, String) {
        let deadline = NIODeadline.now() + timeout
        let response = try await client.execute(request, deadline: deadline)
        var body = try await response.body.collect(upTo: 1 << 20)
        let text = body.readString(length: min(body.readableBytes, 1024)) ?? ""
        return (Int(response.status.code), text)
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int64 {
        let elapsed = ContinuousClock.now - start
        return elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "no answer within 5 s"
            case .remoteConnectionClosed: return "the connection was closed without an answer"
            default: return String(describing: error)
            }
        }
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return describe(first.error)
        }
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode)).lowercased()
        }
        return String(describing: error)
    }
}
