import Logging
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL through PostgresNIO's connection pool. Transactions hold one pooled connection
/// from BEGIN to COMMIT.
///
/// The pool runs in `PostgresClient.run()`, in a task the backend starts at `open` and ends at
/// `close()`. Before the pool exists, `open` reaches the server with one plain connection
/// (`PostgresProbe`): the pool would retry a dead server for a minute, logging each refusal,
/// where the person starting the server needs one line saying what is wrong.
final class PostgresBackend: Sendable {
    private let client: PostgresClient
    private let runTask: Task<Void, Never>
    /// The statements prepared on the pool's connections; nil sends every statement unnamed.
    let prepared: PostgresPreparedStatements?

    private init(client: PostgresClient, preparedStatements: Bool) {
        self.client = client
        self.prepared = preparedStatements ? PostgresPreparedStatements() : nil
        // Started at once (not merely scheduled), so the pool runs before the first lease.
        self.runTask = Task.immediate { await client.run() }
    }

    static func open(
        _ location: DatabaseURL.PostgresLocation, searchPath: String?, logger: Logger, connectTimeout: Duration
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
        try await PostgresProbe.reach(location, configuration: configuration, within: connectTimeout)
        return PostgresBackend(client: PostgresClient(configuration: configuration, backgroundLogger: logger),
                               preparedStatements: location.preparedStatements)
    }

    func withConnection<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let prepared = self.prepared
        return try await client.withConnection { connection in
            if let prepared {
                return try await body(PostgresPreparedDatabase(connection: connection, statements: prepared))
            }
            return try await body(connection.sql(queryLogLevel: nil))
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
        runTask.cancel()
        _ = await runTask.value
    }
}
