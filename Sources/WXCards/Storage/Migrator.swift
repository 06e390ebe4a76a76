import SQLKit

/// Applies pending migrations in one transaction. Safe to run at every start and from several
/// instances at once (PostgreSQL: an advisory lock; SQLite: `BEGIN IMMEDIATE`).
public enum Migrator {
    public struct SchemaTooNew: Error, CustomStringConvertible {
        public let databaseVersion: Int
        public let binaryVersion: Int
        public var description: String {
            "the database schema is at version \(databaseVersion), newer than this wxcards knows (\(binaryVersion)); "
                + "run a newer wxcards or point --database at another database"
        }
    }

    /// Returns the versions it applied.
    @discardableResult
    public static func migrate(_ store: Store, migrations: [Migration] = Migrations.all) async throws -> [Int] {
        let engine = store.engine
        return try await store.write { db in
            if engine == .postgres {
                // Any constant works; it only has to be the same for every wxcards instance.
                try await db.raw("SELECT pg_advisory_xact_lock(7249203301)").run()
            }
            try await db.raw(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)"
            ).run()
            let current = try await currentVersion(db)
            let latest = migrations.last?.version ?? 0
            if current > latest {
                throw SchemaTooNew(databaseVersion: current, binaryVersion: latest)
            }
            var applied: [Int] = []
            for migration in migrations where migration.version > current {
                for statement in migration.statements {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.raw("INSERT INTO schema_migrations (version, name) VALUES (\(bind: migration.version), \(bind: migration.name))").run()
                applied.append(migration.version)
            }
            return applied
        }
    }

    public static func currentVersion(_ db: any SQLDatabase) async throws -> Int {
        let row = try await db.raw("SELECT MAX(version) AS version FROM schema_migrations").first()
        return try row?.decodeNil(column: "version") == false ? try row!.decode(column: "version", as: Int.self) : 0
    }
}
