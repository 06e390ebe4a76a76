import Logging
import SQLKit
import ServiceLifecycle

/// The one SQL store, over SQLKit: embedded SQLite or PostgreSQL behind the same interface.
///
/// - `read` runs statements that need no transaction.
/// - `write` runs its body in one transaction: all of it commits, or none of it does. That is
///   how every change keeps "no partial write" and how points change together with their ledger.
public final class Store: Sendable {
    public enum Engine: String, Sendable { case sqlite, postgres }

    enum Backend: Sendable {
        case sqlite(SQLiteBackend)
        case postgres(PostgresBackend)
    }

    let backend: Backend
    public let url: DatabaseURL

    public var engine: Engine {
        switch backend {
        case .sqlite: return .sqlite
        case .postgres: return .postgres
        }
    }

    private init(backend: Backend, url: DatabaseURL) {
        self.backend = backend
        self.url = url
    }

    /// Limits of the SQLite backend; the defaults are the server's, tests lower them.
    struct Tuning: Sendable {
        /// How long SQLite waits for another process's lock before SQLITE_BUSY.
        var busyTimeoutMilliseconds = 5000
        /// How many write transactions may wait for SQLite's writer.
        var maxQueuedWrites = 10_000
        /// How long `open` keeps trying to reach PostgreSQL.
        var connectTimeout: Duration = .seconds(10)
    }

    /// Opens the database. `searchPath` puts a PostgreSQL connection in one schema (tests use a
    /// fresh schema each); SQLite ignores it. A PostgreSQL server that cannot be reached, or
    /// refuses the login, fails the open within `connectTimeout` with one clear reason.
    ///
    /// The store runs its background work (PostgreSQL's connection pool) itself, from `open` to
    /// `close()`, so the pool always runs before its first use.
    public static func open(
        _ url: DatabaseURL, searchPath: String? = nil, logger: Logger, connectTimeout: Duration = .seconds(10)
    ) async throws -> Store {
        try await open(url, searchPath: searchPath, logger: logger, tuning: Tuning(connectTimeout: connectTimeout))
    }

    static func open(_ url: DatabaseURL, searchPath: String? = nil, logger: Logger, tuning: Tuning) async throws -> Store {
        switch url {
        case .sqlite(let path):
            return Store(backend: .sqlite(try await SQLiteBackend.open(path: path, logger: logger, tuning: tuning)), url: url)
        case .postgres(let location):
            let backend = try await PostgresBackend.open(location, searchPath: searchPath, logger: logger,
                                                         connectTimeout: tuning.connectTimeout)
            return Store(backend: .postgres(backend), url: url)
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let sqlite): return try await sqlite.read(body)
        case .postgres(let postgres): return try await postgres.withConnection(body)
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        // A write inside a write of this store would wait for itself on SQLite's one writer,
        // and on PostgreSQL would commit apart from the outer one: fail loudly instead.
        let id = ObjectIdentifier(self)
        if Self.writing == id { throw StoreError.nestedWrite }
        let marked: @Sendable (any SQLDatabase) async throws -> T = { db in
            try await Self.$writing.withValue(id) { try await body(db) }
        }
        switch backend {
        case .sqlite(let sqlite): return try await sqlite.transaction(marked)
        case .postgres(let postgres): return try await postgres.transaction(marked)
        }
    }

    /// A change made by exactly one statement. On PostgreSQL it runs outside any transaction: a
    /// single statement is atomic on its own, and durable once it answers, so BEGIN and COMMIT
    /// (two round trips) are saved. On SQLite it is an ordinary `write`.
    public func writeOneStatement<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite: return try await write(body)
        case .postgres(let postgres):
            // Inside a write it would commit apart from it.
            if Self.writing == ObjectIdentifier(self) { throw StoreError.nestedWrite }
            return try await postgres.withConnection(body)
        }
    }

    /// The store whose `write` body the current task is running.
    @TaskLocal static var writing: ObjectIdentifier?

    public func close() async {
        switch backend {
        case .sqlite(let sqlite): await sqlite.close()
        case .postgres(let postgres): await postgres.close()
        }
    }
}

/// The store as a service of the server's ServiceGroup: it waits for graceful shutdown, then
/// closes the store. Placed before the HTTP server in the group, it stops after the server has
/// answered its last request.
extension Store: Service {
    public func run() async throws {
        try? await gracefulShutdown()
        await close()
    }
}
