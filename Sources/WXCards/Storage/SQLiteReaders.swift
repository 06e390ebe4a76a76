import Logging
import NIOCore
import NIOPosix
import SQLKit
import Synchronization

/// SQLite's reader connections, driven through the C API like the writer, each with its own
/// statement cache: preparing every statement anew (as SQLiteNIO did) was 9% of the server's
/// CPU under the members benchmark. Statements run on the readers' own threads (never on an
/// event loop or a task's thread), one connection per thread. Each statement is its own read
/// transaction.
final class SQLiteReaders: Sendable {
    /// A connection with the lock that lets one statement at a time run on it.
    private final class Guarded: Sendable {
        let lock = Mutex(())
        let connection: CSQLiteConnection
        init(_ connection: CSQLiteConnection) { self.connection = connection }
    }

    private let connections: [Guarded]
    private let threads: NIOThreadPool
    let logger: Logger

    init(path: String, threads: NIOThreadPool, count: Int, logger: Logger, busyTimeoutMilliseconds: Int) throws {
        var connections: [Guarded] = []
        for _ in 0..<max(count, 1) {
            connections.append(Guarded(try CSQLiteConnection(path: path, logger: logger, isWriter: false,
                                                             busyTimeoutMilliseconds: busyTimeoutMilliseconds)))
        }
        self.connections = connections
        self.threads = threads
        self.logger = logger
    }

    /// Runs one statement on a reader thread; answers its rows.
    func execute(_ sql: String, binds: [SQLiteValue]) async throws -> [CSQLiteRow] {
        try await threads.runIfActive { try self.executeHere(sql, binds: binds) }
    }

    func execute(_ sql: String, binds: [SQLiteValue], on eventLoop: any EventLoop) -> EventLoopFuture<[CSQLiteRow]> {
        threads.runIfActive(eventLoop: eventLoop) { try self.executeHere(sql, binds: binds) }
    }

    /// On a reader thread. There are as many connections as threads, so the first free one is
    /// found without waiting; the lock makes that certain rather than assumed.
    private func executeHere(_ sql: String, binds: [SQLiteValue]) throws -> [CSQLiteRow] {
        var rows: [CSQLiteRow] = []
        for guarded in connections {
            let ran: Void? = try guarded.lock.withLockIfAvailable { _ in
                try guarded.connection.execute(sql, binds: binds) { rows.append($0) }
            }
            if ran != nil { return rows }
        }
        try connections[0].lock.withLock { _ in try connections[0].connection.execute(sql, binds: binds) { rows.append($0) } }
        return rows
    }

    func close() {
        for guarded in connections { guarded.lock.withLock { _ in guarded.connection.close() } }
    }

    func sql() -> any SQLDatabase { ReaderDatabase(readers: self) }
}

/// The readers as an `SQLDatabase`, for the features' SQL.
struct ReaderDatabase: CSQLiteDatabase {
    let readers: SQLiteReaders

    var logger: Logger { readers.logger }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        do {
            let (sql, binds) = try statement(query)
            return readers.execute(sql, binds: binds, on: eventLoop).map { rows in rows.forEach(onRow) }
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = try statement(query)
        try await readers.execute(sql, binds: binds).forEach(onRow)
    }
}
