import Logging
import NIOCore
import NIOPosix
import SQLKit

/// SQLite as wxcards uses it: WAL journal, `synchronous=FULL` (an acknowledged change survives a
/// crash), a busy timeout for other processes, and one writer connection whose transactions
/// start with `BEGIN IMMEDIATE`. Writers in this process queue for it and are committed in
/// groups (`GroupCommit`), so one fsync serves many, and they never contend with one another.
/// Another process holding the file's write lock past the busy timeout fails the batch that
/// waited for it, each transaction with `StoreError.busy`.
/// Reads use their own connections and, thanks to WAL, never wait for the writer.
///
/// SQLite calls block a thread, so each store has threads of its own: one for the writer (its
/// fsyncs never hold up a read) and some for readers. With a shared pool, a writer waiting out
/// another process's lock could take every thread and starve the very transaction it waits for.
final class SQLiteBackend: Sendable {
    private let writer: CSQLiteConnection
    private let writerThread: WriterThread
    private let readers: SQLiteReaders
    /// The readers as an SQLKit database, made once.
    private let readerDatabase: any SQLDatabase
    private let readerThreads: NIOThreadPool
    private let groupCommit: GroupCommit

    private init(
        writer: CSQLiteConnection, writerThread: WriterThread, readers: SQLiteReaders, readerThreads: NIOThreadPool, maxQueued: Int
    ) {
        self.writer = writer
        self.writerThread = writerThread
        self.readers = readers
        self.readerDatabase = readers.sql()
        self.readerThreads = readerThreads
        self.groupCommit = GroupCommit(writer: writer, thread: writerThread, maxQueued: maxQueued)
    }

    static func open(path: String, logger: Logger, tuning: Store.Tuning, readerCount: Int = 2) async throws -> SQLiteBackend {
        let writerThread = WriterThread()
        let readerThreads = NIOThreadPool(numberOfThreads: readerCount)
        readerThreads.start()
        do {
            // Opening reads the file: on the writer's thread, not a shared one. The writer opens
            // first: it sets WAL, a property of the file.
            let (writer, readers) = try await withTaskExecutorPreference(writerThread) {
                let writer = try CSQLiteConnection(path: path, logger: logger, busyTimeoutMilliseconds: tuning.busyTimeoutMilliseconds)
                do {
                    return (writer, try SQLiteReaders(path: path, threads: readerThreads, count: readerCount, logger: logger,
                                                      busyTimeoutMilliseconds: tuning.busyTimeoutMilliseconds))
                } catch {
                    writer.close()
                    throw error
                }
            }
            return SQLiteBackend(writer: writer, writerThread: writerThread, readers: readers, readerThreads: readerThreads,
                                 maxQueued: tuning.maxQueuedWrites)
        } catch {
            writerThread.shutdown()
            try? await readerThreads.shutdownGracefully()
            throw error
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await body(readerDatabase)
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await groupCommit.transaction(body)
    }

    func close() async {
        readers.close()
        writer.close()
        writerThread.shutdown()
        try? await readerThreads.shutdownGracefully()
    }
}
