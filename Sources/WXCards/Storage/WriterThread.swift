import Foundation
import Synchronization

/// The OS thread of SQLite's one writer, as a task executor: the group-commit loop runs on it,
/// with its transactions' statements, `BEGIN IMMEDIATE` and `COMMIT`, all without a thread hop.
///
/// Measured with the writer on Swift's shared pool and BEGIN/COMMIT on a thread pool: COMMIT
/// took ~1.0 ms of SQLite's time but ~1.9 ms of the writer's, BEGIN ~0.2 ms for nothing — the
/// hops, and the wait for a free thread of a pool busy with request handlers on two cores,
/// were a quarter of each batch. Blocking here (fsync, another process's lock) holds up only the
/// writer, which has to wait for it anyway.
///
/// It runs at the default priority: nice -10 was measured too, and was no better (slightly
/// worse) in alternating runs.
final class WriterThread: TaskExecutor, Sendable {
    private let jobs = Mutex<(queue: [UnownedJob], stopping: Bool)>(([], false))
    private let wakeup = DispatchSemaphore(value: 0)

    /// Marks the writers' threads (a thread-specific value), for `isCurrent`.
    private static let marker: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "no thread-specific key left")
        return key
    }()

    init() {
        Thread { [self] in run() }.start()
    }

    /// Whether the caller runs on a writer's thread (tests check that transactions do).
    static var isCurrent: Bool { pthread_getspecific(marker) != nil }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        jobs.withLock { $0.queue.append(job) }
        wakeup.signal()
    }

    /// Ends the thread once the jobs already queued have run.
    func shutdown() {
        jobs.withLock { $0.stopping = true }
        wakeup.signal()
    }

    private func run() {
        _ = pthread_setspecific(Self.marker, UnsafeRawPointer(bitPattern: 1))
        Thread.current.name = "wxcards-writer"  // for ps and perf (15 characters at most)
        let executor = asUnownedTaskExecutor()
        while true {
            wakeup.wait()
            while true {
                let (batch, stopping) = jobs.withLock { state -> ([UnownedJob], Bool) in
                    defer { state.queue.removeAll(keepingCapacity: true) }
                    return (state.queue, state.stopping)
                }
                if batch.isEmpty {
                    if stopping { return }
                    break
                }
                for job in batch { job.runSynchronously(on: executor) }
            }
        }
    }
}
