import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO

/// SQLite as wxcards uses it: WAL journal, `synchronous=FULL` (an acknowledged change survives a
/// crash), a busy timeout for other processes, and one writer connection whose transactions
/// start with `BEGIN IMMEDIATE`. Writers in this process queue for it and are committed in
/// groups (`GroupCommit`), so they never fail with SQLITE_BUSY and one fsync serves many.
/// Reads use their own connections and, thanks to WAL, never wait for the writer.
///
/// SQLite calls block a thread, so each store has threads of its own: one for the writer (its
/// fsyncs never hold up a read) and some for readers. With a shared pool, a writer waiting out
/// another process's lock could take every thread and starve the very transaction it waits for.
final class SQLiteBackend: Sendable {
    private let writer: SQLiteWriter
    private let readers: [SQLiteConnection]
    /// The readers as SQLKit databases, made once (SQLiteKit's coders build JSON coders when made).
    private let readerDatabases: [any SQLDatabase]
    private let threadPools: [NIOThreadPool]
    private let groupCommit: GroupCommit
    private let nextReader = Atomic<Int>(0)

    private init(writer: SQLiteWriter, readers: [SQLiteConnection], threadPools: [NIOThreadPool]) {
        self.writer = writer
        self.readers = readers
        self.readerDatabases = readers.map { $0.sql(encoder: WriterDatabase.encoder, decoder: WriterRow.decoder, queryLogLevel: nil) }
        self.threadPools = threadPools
        self.groupCommit = GroupCommit(writer: writer)
    }

    static func open(path: String, logger: Logger, readerCount: Int = 2) async throws -> SQLiteBackend {
        let writerThreads = NIOThreadPool(numberOfThreads: 1)
        let readerThreads = NIOThreadPool(numberOfThreads: readerCount)
        writerThreads.start()
        readerThreads.start()
        var opened: [SQLiteConnection] = []
        do {
            // The writer opens first: it sets WAL, a property of the file.
            let writer = try await writerThreads.runIfActive { try SQLiteWriter(path: path, blockingThreads: writerThreads, logger: logger) }
            var readers: [SQLiteConnection] = []
            for _ in 0..<readerCount {
                readers.append(try await connect(path: path, threadPool: readerThreads, logger: logger))
                opened.append(readers.last!)
            }
            return SQLiteBackend(writer: writer, readers: readers, threadPools: [writerThreads, readerThreads])
        } catch {
            for connection in opened { try? await connection.close() }
            try? await writerThreads.shutdownGracefully()
            try? await readerThreads.shutdownGracefully()
            throw error
        }
    }

    private static func connect(path: String, threadPool: NIOThreadPool, logger: Logger) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(
            storage: .file(path: path),
            threadPool: threadPool,
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any()
        )
        // These are per connection.
        _ = try await connection.query("PRAGMA busy_timeout=5000")
        _ = try await connection.query("PRAGMA synchronous=FULL")
        _ = try await connection.query("PRAGMA foreign_keys=ON")
        return connection
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let index = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
        return try await body(readerDatabases[(index & Int.max) % readerDatabases.count])
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await groupCommit.transaction(body)
    }

    func close() async {
        for connection in readers {
            try? await connection.close()
        }
        writer.close()
        for pool in threadPools {
            try? await pool.shutdownGracefully()
        }
    }
}

import Synchronization
