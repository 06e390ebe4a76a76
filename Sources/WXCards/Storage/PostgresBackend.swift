import Logging
import PostgresKit
import PostgresNIO
import SQLKit

/// PostgreSQL through PostgresNIO's connection pool. Transactions hold one pooled connection
/// from BEGIN to COMMIT.
final class PostgresBackend: Sendable {
    private let client: PostgresClient
    private let runTask: Task<Void, Never>

    private init(client: PostgresClient, runTask: Task<Void, Never>) {
        self.client = client
        self.runTask = runTask
    }

    static func open(_ location: DatabaseURL.PostgresLocation, searchPath: String?, logger: Logger) async throws -> PostgresBackend {
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
        let runTask = Task { await client.run() }
        let backend = PostgresBackend(client: client, runTask: runTask)
        do {
            // Fail at start, with the driver's reason, when the server cannot be reached.
            _ = try await backend.withConnection { db in try await db.raw("SELECT 1").all() }
        } catch {
            await backend.close()
            throw ConfigurationError("cannot open PostgreSQL at \(DatabaseURL.postgres(location)): \(String(reflecting: error))")
        }
        return backend
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
        runTask.cancel()
        _ = await runTask.value
    }
}
