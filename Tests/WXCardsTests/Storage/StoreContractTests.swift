import Foundation
import SQLKit
import Testing
@testable import WXCards

/// What every feature relies on from the store, on each engine.
@Suite struct StoreContractTests {
    @Test(arguments: TestEngine.available)
    func migratingTwiceChangesNothing(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, _ async throws in
            #expect(try await Migrator.migrate(store).isEmpty)
            let version = try await store.read { db in try await Migrator.currentVersion(db) }
            #expect(version == Migrations.latestVersion)
        }
    }

    @Test(arguments: TestEngine.available)
    func aNewerSchemaIsAClearError(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, _ in
            try await store.write { db in
                try await db.raw("INSERT INTO schema_migrations (version, name) VALUES (\(bind: 9999), 'from the future')").run()
            }
            await #expect(throws: Migrator.SchemaTooNew.self) { try await Migrator.migrate(store) }
            do {
                try await Migrator.migrate(store)
            } catch {
                #expect("\(error)".contains("9999"))
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func concurrentFirstStartsMigrateOnce(engine: TestEngine) async throws {
        let database = try await TestDatabase.make(engine)
        let stores = [try await database.open(), try await database.open(), try await database.open()]
        let applied = await withTaskGroup(of: Result<[Int], any Error>.self) { group in
            for store in stores {
                group.addTask {
                    do { return .success(try await Migrator.migrate(store)) } catch { return .failure(error) }
                }
            }
            return await group.reduce(into: [Result<[Int], any Error>]()) { $0.append($1) }
        }
        for store in stores { await store.close() }
        await database.destroy()
        let versions = try applied.map { try $0.get() }
        #expect(versions.filter { !$0.isEmpty }.count == 1)
    }

    @Test(arguments: TestEngine.available)
    func aFailedTransactionLeavesNothing(engine: TestEngine) async throws {
        struct Boom: Error {}
        try await withMigratedStore(engine) { store, _ in
            await #expect(throws: Boom.self) {
                try await store.write { db in
                    try await db.raw("INSERT INTO components (component_appid, secret, created_at) VALUES ('c1', 's', 0)").run()
                    throw Boom()
                }
            }
            let count = try await store.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM components").first()?.decode(column: "n", as: Int.self)
            }
            #expect(count == 0)
        }
    }

    @Test(arguments: TestEngine.available)
    func aFailedStatementRollsBackTheWholeTransaction(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, _ in
            do {
                try await store.write { db in
                    try await db.raw("INSERT INTO components (component_appid, secret, created_at) VALUES ('c1', 's', 0)").run()
                    try await db.raw("INSERT INTO components (component_appid, secret, created_at) VALUES ('c1', 's', 0)").run()
                }
                Issue.record("the second insert of the same key went through")
            } catch {
                #expect(Store.isUniqueViolation(error), "\(String(reflecting: error))")
            }
            let count = try await store.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM components").first()?.decode(column: "n", as: Int.self)
            }
            #expect(count == 0)
            // The store still works afterwards.
            try await store.write { db in
                try await db.raw("INSERT INTO components (component_appid, secret, created_at) VALUES ('c2', 's', 0)").run()
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func concurrentTransactionsFailAlone(engine: TestEngine) async throws {
        // On SQLite these share batches (group commit): a failing one must roll back only itself.
        struct Boom: Error {}
        try await withMigratedStore(engine) { store, _ in
            let results = await withTaskGroup(of: Bool.self) { group in
                for n in 0..<60 {
                    group.addTask {
                        do {
                            try await store.write { db in
                                try await db.raw("INSERT INTO components (component_appid, secret, created_at) VALUES (\(bind: "c\(n)"), 's', 0)").run()
                                if n % 2 == 1 { throw Boom() }
                            }
                            return true
                        } catch { return false }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(results.filter { $0 }.count == 30)
            let rows = try await store.read { db in
                try await db.raw("SELECT component_appid FROM components").all().map { try $0.decode(column: "component_appid", as: String.self) }
            }
            #expect(Set(rows) == Set((0..<60).filter { $0 % 2 == 0 }.map { "c\($0)" }))
        }
    }

    @Test(arguments: TestEngine.available)
    func concurrentIncrementsLoseNothing(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, _ in
            let clock = ServerClock(store: store, wallTime: { 0 })
            let results = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<64 { group.addTask { try await clock.advance(by: 1) } }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
            #expect(Set(results).count == 64)
            #expect(results.max() == 64)
            #expect(try await ServerClock(store: store, wallTime: { 0 }).now() == 64)
        }
    }

    @Test(arguments: TestEngine.available)
    func appsAndTokensRoundTrip(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, _ in
            let apps = AppStore(store: store)
            try await apps.upsertApp(testApp, now: 5)
            let app = try #require(try await apps.app(testApp.id))
            #expect(app.secret == testApp.secret && app.payEnabled && app.entity == testApp.id && !app.isDemo)
            try await apps.upsertApp(Credential(id: testApp.id, secret: "new"), now: 6)
            #expect(try await apps.app(testApp.id)?.secret == "new")
            #expect(try await apps.appCount() == 1)

            let first = StoredAccessToken(appid: testApp.id, token: "one", issuedAt: 100, expiresAt: 7300, revokedAt: nil)
            try await apps.issue(first, revokeImmediately: false)
            #expect(try await apps.token("one") == first)
            let second = StoredAccessToken(appid: testApp.id, token: "two", issuedAt: 200, expiresAt: 7400, revokedAt: nil)
            try await apps.issue(second, revokeImmediately: false)
            #expect(try await apps.token("one")?.revokedAt == 500)
            #expect(try await apps.currentToken(appid: testApp.id, now: 200) == second)
            let third = StoredAccessToken(appid: testApp.id, token: "three", issuedAt: 300, expiresAt: 7500, revokedAt: nil)
            try await apps.issue(third, revokeImmediately: true)
            #expect(try await apps.token("one") == nil)
            #expect(try await apps.token("two") == nil)

            try await apps.upsertComponent(Credential(id: "wxcomponent", secret: "c"), now: 0)
            #expect(try await apps.componentSecret("wxcomponent") == "c")
        }
    }

    @Test(arguments: TestEngine.available)
    func seedingCreatesADemoAppOnlyOnAnEmptyDatabase(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, _ in
            let apps = AppStore(store: store)
            let demo = try #require(try await AppSeeding.seed(apps: [], components: [], store: apps, now: 0))
            #expect(demo.isDemo)
            let again = try await AppSeeding.seed(apps: [], components: [], store: apps, now: 0)
            #expect(again == demo)
            #expect(try await apps.appCount() == 1)
        }
        try await withMigratedStore(engine) { store, _ in
            let apps = AppStore(store: store)
            let demo = try await AppSeeding.seed(apps: [testApp], components: [], store: apps, now: 0)
            #expect(demo == nil)
            #expect(try await apps.appCount() == 1)
        }
    }

    @Test func sqliteRunsInWALWithFullSync() async throws {
        try await withMigratedStore(.sqlite) { store, _ in
            let mode = try await store.read { db in try await db.raw("PRAGMA journal_mode").first()?.decode(column: "journal_mode", as: String.self) }
            #expect(mode == "wal")
            let sync = try await store.read { db in try await db.raw("PRAGMA synchronous").first()?.decode(column: "synchronous", as: Int.self) }
            #expect(sync == 2)  // FULL
            let busy = try await store.write { db in try await db.raw("PRAGMA busy_timeout").first()?.decode(column: "timeout", as: Int.self) }
            #expect(busy == 5000)
        }
    }

    /// The hot paths' fixed statements: SQLite takes the text as written, PostgreSQL gets it
    /// with its own placeholders; either way each bind lands on its own `?`, nil as NULL.
    @Test(arguments: TestEngine.available)
    func templateBindsLandInOrder(engine: TestEngine) async throws {
        let insert = SQLTemplate("""
            INSERT INTO components (component_appid, secret, created_at) VALUES (?, ?, ?)
            RETURNING component_appid, secret, created_at
            """)
        let select = SQLTemplate("""
            SELECT secret, COALESCE(?, 'no value') AS fallback, created_at + ? AS later
            FROM components WHERE component_appid = ? AND created_at = ?
            """)
        try await withMigratedStore(engine) { store, _ in
            let inserted = try await store.write { db in try await db.template(insert("c1", "s?1", Int64(42))).first() }
            #expect(try inserted?.decode(column: "component_appid", as: String.self) == "c1")
            #expect(try inserted?.decode(column: "created_at", as: Int64.self) == 42)
            let row = try await store.read { db in
                try await db.template(select(String?.none, Int64(8), "c1", Int64(42))).first()
            }
            #expect(try row?.decode(column: "secret", as: String.self) == "s?1")
            #expect(try row?.decode(column: "fallback", as: String.self) == "no value")
            #expect(try row?.decode(column: "later", as: Int64.self) == 50)
            let none = try await store.read { db in try await db.template(select("x", Int64(0), "c1", Int64(41))).all() }
            #expect(none.isEmpty)
        }
    }

    @Test func sqliteTransactionsRunOnTheWritersOwnThread() async throws {
        try await withMigratedStore(.sqlite) { store, _ in
            #expect(!WriterThread.isCurrent)
            let (atStart, afterSuspending) = try await store.write { db in
                let atStart = WriterThread.isCurrent
                // A body that awaits elsewhere (a read on a reader thread, a sleep) comes back to it.
                _ = try await store.read { db in try await db.raw("SELECT 1 AS one").first() }
                try await Task.sleep(for: .milliseconds(1))
                try await db.raw("INSERT INTO components (component_appid, secret, created_at) VALUES ('c1', 's', 0)").run()
                return (atStart, WriterThread.isCurrent)
            }
            #expect(atStart && afterSuspending)
            #expect(!WriterThread.isCurrent)
        }
    }

    @Test func databaseURLsParse() throws {
        #expect(try DatabaseURL(parsing: "sqlite:wxcards.sqlite") == .sqlite(path: "wxcards.sqlite"))
        #expect(try DatabaseURL(parsing: "sqlite:///tmp/x.sqlite") == .sqlite(path: "/tmp/x.sqlite"))
        let pg = try DatabaseURL(parsing: "postgres://u:p%40ss@db.local:6543/cards")
        #expect(pg == .postgres(.init(host: "db.local", port: 6543, username: "u", password: "p@ss", database: "cards", requireTLS: false)))
        #expect(!pg.description.contains("p@ss"))
        #expect(throws: ConfigurationError.self) { try DatabaseURL(parsing: "mysql://x") }
        #expect(throws: ConfigurationError.self) { try DatabaseURL(parsing: "sqlite:") }
    }
}
