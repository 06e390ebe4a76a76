/// The rules of access tokens (Get Access Token), as pure functions of the token's row and the clock.
public enum AccessTokenRules {
    /// `expires_in` of every token.
    public static let lifetime: Int64 = 7200
    /// A token replaced by a newer fetch keeps working this long (WeChat's smooth hand-over).
    public static let handOver: Int64 = 300
    /// Expired or revoked tokens are kept this long after they stop working, so that a client
    /// still using one hears why (42001 / 40001), then purged.
    public static let retention: Int64 = 86_400
    /// Length of the tokens we issue: 128 URL-safe characters (WeChat's are of this order).
    public static let length = 128

    public enum Verdict: Equatable, Sendable {
        case valid(appid: String)
        case expired
        case superseded
        /// An authorizer token whose authorization lacks the card scope (8).
        case outOfScope
    }

    /// The function scope (`funcscope_category.id`) that card, datacube and sandbox calls need
    /// when made with an authorizer token.
    public static let cardScope = 8

    /// A token is first of all well formed: anything else is 40014 without touching storage.
    public static func isWellFormed(_ token: String) -> Bool {
        token.utf8.count == length && token.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    /// Expiry is checked first: a token past its 7200 s is 42001 even if it was also replaced.
    public static func verdict(for token: StoredAccessToken, now: Int64) -> Verdict {
        if now >= token.expiresAt { return .expired }
        if let revokedAt = token.revokedAt, now >= revokedAt { return .superseded }
        if token.componentAppID != nil, !token.hasCardScope { return .outOfScope }
        return .valid(appid: token.appid)
    }
}

/// One issued access token, as stored.
public struct StoredAccessToken: Sendable, Equatable, Codable {
    public let appid: String
    public let token: String
    public let issuedAt: Int64
    public let expiresAt: Int64
    public let revokedAt: Int64?
    /// The component an authorizer token was issued to; nil for the app's own tokens.
    public let componentAppID: String?
    /// An authorizer token's function scopes, comma-separated ids.
    public let funcScope: String?

    /// Whether the scopes include cards (8): worked out once, not on every request.
    public let hasCardScope: Bool

    public init(appid: String, token: String, issuedAt: Int64, expiresAt: Int64, revokedAt: Int64?,
                componentAppID: String? = nil, funcScope: String? = nil) {
        self.appid = appid
        self.token = token
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.componentAppID = componentAppID
        self.funcScope = funcScope
        self.hasCardScope = (funcScope ?? "").split(separator: ",").contains { Int($0) == AccessTokenRules.cardScope }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(appid: try container.decode(String.self, forKey: .appid), token: try container.decode(String.self, forKey: .token),
                  issuedAt: try container.decode(Int64.self, forKey: .issuedAt), expiresAt: try container.decode(Int64.self, forKey: .expiresAt),
                  revokedAt: try container.decodeIfPresent(Int64.self, forKey: .revokedAt),
                  componentAppID: try container.decodeIfPresent(String.self, forKey: .componentAppID),
                  funcScope: try container.decodeIfPresent(String.self, forKey: .funcScope))
    }

    enum CodingKeys: String, CodingKey {
        case appid, token
        case issuedAt = "issued_at"
        case expiresAt = "expires_at"
        case revokedAt = "revoked_at"
        case componentAppID = "component_appid"
        case funcScope = "func_scope"
    }
}
