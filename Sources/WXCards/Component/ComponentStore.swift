import SQLKit

/// The SQL of components: their settings, verify tickets, component tokens, pre-auth and
/// authorization codes, and the authorizations apps grant them. Functions taking a database
/// run in the caller's transaction.
public struct ComponentStore: Sendable {
    let store: Store

    public init(store: Store) { self.store = store }

    // MARK: Components

    public func component(_ componentAppID: String) async throws -> ComponentRecord? {
        try await store.read { db in try await Self.component(db, componentAppID) }
    }

    static func component(_ db: any SQLDatabase, _ componentAppID: String) async throws -> ComponentRecord? {
        guard let row = try await db.raw("""
            SELECT component_appid, secret, token, encoding_aes_key, auth_url, message_url
            FROM components WHERE component_appid = \(bind: componentAppID)
            """).first() else { return nil }
        return ComponentRecord(
            componentAppID: try row.decode(column: "component_appid", as: String.self),
            secret: try row.decode(column: "secret", as: String.self),
            settings: ComponentRules.Settings(
                authURL: try row.decode(column: "auth_url", as: String?.self),
                messageURL: try row.decode(column: "message_url", as: String?.self),
                token: try row.decode(column: "token", as: String?.self),
                encodingAESKey: try row.decode(column: "encoding_aes_key", as: String?.self)))
    }

    /// Changes the given settings, keeping the others. A changed authorization-event URL gets
    /// a ticket pushed at once (the scheduler's next look), as a newly configured platform does.
    public func update(_ componentAppID: String, _ settings: ComponentRules.Settings) async throws -> ComponentRecord? {
        try await store.write { db in
            try await db.raw("""
                UPDATE components SET
                    ticket_pushed_at = CASE WHEN \(bind: settings.authURL) IS NOT NULL
                                             AND \(bind: settings.authURL) <> COALESCE(auth_url, '') THEN NULL ELSE ticket_pushed_at END,
                    auth_url = COALESCE(\(bind: settings.authURL), auth_url),
                    message_url = COALESCE(\(bind: settings.messageURL), message_url),
                    token = COALESCE(\(bind: settings.token), token),
                    encoding_aes_key = COALESCE(\(bind: settings.encodingAESKey), encoding_aes_key)
                WHERE component_appid = \(bind: componentAppID)
                """).run()
            return try await Self.component(db, componentAppID)
        }
    }

    // MARK: Verify tickets

    static func insertTicket(_ db: any SQLDatabase, componentAppID: String, ticket: String, now: Int64) async throws {
        // Tickets dead for a day are of no use to anyone's error message: they go.
        try await db.raw("""
            DELETE FROM component_tickets WHERE component_appid = \(bind: componentAppID)
              AND expires_at < \(bind: now - AccessTokenRules.retention)
            """).run()
        try await db.raw("""
            INSERT INTO component_tickets (component_appid, ticket, issued_at, expires_at)
            VALUES (\(bind: componentAppID), \(bind: ticket), \(bind: now), \(bind: now + ComponentRules.ticketLifetime))
            """).run()
    }

    /// When the ticket stops working, or nil if the component never had it.
    func ticketExpiry(componentAppID: String, ticket: String) async throws -> Int64? {
        try await store.read { db in
            try await db.raw("""
                SELECT expires_at FROM component_tickets WHERE component_appid = \(bind: componentAppID) AND ticket = \(bind: ticket)
                """).first()?.decode(column: "expires_at", as: Int64.self)
        }
    }

    /// The components whose scheduled ticket push is due at `now`.
    func componentsDueForTicket(now: Int64) async throws -> [String] {
        try await store.read { db in
            try await db.raw("""
                SELECT component_appid FROM components
                WHERE auth_url IS NOT NULL AND token IS NOT NULL AND encoding_aes_key IS NOT NULL
                  AND (ticket_pushed_at IS NULL OR ticket_pushed_at <= \(bind: now - ComponentRules.ticketPushInterval))
                """).all().map { try $0.decode(column: "component_appid", as: String.self) }
        }
    }

    /// Takes the component's due ticket push: true for exactly one instance (and one look).
    static func takeTicketPush(_ db: any SQLDatabase, componentAppID: String, now: Int64) async throws -> Bool {
        try await db.raw("""
            UPDATE components SET ticket_pushed_at = \(bind: now)
            WHERE component_appid = \(bind: componentAppID)
              AND (ticket_pushed_at IS NULL OR ticket_pushed_at <= \(bind: now - ComponentRules.ticketPushInterval))
            RETURNING component_appid
            """).first() != nil
    }

    // MARK: Component tokens

    /// Issues a component token: the previous one keeps working for the hand-over, older ones
    /// stop: the rules of `AppStore.issue`, on the components' own table. Component tokens are
    /// read from the database on every call (no instance caches them), so nothing waits.
    func issueComponentToken(componentAppID: String, token: String, now: Int64) async throws {
        try await store.write { db in
            try await db.raw("""
                UPDATE component_tokens SET revoked_at = \(bind: now)
                WHERE component_appid = \(bind: componentAppID) AND revoked_at > \(bind: now)
                """).run()
            try await db.raw("""
                UPDATE component_tokens SET revoked_at = \(bind: now + AccessTokenRules.handOver)
                WHERE component_appid = \(bind: componentAppID) AND revoked_at IS NULL
                """).run()
            try await db.raw("""
                DELETE FROM component_tokens WHERE component_appid = \(bind: componentAppID)
                  AND (revoked_at <= \(bind: now) OR expires_at < \(bind: now - AccessTokenRules.retention))
                """).run()
            try await db.raw("""
                INSERT INTO component_tokens (component_appid, token, issued_at, expires_at, revoked_at)
                VALUES (\(bind: componentAppID), \(bind: token), \(bind: now), \(bind: now + ComponentRules.tokenLifetime), NULL)
                """).run()
        }
    }

    struct StoredComponentToken: Sendable {
        let componentAppID: String
        let expiresAt: Int64
        let revokedAt: Int64?
    }

    func componentToken(_ token: String) async throws -> StoredComponentToken? {
        try await store.read { db in
            guard let row = try await db.raw("""
                SELECT component_appid, expires_at, revoked_at FROM component_tokens WHERE token = \(bind: token)
                """).first() else { return nil }
            return StoredComponentToken(componentAppID: try row.decode(column: "component_appid", as: String.self),
                                        expiresAt: try row.decode(column: "expires_at", as: Int64.self),
                                        revokedAt: try row.decode(column: "revoked_at", as: Int64?.self))
        }
    }

    // MARK: Codes

    enum CodeKind: String { case preAuth = "pre_auth", auth }

    static func insertCode(_ db: any SQLDatabase, componentAppID: String, code: String, kind: CodeKind,
                           authorizerAppID: String?, expiresAt: Int64) async throws {
        try await db.raw("""
            DELETE FROM component_codes WHERE component_appid = \(bind: componentAppID)
              AND expires_at < \(bind: expiresAt - AccessTokenRules.retention)
            """).run()
        try await db.raw("""
            INSERT INTO component_codes (component_appid, code, kind, authorizer_appid, expires_at, used)
            VALUES (\(bind: componentAppID), \(bind: code), \(bind: kind.rawValue), \(bind: authorizerAppID), \(bind: expiresAt), \(bind: false))
            """).run()
    }

    /// Uses a code once: answers its authorizer (for an authorization code), or the error of a
    /// code that is unknown, of another kind or component, used (61009) or expired (61010).
    static func useCode(_ db: any SQLDatabase, componentAppID: String, code: String, kind: CodeKind, now: Int64) async throws -> String? {
        guard let row = try await db.raw("""
            SELECT authorizer_appid, expires_at, used FROM component_codes
            WHERE component_appid = \(bind: componentAppID) AND code = \(bind: code) AND kind = \(bind: kind.rawValue)
            """).first() else { throw WeChatError.authCodeInvalid }
        if try row.decode(column: "used", as: Bool.self) { throw WeChatError.authCodeInvalid.detail("the code was used already") }
        if now >= (try row.decode(column: "expires_at", as: Int64.self)) { throw WeChatError.authCodeExpired }
        // Conditional, so that two concurrent uses cannot both succeed.
        guard try await db.raw("""
            UPDATE component_codes SET used = \(bind: true)
            WHERE component_appid = \(bind: componentAppID) AND code = \(bind: code) AND used = \(bind: false)
            RETURNING code
            """).first() != nil else { throw WeChatError.authCodeInvalid.detail("the code was used already") }
        return try row.decode(column: "authorizer_appid", as: String?.self)
    }

    // MARK: Authorizations

    static func authorization(_ db: any SQLDatabase, appid: String, componentAppID: String) async throws -> Authorization? {
        guard let row = try await db.raw("""
            SELECT func_scope, refresh_token FROM authorizations
            WHERE appid = \(bind: appid) AND component_appid = \(bind: componentAppID)
            """).first() else { return nil }
        return Authorization(authorizerAppID: appid, componentAppID: componentAppID,
                             scopes: ComponentRules.scopes(text: try row.decode(column: "func_scope", as: String.self)),
                             refreshToken: try row.decode(column: "refresh_token", as: String.self))
    }

    func authorization(appid: String, componentAppID: String) async throws -> Authorization? {
        try await store.read { db in try await Self.authorization(db, appid: appid, componentAppID: componentAppID) }
    }

    /// Grants (or grants again) the component: a new refresh token replaces the old one.
    static func authorize(_ db: any SQLDatabase, appid: String, componentAppID: String, scopes: [Int], refreshToken: String, now: Int64) async throws {
        try await db.raw("""
            INSERT INTO authorizations (appid, component_appid, func_scope, refresh_token, authorized_at)
            VALUES (\(bind: appid), \(bind: componentAppID), \(bind: ComponentRules.scopeText(scopes)), \(bind: refreshToken), \(bind: now))
            ON CONFLICT (appid, component_appid) DO UPDATE SET func_scope = excluded.func_scope,
                refresh_token = excluded.refresh_token, authorized_at = excluded.authorized_at
            """).run()
    }

    /// Withdraws the authorization; answers whether there was one.
    static func unauthorize(_ db: any SQLDatabase, appid: String, componentAppID: String) async throws -> Bool {
        try await db.raw("""
            DELETE FROM authorizations WHERE appid = \(bind: appid) AND component_appid = \(bind: componentAppID)
            RETURNING appid
            """).first() != nil
    }

    /// Stops every authorizer token of the app issued to the component, at once; answers
    /// whether one was still working.
    static func revokeAuthorizerTokens(_ db: any SQLDatabase, appid: String, componentAppID: String, now: Int64) async throws -> Bool {
        try await db.raw("""
            UPDATE access_tokens SET revoked_at = \(bind: now)
            WHERE appid = \(bind: appid) AND component_appid = \(bind: componentAppID) AND (revoked_at IS NULL OR revoked_at > \(bind: now))
              AND expires_at > \(bind: now)
            RETURNING token
            """).all().isEmpty == false
    }
}
