import SQLKit
import Synchronization

/// Group commit for SQLite's single writer. Every write transaction is queued; one runner takes
/// the queue's transactions in batches and runs each batch as one SQLite transaction
/// (`BEGIN IMMEDIATE` … `COMMIT`), each of its transactions inside a savepoint of its own. A
/// transaction that fails rolls back to its savepoint and fails alone; one that succeeds is
/// answered only after the batch's COMMIT, so nothing is acknowledged before it is durable
/// (synchronous=FULL). One fsync then makes a whole batch durable instead of one transaction.
final class GroupCommit: Sendable {
    /// What a queued transaction came to, once its body has run inside the batch.
    enum Outcome: Sendable {
        /// `committed` is called after COMMIT; `aborted` if the COMMIT itself fails.
        case succeeded(committed: @Sendable () -> Void, aborted: @Sendable (any Error) -> Void)
        case failed(report: @Sendable () -> Void)
    }

    struct Job: Sendable {
        /// Runs the transaction's body inside the batch.
        let run: @Sendable (any SQLDatabase) async -> Outcome
        /// Fails the transaction without running it (the batch could not start).
        let abandon: @Sendable (any Error) -> Void
    }

    private struct State {
        var jobs: [Job] = []
        var running = false
    }

    private let state = Mutex(State())
    private let database: any SQLDatabase
    private let maxBatch: Int

    init(database: any SQLDatabase, maxBatch: Int = 256) {
        self.database = database
        self.maxBatch = maxBatch
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            enqueue(Job(
                run: { db in
                    do {
                        let value = try await body(db)
                        return .succeeded(committed: { continuation.resume(returning: value) },
                                          aborted: { continuation.resume(throwing: $0) })
                    } catch {
                        return .failed(report: { continuation.resume(throwing: error) })
                    }
                },
                abandon: { continuation.resume(throwing: $0) }))
        }
    }

    private func enqueue(_ job: Job) {
        let start = state.withLock { state -> Bool in
            state.jobs.append(job)
            if state.running { return false }
            state.running = true
            return true
        }
        if start { Task { await self.run() } }
    }

    private func run() async {
        while true {
            let batch = state.withLock { state -> [Job] in
                let batch = Array(state.jobs.prefix(maxBatch))
                state.jobs.removeFirst(batch.count)
                if batch.isEmpty { state.running = false }
                return batch
            }
            if batch.isEmpty { return }
            await commit(batch)
        }
    }

    private func commit(_ batch: [Job]) async {
        let db = database
        do {
            try await db.raw("BEGIN IMMEDIATE").run()
        } catch {
            // Nothing ran: every transaction of the batch fails with the reason.
            for job in batch { job.abandon(error) }
            return
        }
        var outcomes: [Outcome] = []
        for job in batch {
            do {
                try await db.raw("SAVEPOINT tx").run()
            } catch {
                outcomes.append(.failed(report: { job.abandon(error) }))
                continue
            }
            let outcome = await job.run(db)
            switch outcome {
            case .succeeded:
                if (try? await db.raw("RELEASE tx").run()) == nil {
                    try? await db.raw("ROLLBACK TO tx").run()
                    outcomes.append(.failed(report: { job.abandon(WeChatError.systemError) }))
                    continue
                }
            case .failed:
                try? await db.raw("ROLLBACK TO tx").run()
                try? await db.raw("RELEASE tx").run()
            }
            outcomes.append(outcome)
        }
        do {
            try await db.raw("COMMIT").run()
            for outcome in outcomes {
                switch outcome {
                case .succeeded(let committed, _): committed()
                case .failed(let report): report()
                }
            }
        } catch {
            try? await db.raw("ROLLBACK").run()
            for outcome in outcomes {
                switch outcome {
                case .succeeded(_, let aborted): aborted(error)
                case .failed(let report): report()
                }
            }
        }
    }
}
