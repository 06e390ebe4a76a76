import SQLKit
import Synchronization

/// Group commit for SQLite's single writer. Every write transaction is queued; one runner takes
/// the queued transactions in batches and runs each batch as one SQLite transaction
/// (`BEGIN IMMEDIATE` … `COMMIT`), so one fsync (synchronous=FULL) makes a whole batch durable.
/// A transaction is answered only after its batch's COMMIT: nothing is acknowledged before it
/// is durable.
///
/// A transaction that fails before changing a row simply fails. If one fails after changing
/// rows, the batch rolls back, the failure is reported (a failed
/// transaction has no effects, so it may fail at any point of the serial order), and the
/// transactions before it are queued again, ahead of the rest. Their bodies then run twice,
/// which is safe because a body only talks to the database. This keeps the common case (no
/// failure) at one statement round-trip per statement, with no savepoint per transaction.
final class GroupCommit: Sendable {
    struct Job: Sendable {
        /// Runs the body inside the batch; answers how to report it once the batch ends.
        let run: @Sendable (any SQLDatabase) async -> Outcome
        /// Fails the transaction without a result (its batch could not commit).
        let abandon: @Sendable (any Error) -> Void
    }

    enum Outcome: Sendable {
        case succeeded(committed: @Sendable () -> Void)
        case failed(report: @Sendable () -> Void)
    }

    private struct State {
        var jobs: [Job] = []
        var running = false
    }

    private let state = Mutex(State())
    private let writer: CSQLiteConnection
    private let thread: WriterThread
    private let maxBatch: Int

    /// The runner and everything it does stay on `thread`, the writer's own.
    init(writer: CSQLiteConnection, thread: WriterThread, maxBatch: Int = 256) {
        self.writer = writer
        self.thread = thread
        self.maxBatch = maxBatch
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            enqueue(Job(
                run: { db in
                    do {
                        let value = try await body(db)
                        return .succeeded(committed: { continuation.resume(returning: value) })
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
        if start { Task(executorPreference: thread) { await self.run() } }
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
            if let retry = await commit(batch) {
                state.withLock { $0.jobs.insert(contentsOf: retry, at: 0) }
            }
        }
    }

    /// Runs one batch on the writer's thread, BEGIN and COMMIT inline. Answers the transactions
    /// to run again when one of them failed.
    private func commit(_ batch: [Job]) async -> [Job]? {
        let db = writer.sql()
        do {
            try writer.execute("BEGIN IMMEDIATE")
        } catch {
            for job in batch { job.abandon(error) }
            return nil
        }
        var committed: [@Sendable () -> Void] = []
        for (index, job) in batch.enumerated() {
            let changesBefore = writer.totalChanges
            switch await job.run(db) {
            case .succeeded(let done):
                committed.append(done)
            case .failed(let report) where writer.totalChanges == changesBefore:
                // It failed before changing anything (most refusals do): nothing to undo.
                report()
            case .failed(let report):
                try? writer.execute("ROLLBACK")
                report()
                // The ones before it lost their effects with the rollback; the ones after never ran.
                return Array(batch[..<index]) + Array(batch[(index + 1)...])
            }
        }
        do {
            try writer.execute("COMMIT")
            for done in committed { done() }
        } catch {
            try? writer.execute("ROLLBACK")
            for job in batch { job.abandon(error) }
        }
        return nil
    }
}
