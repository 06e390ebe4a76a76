import SQLKit

/// The SQL of apps, components and access tokens.
public struct AppStore: Sendable {
    let store: Store

    public init(store: Store) { self.store = store }

    // MARK: Apps

    public func app(_ appid: String) async throws -> AppRecord? {
        try await store.read { db in
            try await db.raw("SELECT appid, secret, pay_enabled, entity, is_demo FROM apps WHERE appid = \(bind: appid)")
                .first(decoding: AppRecord.self)
        }
    }

    public func appCount() async throws -> Int {
        try await store.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM apps").first()?.decode(column: "n", as: Int.self) ?? 0
        }
    }

    public func demoApp() async throws -> AppRecord? {
        try await store.read { db in
            try await db.raw("SELECT appid, secret, pay_enabled, entity, is_demo FROM apps WHERE is_demo = \(bind: true) ORDER BY created_at LIMIT 1")
                .first(decoding: AppRecord.self)
        }
    }

    /// Creates the app, or updates its secret if it exists (`--app` at start).
    public func upsertApp(_ credential: Credential, isDemo: Bool = false, now: Int64) async throws {
        try await store.write { db in
            try await db.raw("""
                INSERT INTO apps (appid, secret, pay_enabled, entity, is_demo, created_at)
                VALUES (\(bind: credential.id), \(bind: credential.secret), \(bind: true), \(bind: credential.id), \(bind: isDemo), \(bind: now))
                ON CONFLICT (appid) DO UPDATE SET secret = excluded.secret
                """).run()
        }
    }

    /// Changes what `POST /sandbox/app` may change; answers the app as it now is.
    public func updateMerchant(appid: String, payEnabled: Bool?, entity: String?) async throws -> AppRecord {
        try await store.write { db in
            guard let app = try await db.raw("""
                UPDATE apps SET pay_enabled = COALESCE(\(bind: payEnabled), pay_enabled), entity = COALESCE(\(bind: entity), entity)
                WHERE appid = \(bind: appid)
                RETURNING appid, secret, pay_enabled, entity, is_demo
                """).first(decoding: AppRecord.self)
            else { throw WeChatError.invalidCredential }
            return app
        }
    }

    /// Creates the component, or updates its secret if it exists (`--component` at start).
    public func upsertComponent(_ credential: Credential, now: Int64) async throws {
        try await store.write { db in
            try await db.raw("""
                INSERT INTO components (component_appid, secret, created_at)
                VALUES (\(bind: credential.id), \(bind: credential.secret), \(bind: now))
                ON CONFLICT (component_appid) DO UPDATE SET secret = excluded.secret
                """).run()
        }
    }

    public func componentSecret(_ componentAppID: String) async throws -> String? {
        try await store.read { db in
            try await db.raw("SELECT secret FROM components WHERE component_appid = \(bind: componentAppID)")
                .first()?.decode(column: "secret", as: String.self)
        }
    }

    // MARK: Access tokens

    /// Whether `token` is a component access token (used where an app's is needed: 61015).
    func isComponentToken(_ token: String) async throws -> Bool {
        try await store.read { db in
            try await db.raw("SELECT 1 AS found FROM component_tokens WHERE token = \(bind: token)").first() != nil
        }
    }

    public func token(_ token: String) async throws -> StoredAccessToken? {
        try await store.read { db in
            try await db.raw("""
                SELECT appid, token, issued_at, expires_at, revoked_at, component_appid, func_scope
                FROM access_tokens WHERE token = \(bind: token)
                """).first(decoding: StoredAccessToken.self)
        }
    }

    /// The newest token of the app that nothing has replaced, if it still works at `now`.
    public func currentToken(appid: String, now: Int64) async throws -> StoredAccessToken? {
        try await store.read { db in
            try await db.raw("""
                SELECT appid, token, issued_at, expires_at, revoked_at, component_appid, func_scope FROM access_tokens
                WHERE appid = \(bind: appid) AND component_appid IS NULL AND revoked_at IS NULL AND expires_at > \(bind: now)
                ORDER BY issued_at DESC LIMIT 1
                """).first(decoding: StoredAccessToken.self)
        }
    }

    /// Issues `token` in one transaction. The app's current token keeps working for the hand-over
    /// (none with `revokeImmediately`); any older one stops now. Tokens that stopped working because
    /// they were replaced are deleted (an unknown token answers 40001 just as a replaced one does);
    /// expired ones are kept for `retention`, so that their users hear 42001.
    /// Answers whether a token that was still working stopped at once (other instances may
    /// have it cached: see `CacheHorizon`).
    @discardableResult
    public func issue(_ token: StoredAccessToken, revokeImmediately: Bool) async throws -> Bool {
        let engine = store.engine
        return try await store.write { db in
            try await Self.issue(db, token, revokeImmediately: revokeImmediately, engine: engine)
        }
    }

    /// `issue` in the caller's transaction. The app's own tokens and each component's authorizer
    /// tokens of the app are separate lines: issuing one replaces only tokens of its own line.
    ///
    /// On PostgreSQL the app's row is locked first: two fetches at once would otherwise each
    /// miss the token the other inserts (READ COMMITTED) and leave two current tokens. SQLite's
    /// one writer runs them one after the other anyway.
    @discardableResult
    static func issue(_ db: any SQLDatabase, _ token: StoredAccessToken, revokeImmediately: Bool, engine: Store.Engine) async throws -> Bool {
        let now = token.issuedAt
        let handOverEnd = revokeImmediately ? now : now + AccessTokenRules.handOver
        let line = token.componentAppID ?? ""
        do {
            if engine == .postgres {
                try await db.raw("SELECT appid FROM apps WHERE appid = \(bind: token.appid) FOR UPDATE").run()
            }
            // Tokens still in their hand-over stop now: a third token leaves only the second working.
            let stopped = try await db.raw("""
                UPDATE access_tokens SET revoked_at = \(bind: now)
                WHERE appid = \(bind: token.appid) AND COALESCE(component_appid, '') = \(bind: line) AND revoked_at > \(bind: now)
                  AND expires_at > \(bind: now)
                RETURNING token
                """).all().count
            let replaced = try await db.raw("""
                UPDATE access_tokens
                SET revoked_at = CASE WHEN expires_at < \(bind: handOverEnd) THEN expires_at ELSE \(bind: handOverEnd) END
                WHERE appid = \(bind: token.appid) AND COALESCE(component_appid, '') = \(bind: line) AND revoked_at IS NULL
                  AND expires_at > \(bind: now)
                RETURNING token
                """).all().count
            try await db.raw("""
                DELETE FROM access_tokens
                WHERE appid = \(bind: token.appid)
                  AND (revoked_at <= \(bind: now) OR expires_at < \(bind: now - AccessTokenRules.retention))
                """).run()
            try await db.raw("""
                INSERT INTO access_tokens (appid, token, issued_at, expires_at, revoked_at, component_appid, func_scope)
                VALUES (\(bind: token.appid), \(bind: token.token), \(bind: token.issuedAt), \(bind: token.expiresAt), NULL,
                        \(bind: token.componentAppID), \(bind: token.funcScope))
                """).run()
            return stopped > 0 || (revokeImmediately && replaced > 0)
        }
    }
}
