import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import ServiceLifecycle

/// PostgreSQL through PostgresNIO's connection pool. Transactions hold one pooled connection
/// from BEGIN to COMMIT.
///
/// The pool runs in `PostgresClient.run()`. `wxcards serve` runs the store as a `Service` of
/// its ServiceGroup, so the pool starts with the server and stops after it, in order, on
/// SIGTERM (`Store.Lifecycle.service`); tests and `wxcards migrate` let the store run it
/// itself, in a task it ends at `close()`.
final class PostgresBackend: Sendable {
    private let client: PostgresClient
    private let location: DatabaseURL.PostgresLocation
    /// The pool's run, when the store runs it itself.
    private let runTask: Task<Void, Never>?

    private init(client: PostgresClient, location: DatabaseURL.PostgresLocation, runsItself: Bool) {
        self.client = client
        self.location = location
        // Started at once (not merely scheduled), so the pool runs before the first lease.
        self.runTask = runsItself ? Task.immediate { await client.run() } : nil
    }

    static func open(
        _ location: DatabaseURL.PostgresLocation, searchPath: String?, logger: Logger, runsItself: Bool
    ) async throws -> PostgresBackend {
        var configuration = PostgresClient.Configuration(
            host: location.host,
            port: location.port,
            username: location.username,
            password: location.password,
            database: location.database,
            tls: location.requireTLS ? .require(.makeClientConfiguration()) : .disable
        )
        configuration.options.maximumConnections = 16
        if let searchPath {
            configuration.options.additionalStartupParameters = [("search_path", searchPath)]
        }
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let backend = PostgresBackend(client: client, location: location, runsItself: runsItself)
        if runsItself {
            do {
                try await backend.checkReachable()
            } catch {
                await backend.close()
                throw error
            }
        }
        return backend
    }

    /// Fails with the driver's reason when the server cannot be reached (at start, so a wrong
    /// `--database` is a clear error rather than a hang).
    func checkReachable() async throws {
        do {
            _ = try await withConnection { db in try await db.raw("SELECT 1").all() }
        } catch {
            throw ConfigurationError("cannot open PostgreSQL at \(DatabaseURL.postgres(location)): \(String(reflecting: error))")
        }
    }

    /// The pool, until graceful shutdown (as a Service). A pool the store already runs itself
    /// is not run twice (PostgresNIO traps on that): the service then only waits for shutdown.
    func run() async {
        if runTask == nil {
            await client.run()
        } else {
            try? await gracefulShutdown()
        }
    }

    func withConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            try await body(connection.sql(queryLogLevel: nil))
        }
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await withConnection { db in
            try await db.raw("BEGIN").run()
            do {
                let value = try await body(db)
                try await db.raw("COMMIT").run()
                return value
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    func close() async {
        runTask?.cancel()
        _ = await runTask?.value
    }
}
