import Foundation
import SQLKit
import Testing
@testable import WXCards

/// PostgreSQL prepares each statement once per connection (`PostgresPreparedDatabase`): what
/// that must keep and what it must not break.
@Suite struct PostgresPreparedStatementTests {
    /// The names of this session's prepared statements, as the server lists them.
    private static func preparedOnServer(_ db: any SQLDatabase) async throws -> [String] {
        try await db.raw("SELECT name FROM pg_prepared_statements ORDER BY name").all()
            .map { try $0.decode(column: "name", as: String.self) }
    }

    @Test(arguments: TestEngine.available.filter { $0 == .postgres })
    func aStatementIsPreparedOnceAndMeansWhatItMeantUnnamed(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, _ in
            let (before, after, values) = try await store.write { db in
                try await db.raw("""
                    INSERT INTO components (component_appid, secret, created_at) VALUES ('c1', 's1', 1), ('c2', 's2', 2)
                    """).run()
                let before = try await Self.preparedOnServer(db)
                var values: [String?] = []
                // The same text three times with different values, then once with a NULL in the
                // slot: one statement (a NULL String? is text too), and NULL compares as NULL (no
                // row), as it did unnamed.
                for bound in ["c1", "c2", "c1"] as [String?] + [nil] {
                    let row = try await db.raw("""
                        SELECT secret FROM components WHERE component_appid = \(bind: bound) AND created_at >= \(bind: 0)
                        """).first()
                    values.append(try row?.decode(column: "secret", as: String.self))
                }
                // A NULL String? is declared text, as PostgresNIO declares it unnamed: alone in
                // `IS NULL` the server could not infer its type otherwise.
                let missing: String? = nil
                let isNull = try await db.raw("SELECT CASE WHEN \(bind: missing) IS NULL THEN 'yes' ELSE 'no' END AS answer")
                    .first()?.decode(column: "answer", as: String.self)
                values.append(isNull)
                return (before, try await Self.preparedOnServer(db), values)
            }
            #expect(values == ["s1", "s2", "s1", nil, "yes"])
            #expect(after.count - before.count == 2)
            #expect(after.allSatisfy { $0.hasPrefix("wxcards_") })
        }
    }

    /// Rows of prepared statements are read straight through PostgresNIO for the common types
    /// (`PostgresFastRow`): the same values PostgresKit's row gives, NULLs included.
    @Test(arguments: TestEngine.available.filter { $0 == .postgres })
    func rowsDecodeAsPostgresKitDecodesThem(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, _ in
            let row = try await store.read { db in
                try await db.raw("""
                    SELECT CAST(NULL AS TEXT) AS none, 'x' AS text, CAST(5 AS BIGINT) AS big, CAST(7 AS INTEGER) AS small,
                           true AS yes, CAST(1.5 AS DOUBLE PRECISION) AS real, CAST(NULL AS BIGINT) AS no_number
                    WHERE 1 = \(bind: 1)
                    """).first()
            }
            let found = try #require(row)
            #expect(found is PostgresFastRow)
            #expect(try found.decode(column: "none", as: String?.self) == nil)
            #expect(try found.decodeNil(column: "none"))
            #expect(try found.decode(column: "text", as: String?.self) == "x")
            #expect(try found.decode(column: "text", as: String.self) == "x")
            #expect(try found.decode(column: "big", as: Int64.self) == 5)
            #expect(try found.decode(column: "big", as: Int.self) == 5)
            #expect(try found.decode(column: "small", as: Int64.self) == 7)
            #expect(try found.decode(column: "small", as: Int?.self) == 7)
            #expect(try found.decode(column: "no_number", as: Int64?.self) == nil)
            #expect(try found.decode(column: "yes", as: Bool.self))
            #expect(try found.decode(column: "real", as: Double.self) == 1.5)
            #expect(throws: (any Error).self) { try found.decode(column: "none", as: String.self) }
            #expect(throws: (any Error).self) { try found.decode(column: "missing", as: String.self) }
        }
    }

    /// A preparation refused inside a transaction already aborted (the server answers 25P02
    /// there) would stay refused on that connection for good: the statement is named afresh.
    @Test(arguments: TestEngine.available.filter { $0 == .postgres })
    func aPreparationRefusedInAnAbortedTransactionIsNotKept(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, _ in
            try await store.write { db in
                try await db.raw("INSERT INTO components (component_appid, secret, created_at) VALUES ('c1', 's1', 1)").run()
            }
            let duplicate = SQLTemplate("INSERT INTO components (component_appid, secret, created_at) VALUES (?, 's', 0)")
            let read = SQLTemplate("SELECT secret FROM components WHERE component_appid = ? AND created_at < ?")
            await #expect(throws: (any Error).self) {
                try await store.write { db in
                    do { try await db.template(duplicate("c1")).run() } catch { #expect(Store.isUniqueViolation(error)) }
                    // Prepared for the first time inside the aborted transaction: refused.
                    _ = try await db.template(read("c1", 10)).first()
                }
            }
            // Sequential reads reuse the pool's idle connections, that one among them.
            for _ in 0..<20 {
                let secret = try await store.read { db in
                    try await db.template(read("c1", 10)).first()?.decode(column: "secret", as: String.self)
                }
                #expect(secret == "s1")
            }
        }
    }

    @Test(arguments: TestEngine.available.filter { $0 == .postgres })
    func preparedStatementsOffSendsEveryStatementUnnamed(engine: TestEngine) async throws {
        guard case .postgres(let parsed) = try DatabaseURL(parsing: "postgres://u@h/db?prepared_statements=off") else {
            Issue.record("not a PostgreSQL URL"); return
        }
        #expect(!parsed.preparedStatements)
        #expect(throws: ConfigurationError.self) { try DatabaseURL(parsing: "postgres://u@h/db?prepared_statements=maybe") }

        let database = try await TestDatabase.make(engine)
        guard case .postgres(var location) = database.url else { return }
        location.preparedStatements = false
        let store = try await Store.open(.postgres(location), searchPath: database.schema, logger: TestDatabase.logger)
        let prepared = try await store.write { db in
            _ = try await db.raw("SELECT 1 AS one WHERE 1 = \(bind: 1)").all()
            return try await Self.preparedOnServer(db)
        }
        await store.close()
        await database.destroy()
        #expect(prepared.isEmpty)
    }
}
