import Foundation
import Logging
import SQLKit
import WXCards

/// The engines a store test runs on: SQLite always, PostgreSQL when `WXCARDS_TEST_POSTGRES_URL` is set.
enum TestEngine: String, CaseIterable, CustomStringConvertible, Sendable {
    case sqlite, postgres

    static var available: [TestEngine] {
        postgresURL == nil ? [.sqlite] : [.sqlite, .postgres]
    }

    static var postgresURL: DatabaseURL? {
        guard let text = ProcessInfo.processInfo.environment["WXCARDS_TEST_POSTGRES_URL"], !text.isEmpty else { return nil }
        return try? DatabaseURL(parsing: text)
    }

    var description: String { rawValue }
}

/// A fresh, empty database for one test: a new SQLite file, or a new PostgreSQL schema.
/// `reopen()` opens the same database again, as a restarted or second server would.
struct TestDatabase: Sendable {
    let engine: TestEngine
    let url: DatabaseURL
    let schema: String?
    let directory: URL?

    static let logger: Logger = {
        var logger = Logger(label: "wxcards-test")
        logger.logLevel = .warning
        return logger
    }()

    static func make(_ engine: TestEngine) async throws -> TestDatabase {
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wxcards-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return TestDatabase(engine: engine, url: .sqlite(path: directory.appendingPathComponent("test.sqlite").path),
                                schema: nil, directory: directory)
        case .postgres:
            guard let url = TestEngine.postgresURL else { throw ConfigurationError("WXCARDS_TEST_POSTGRES_URL is not set") }
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let admin = try await Store.open(url, logger: logger)
            try await admin.write { db in try await db.raw("CREATE SCHEMA \(unsafeRaw: schema)").run() }
            await admin.close()
            return TestDatabase(engine: engine, url: url, schema: schema, directory: nil)
        }
    }

    func open() async throws -> Store {
        try await Store.open(url, searchPath: schema, logger: Self.logger)
    }

    func destroy() async {
        if let directory { try? FileManager.default.removeItem(at: directory) }
        if let schema, let admin = try? await Store.open(url, logger: Self.logger) {
            _ = try? await admin.write { db in try await db.raw("DROP SCHEMA \(unsafeRaw: schema) CASCADE").run() }
            await admin.close()
        }
    }
}

/// Runs `body` with a migrated store on a fresh database, and cleans up whatever happens.
func withMigratedStore<T: Sendable>(
    _ engine: TestEngine, _ body: @Sendable (Store, TestDatabase) async throws -> T
) async throws -> T {
    let database = try await TestDatabase.make(engine)
    let store = try await database.open()
    do {
        try await Migrator.migrate(store)
        let value = try await body(store, database)
        await store.close()
        await database.destroy()
        return value
    } catch {
        await store.close()
        await database.destroy()
        throw error
    }
}
