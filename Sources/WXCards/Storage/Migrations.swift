/// The schema, as numbered steps applied in order. One set for both engines: the SQL here
/// sticks to what SQLite and PostgreSQL read alike (TEXT, BIGINT, BOOLEAN).
///
/// appid leads the key of every tenant table, so a distributed PostgreSQL can shard by tenant.
/// Never edit a released step: add a new one.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let statements: [String]
}

public enum Migrations {
    public static let all: [Migration] = [
        Migration(
            version: 1,
            name: "apps, access tokens, components, server clock",
            statements: [
                """
                CREATE TABLE apps (
                    appid TEXT PRIMARY KEY,
                    secret TEXT NOT NULL,
                    pay_enabled BOOLEAN NOT NULL DEFAULT TRUE,
                    entity TEXT NOT NULL,
                    is_demo BOOLEAN NOT NULL DEFAULT FALSE,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE access_tokens (
                    appid TEXT NOT NULL,
                    token TEXT NOT NULL,
                    issued_at BIGINT NOT NULL,
                    expires_at BIGINT NOT NULL,
                    revoked_at BIGINT,
                    PRIMARY KEY (appid, token)
                )
                """,
                "CREATE UNIQUE INDEX access_tokens_by_token ON access_tokens (token)",
                """
                CREATE TABLE components (
                    component_appid TEXT PRIMARY KEY,
                    secret TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE server_clock (
                    id INTEGER PRIMARY KEY,
                    offset_seconds BIGINT NOT NULL
                )
                """,
                "INSERT INTO server_clock (id, offset_seconds) VALUES (1, 0)",
            ]
        )
    ]

    public static var latestVersion: Int { all.last?.version ?? 0 }
}
