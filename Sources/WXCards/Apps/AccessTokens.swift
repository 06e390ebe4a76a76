import Foundation

/// Issues access tokens and resolves a token to the one appid it stands for.
public final class AccessTokens: Sendable {
    let apps: AppStore
    let clock: ServerClock
    let cache: TokenCache
    private let wallTime: @Sendable () -> Double

    public init(apps: AppStore, clock: ServerClock, cacheTTL: Double = CacheHorizon.seconds, wallTime: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.apps = apps
        self.clock = clock
        self.cache = TokenCache(ttl: cacheTTL)
        self.wallTime = wallTime
    }

    public struct Grant: Encodable, Sendable {
        public let access_token: String
        public let expires_in: Int64
    }

    /// `GET /cgi-bin/token`: always a new token; the previous one keeps working for 5 minutes.
    public func fetch(grantType: String?, appid: String?, secret: String?) async throws -> Grant {
        let app = try await authenticate(grantType: grantType, appid: appid, secret: secret)
        return try await issue(appid: app.appid, revokeImmediately: false)
    }

    /// `POST /cgi-bin/stable_token`: the current token while it works, unless `forceRefresh`,
    /// which replaces it at once.
    public func stable(grantType: String?, appid: String?, secret: String?, forceRefresh: Bool) async throws -> Grant {
        let app = try await authenticate(grantType: grantType, appid: appid, secret: secret)
        if !forceRefresh {
            let now = try await clock.now()
            if let current = try await apps.currentToken(appid: app.appid, now: now) {
                return Grant(access_token: current.token, expires_in: current.expiresAt - now)
            }
        }
        return try await issue(appid: app.appid, revokeImmediately: forceRefresh)
    }

    /// The appid a token stands for, or the WeChat error that SDKs refresh on (40014, 40001, 42001).
    public func appid(forToken token: String?) async throws -> String {
        try await caller(forToken: token).appid
    }

    /// Who calls with a token: the app, and the component when it is an authorizer token.
    public struct Caller: Sendable, Equatable {
        public let appid: String
        public let componentAppID: String?

        public init(appid: String, componentAppID: String?) {
            self.appid = appid
            self.componentAppID = componentAppID
        }
    }

    /// `appid(forToken:)`, also telling an authorizer token apart. A component token answers
    /// 61015; an authorizer token without the card scope 61007.
    public func caller(forToken token: String?) async throws -> Caller {
        guard let token, !token.isEmpty else { throw WeChatError.accessTokenMissing }
        guard AccessTokenRules.isWellFormed(token) else { throw WeChatError.invalidAccessToken }
        let wall = wallTime()
        let stored: StoredAccessToken
        if let cached = cache.lookup(token, wall: wall) {
            stored = cached
        } else {
            guard let fetched = try await apps.token(token) else {
                // Only on the refusal path: a component's token used where an app's is needed.
                if try await apps.isComponentToken(token) { throw WeChatError.mustUseBizToken }
                throw WeChatError.invalidCredential
            }
            cache.remember(fetched, wall: wall)
            stored = fetched
        }
        switch AccessTokenRules.verdict(for: stored, now: try await clock.now()) {
        case .valid(let appid): return Caller(appid: appid, componentAppID: stored.componentAppID)
        case .expired: throw WeChatError.accessTokenExpired
        case .superseded: throw WeChatError.invalidCredential
        case .outOfScope: throw WeChatError.apiUnauthorizedToComponent
        }
    }

    /// Checks the request in WeChat's order: appid missing, secret missing, grant_type, appid, secret.
    private func authenticate(grantType: String?, appid: String?, secret: String?) async throws -> AppRecord {
        guard let appid, !appid.isEmpty else { throw WeChatError.appIDMissing }
        guard let secret, !secret.isEmpty else { throw WeChatError.appSecretMissing }
        guard grantType == "client_credential" else { throw WeChatError.invalidGrantType }
        guard let app = try await apps.app(appid) else { throw WeChatError.invalidAppID }
        guard constantTimeEquals(app.secret, secret) else { throw WeChatError.invalidAppSecret }
        return app
    }

    private func issue(appid: String, revokeImmediately: Bool) async throws -> Grant {
        let now = try await clock.now()
        let token = StoredAccessToken(
            appid: appid,
            token: RandomString.make(length: AccessTokenRules.length),
            issuedAt: now,
            expiresAt: now + AccessTokenRules.lifetime,
            revokedAt: nil
        )
        let stoppedAtOnce = try await apps.issue(token, revokeImmediately: revokeImmediately)
        try await changed(appid: appid, stoppedAtOnce: stoppedAtOnce)
        return Grant(access_token: token.token, expires_in: AccessTokenRules.lifetime)
    }
}

extension AccessTokens {
    /// After this instance issued or revoked tokens of the app: its own cache drops them, and
    /// when a token that was still working stopped at once, the answer waits until no other
    /// instance can still trust it (`CacheHorizon`).
    func changed(appid: String, stoppedAtOnce: Bool) async throws {
        cache.forget(appid: appid)
        if stoppedAtOnce { try await CacheHorizon.settle(apps.store) }
    }
}

/// Compares secrets without leaking, through timing, how much of a guess was right.
func constantTimeEquals(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
}
