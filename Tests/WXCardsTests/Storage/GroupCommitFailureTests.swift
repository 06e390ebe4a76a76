import Foundation
import SQLKit
import Synchronization
import Testing
@testable import WXCards

/// Group commit's failures, injected one by one: a transaction failing in the middle of a batch,
/// a failing COMMIT, a failing DDL step, SQLite rolling a batch back on its own, a full queue,
/// another process holding the lock, and a nested write. Each time the other transactions'
/// acknowledged writes persist and the failed ones' do not.
@Suite struct GroupCommitFailureTests {
    struct Boom: Error {}

    // MARK: A failing transaction rolls back alone

    /// Transactions that create a table and then fail share a batch with ones that succeed:
    /// the savepoint takes the failed one's DDL away too, and the batch commits the rest.
    @Test func aFailingTransactionsDDLGoesAloneAndTheBatchCommits() async throws {
        try await withMigratedStore(.sqlite) { store, database in
            let outcomes = try await inOneBatch(store, count: 20) { n, db in
                try await db.raw("CREATE TABLE made_\(unsafeRaw: String(n)) (x INTEGER)").run()
                try await insertComponent(db, "c\(n)")
                if n % 3 == 0 { throw Boom() }
            }
            #expect(outcomes.filter { $0 }.count == 13)
            let expected = Set((0..<20).filter { $0 % 3 != 0 }.map { "c\($0)" })
            // Persisted: read after reopening, as a restarted server would.
            await store.close()
            let reopened = try await database.open()
            #expect(try await components(reopened) == expected)
            let tables = try await reopened.read { db in
                try await db.raw("SELECT name FROM sqlite_master WHERE name LIKE 'made_%'").all()
                    .map { try $0.decode(column: "name", as: String.self) }
            }
            #expect(Set(tables) == Set((0..<20).filter { $0 % 3 != 0 }.map { "made_\($0)" }))
            await reopened.close()
        }
    }

    // MARK: A failing COMMIT acknowledges nothing

    /// A deferred foreign key is checked by COMMIT itself: the batch holding an orphan row
    /// can not commit. None of its transactions is acknowledged, none persists, and the next
    /// batch commits as usual.
    @Test func aFailingCommitAcknowledgesNoneOfItsBatch() async throws {
        try await withMigratedStore(.sqlite) { store, database in
            try await store.write { db in
                try await db.raw("CREATE TABLE parents (id INTEGER PRIMARY KEY)").run()
                try await db.raw("""
                    CREATE TABLE children (id INTEGER PRIMARY KEY,
                        parent INTEGER REFERENCES parents(id) DEFERRABLE INITIALLY DEFERRED)
                    """).run()
            }
            let outcomes = try await inOneBatch(store, count: 10) { n, db in
                try await insertComponent(db, "c\(n)")
                if n == 5 { try await db.raw("INSERT INTO children (id, parent) VALUES (1, 999)").run() }
            }
            #expect(outcomes.allSatisfy { !$0 })
            try await store.write { db in try await insertComponent(db, "after") }

            await store.close()
            let reopened = try await database.open()
            #expect(try await components(reopened) == ["after"])
            let orphans = try await reopened.read { db in try await db.raw("SELECT COUNT(*) AS n FROM children").first()?.decode(column: "n", as: Int.self) }
            #expect(orphans == 0)
            await reopened.close()
        }
    }

    // MARK: SQLite rolling back on its own

    /// SQLITE_FULL (the file may not grow past `max_page_count`) in the middle of a batch:
    /// whether SQLite undoes the statement or the whole transaction, the transactions that
    /// were acknowledged persist and the failed one does not.
    @Test func aFullDatabaseFailsOnlyTheTransactionThatHitIt() async throws {
        try await withMigratedStore(.sqlite) { store, database in
            let pages = try await store.write { db in
                try await db.raw("PRAGMA page_count").first()?.decode(column: "page_count", as: Int.self) ?? 0
            }
            try await store.write { db in try await db.raw("PRAGMA max_page_count = \(unsafeRaw: String(pages + 4))").run() }
            let big = String(repeating: "x", count: 200_000)
            let outcomes = try await inOneBatch(store, count: 9) { n, db in
                try await insertComponent(db, "c\(n)", secret: n == 4 ? big : "s")
            }
            #expect(outcomes[4] == false)
            try await store.write { db in try await db.raw("PRAGMA max_page_count = 1073741823").run() }
            let acknowledged = Set(outcomes.indices.filter { outcomes[$0] }.map { "c\($0)" })
            #expect(acknowledged.count == 8)

            await store.close()
            let reopened = try await database.open()
            #expect(try await components(reopened) == acknowledged)
            let check = try await reopened.read { db in try await db.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self) }
            #expect(check == "ok")
            await reopened.close()
        }
    }

    // MARK: A migration step that fails

    /// A migration whose second statement fails leaves neither its table nor its
    /// schema_migrations row, on both engines; the schema stays at the version before it.
    @Test(arguments: TestEngine.available)
    func aFailingMigrationLeavesNothing(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, _ async throws in
            let broken = Migration(version: Migrations.latestVersion + 1, name: "broken", statements: [
                "CREATE TABLE half_made (x INTEGER)",
                "INSERT INTO no_such_table (x) VALUES (1)",
            ])
            do {
                try await Migrator.migrate(store, migrations: Migrations.all + [broken])
                Issue.record("the broken migration went through")
            } catch {
                #expect(String(reflecting: error).contains("no_such_table") || String(reflecting: error).contains("42P01"),
                        "\(String(reflecting: error))")  // SQLite's "no such table", PostgreSQL's undefined_table
            }
            #expect(try await store.read { db in try await Migrator.currentVersion(db) } == Migrations.latestVersion)
            await #expect(throws: (any Error).self) {
                try await store.read { db in try await db.raw("SELECT x FROM half_made").all() }
            }
            // Fixed, it applies.
            let fixed = Migration(version: broken.version, name: "fixed", statements: ["CREATE TABLE half_made (x INTEGER)"])
            #expect(try await Migrator.migrate(store, migrations: Migrations.all + [fixed]) == [fixed.version])
        }
    }

    // MARK: A full queue

    /// Past `maxQueuedWrites` waiting transactions, a new one fails at once with
    /// `StoreError.overloaded`; those queued before it commit.
    @Test func aFullQueueRefusesNewTransactionsAtOnce() async throws {
        let database = try await TestDatabase.make(.sqlite)
        let store = try await Store.open(database.url, logger: TestDatabase.logger, tuning: .init(maxQueuedWrites: 8))
        try await Migrator.migrate(store)
        let gate = Gate()
        let holding = Task { try await store.write { _ in await gate.wait() } }
        await gate.untilWaiting()
        let results = await withTaskGroup(of: (Int, (any Error)?).self) { group in
            for n in 0..<20 {
                group.addTask {
                    do {
                        try await store.write { db in try await insertComponent(db, "c\(n)") }
                        return (n, nil)
                    } catch { return (n, error) }
                }
            }
            // The refused ones answer while the writer is still held.
            try? await Task.sleep(for: .milliseconds(300))
            await gate.open()
            return await group.reduce(into: [(Int, (any Error)?)]()) { $0.append($1) }
        }
        try await holding.value
        let refused = results.filter { $0.1 != nil }
        #expect(refused.count == 12)
        #expect(refused.allSatisfy { if case .overloaded? = $0.1 as? StoreError { true } else { false } })
        let committed = Set(results.filter { $0.1 == nil }.map { "c\($0.0)" })
        #expect(try await components(store) == committed)
        await store.close()
        await database.destroy()
    }

    // MARK: Another process holds the lock

    /// Another connection (as another process would) holds the write lock past the busy
    /// timeout: the transactions waiting for it fail with `StoreError.busy`, and once the lock
    /// is free the store writes again.
    @Test func anotherProcessHoldingTheLockFailsOnlyTheWaitingTransactions() async throws {
        let database = try await TestDatabase.make(.sqlite)
        let store = try await Store.open(database.url, logger: TestDatabase.logger, tuning: .init(busyTimeoutMilliseconds: 200))
        try await Migrator.migrate(store)
        guard case .sqlite(let path) = database.url else { return }
        let other = try CSQLiteConnection(path: path, logger: TestDatabase.logger, isWriter: false, busyTimeoutMilliseconds: 0)
        try other.execute("BEGIN IMMEDIATE")
        do {
            try await store.write { db in try await insertComponent(db, "blocked") }
            Issue.record("a write went through while another connection held the lock")
        } catch let error as StoreError {
            guard case .busy = error else { Issue.record("expected busy, got \(error)"); return }
        }
        try other.execute("ROLLBACK")
        other.close()
        try await store.write { db in try await insertComponent(db, "free") }
        #expect(try await components(store) == ["free"])
        await store.close()
        await database.destroy()
    }

    // MARK: A nested write

    /// A write inside a write of the same store fails at once, on both engines, instead of
    /// waiting for itself; the outer one can still handle it.
    @Test(arguments: TestEngine.available)
    func aNestedWriteFailsLoudly(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, _ in
            let inner = try await store.write { db -> String in
                try await insertComponent(db, "outer")
                do {
                    try await store.write { db in try await insertComponent(db, "inner") }
                    return "no error"
                } catch let error as StoreError {
                    return "\(error)"
                }
            }
            #expect(inner == StoreError.nestedWrite.description)
            #expect(try await components(store) == ["outer"])
        }
    }
}

// MARK: - Helpers

private func insertComponent(_ db: any SQLDatabase, _ id: String, secret: String = "s") async throws {
    try await db.raw("INSERT INTO components (component_appid, secret, created_at) VALUES (\(bind: id), \(bind: secret), 0)").run()
}

private func components(_ store: Store) async throws -> Set<String> {
    try await store.read { db in
        Set(try await db.raw("SELECT component_appid FROM components").all().map { try $0.decode(column: "component_appid", as: String.self) })
    }
}

/// Runs `count` transactions in one SQLite batch: a first transaction holds the writer while
/// the others queue behind it, then lets go, so the runner takes them all together. Answers
/// which succeeded, by index.
private func inOneBatch(
    _ store: Store, count: Int, _ body: @escaping @Sendable (Int, any SQLDatabase) async throws -> Void
) async throws -> [Bool] {
    let gate = Gate()
    let holding = Task { try await store.write { _ in await gate.wait() } }
    await gate.untilWaiting()
    let outcomes = await withTaskGroup(of: (Int, Bool).self) { group in
        for n in 0..<count {
            group.addTask {
                do {
                    try await store.write { db in try await body(n, db) }
                    return (n, true)
                } catch { return (n, false) }
            }
        }
        try? await Task.sleep(for: .milliseconds(200))  // let them all queue
        await gate.open()
        return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
    }
    try await holding.value
    return (0..<count).map { outcomes[$0] ?? false }
}

/// A one-shot gate: `wait()` returns once `open()` was called.
private actor Gate {
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var arrived: [CheckedContinuation<Void, Never>] = []
    private var someoneWaits = false

    func wait() async {
        someoneWaits = true
        for continuation in arrived { continuation.resume() }
        arrived = []
        if isOpen { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func untilWaiting() async {
        if someoneWaits { return }
        await withCheckedContinuation { arrived.append($0) }
    }

    func open() {
        isOpen = true
        for continuation in waiting { continuation.resume() }
        waiting = []
    }
}
