import SQLKit
import Synchronization

/// Group commit for SQLite's single writer. Every write transaction is queued; one runner takes
/// the queued transactions in batches and runs each batch as one SQLite transaction
/// (`BEGIN IMMEDIATE` … `COMMIT`), so one fsync (synchronous=FULL) makes a whole batch durable.
/// A transaction is answered only after its batch's COMMIT succeeded: nothing is acknowledged
/// before it is durable, and nothing whose COMMIT failed is acknowledged.
///
/// Each transaction runs inside a `SAVEPOINT` of its own. One that fails is rolled back to its
/// savepoint — its rows, and its DDL too — and reported; the others of the batch go on
/// untouched. A savepoint costs two statements on the writer's connection and no fsync.
///
/// When SQLite rolls the whole transaction back on its own (SQLITE_FULL, SQLITE_IOERR,
/// SQLITE_NOMEM …, seen as the connection being back in autocommit), the transactions before
/// the failing one lost their effects: they are queued again, ahead of the rest, and their
/// bodies run again, which is safe because a body only talks to the database. Each such round
/// removes the failing transaction, so it ends.
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
    /// Transactions waiting at most: past this the store is overloaded, and a new one fails at
    /// once instead of queueing memory without bound.
    let maxQueued: Int

    /// The runner and everything it does stay on `thread`, the writer's own.
    init(writer: CSQLiteConnection, thread: WriterThread, maxBatch: Int = 256, maxQueued: Int = 10_000) {
        self.writer = writer
        self.thread = thread
        self.maxBatch = maxBatch
        self.maxQueued = maxQueued
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let job = Job(
                run: { db in
                    do {
                        let value = try await body(db)
                        return .succeeded(committed: { continuation.resume(returning: value) })
                    } catch {
                        return .failed(report: { continuation.resume(throwing: error) })
                    }
                },
                abandon: { continuation.resume(throwing: $0) })
            if !enqueue(job) { continuation.resume(throwing: StoreError.overloaded(queued: maxQueued)) }
        }
    }

    /// Queues the job; false when the queue is full.
    private func enqueue(_ job: Job) -> Bool {
        let (accepted, start) = state.withLock { state -> (Bool, Bool) in
            guard state.jobs.count < maxQueued else { return (false, false) }
            state.jobs.append(job)
            if state.running { return (true, false) }
            state.running = true
            return (true, true)
        }
        if start { Task(executorPreference: thread) { await self.run() } }
        return accepted
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
            let again = await commit(batch)
            if !again.isEmpty { state.withLock { $0.jobs.insert(contentsOf: again, at: 0) } }
        }
    }

    /// Runs one batch on the writer's thread, BEGIN, savepoints and COMMIT inline. Answers the
    /// transactions to run again when SQLite rolled the batch back on its own.
    private func commit(_ batch: [Job]) async -> [Job] {
        do {
            try writer.execute("BEGIN IMMEDIATE")
        } catch {
            let failure = Self.storeError(error)
            for job in batch { job.abandon(failure) }
            return []
        }
        let db = writer.sql()
        var succeeded: [(job: Job, committed: @Sendable () -> Void)] = []
        for (index, job) in batch.enumerated() {
            let rest = Array(batch[(index + 1)...])
            do {
                try writer.execute("SAVEPOINT job")
            } catch {
                job.abandon(Self.storeError(error))
                return abort(rerun: succeeded.map(\.job) + rest)
            }
            switch await job.run(db) {
            case .succeeded(let committed):
                do {
                    try writer.execute("RELEASE job")
                    succeeded.append((job, committed))
                } catch {
                    job.abandon(Self.storeError(error))
                    return abort(rerun: succeeded.map(\.job) + rest)
                }
            case .failed(let report):
                // Its own effects go, whatever they were; the batch goes on without it.
                if writer.isAutocommit {
                    report()
                    return succeeded.map(\.job) + rest
                }
                do {
                    try writer.execute("ROLLBACK TO job")
                    try writer.execute("RELEASE job")
                    report()
                } catch {
                    report()
                    return abort(rerun: succeeded.map(\.job) + rest)
                }
            }
        }
        do {
            try writer.execute("COMMIT")
        } catch {
            // Not durable, so not acknowledged: each one fails, and none of it is kept.
            if !writer.isAutocommit { try? writer.execute("ROLLBACK") }
            let failure = Self.storeError(error)
            for (job, _) in succeeded { job.abandon(failure) }
            return []
        }
        for (_, committed) in succeeded { committed() }
        return []
    }

    /// Ends a transaction that can not go on; answers what is to run again.
    private func abort(rerun: [Job]) -> [Job] {
        if !writer.isAutocommit { try? writer.execute("ROLLBACK") }
        return rerun
    }

    /// SQLite's failures of the transaction itself, said plainly.
    static func storeError(_ error: any Error) -> any Error {
        guard let error = error as? CSQLiteError else { return error }
        return error.isBusy ? StoreError.busy(error.description) : error
    }
}

/// Failures of the store itself, never of a request: each answers -1 and is logged with its
/// cause and the request's rid.
public enum StoreError: Error, CustomStringConvertible {
    /// `store.write` called inside another `store.write` of the same store: on SQLite it would
    /// wait for its own batch forever, on PostgreSQL it would not be part of the outer one.
    case nestedWrite
    /// More transactions waiting for SQLite's writer than it accepts.
    case overloaded(queued: Int)
    /// Another process held the database's write lock past the busy timeout.
    case busy(String)

    public var description: String {
        switch self {
        case .nestedWrite: return "a store.write inside another store.write of the same store (a programming error)"
        case .overloaded(let queued): return "the SQLite writer is overloaded: \(queued) transactions already wait"
        case .busy(let detail): return "the database is locked by another process past the busy timeout (\(detail))"
        }
    }
}
