import Crypto
import Foundation

/// An Official Account app: its credentials and the merchant facts other features rely on.
public struct AppRecord: Sendable, Equatable, Codable {
    public let appid: String
    public let secret: String
    /// Whether the merchant has WeChat Pay (swipe-card payment, recommendation cells need it).
    public let payEnabled: Bool
    /// The company behind the app; merchant ids of other entities cannot be bound to it.
    public let entity: String
    public let isDemo: Bool

    /// The account's original id (`ToUserName` of its pushes): `gh_` and 12 lowercase hex
    /// digits, derived from the appid, so it is stable without being stored and distinct per app.
    public var originalID: String { Self.originalID(appid: appid) }

    public static func originalID(appid: String) -> String {
        "gh_" + Hex.encode(SHA256.hash(data: Data("wxcards original_id \(appid)".utf8)).prefix(6))
    }

    /// An entity (company name) is 1 to 128 bytes.
    public static func checkEntity(_ entity: String?) throws {
        if let entity, entity.isEmpty || entity.utf8.count > 128 {
            throw WeChatError.invalidArgs.detail("entity must be 1 to 128 bytes")
        }
    }

    enum CodingKeys: String, CodingKey {
        case appid, secret, entity
        case payEnabled = "pay_enabled"
        case isDemo = "is_demo"
    }
}

/// `APPID:SECRET`, as given to `--app` and `--component`.
public struct Credential: Sendable, Equatable {
    public let id: String
    public let secret: String

    public init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    /// Ids are WeChat-like (`wx…`, at most 32 characters); secrets at most 64.
    public init(parsing text: String, flag: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw ConfigurationError("\(flag) takes ID:SECRET, not \(text)") }
        let id = String(parts[0]), secret = String(parts[1])
        let allowed: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
        guard (1...32).contains(id.count), id.allSatisfy(allowed) else {
            throw ConfigurationError("\(flag): the id must be 1 to 32 letters, digits, '_' or '-'")
        }
        guard (1...64).contains(secret.count), secret.allSatisfy(allowed) else {
            throw ConfigurationError("\(flag): the secret must be 1 to 64 letters, digits, '_' or '-'")
        }
        self.init(id: id, secret: secret)
    }

    /// A fresh demo credential in WeChat's shapes: `wx` + 16 hex digits, a 32-hex-digit secret.
    public static func makeDemo() -> Credential {
        Credential(id: "wx" + RandomString.make(length: 16, alphabet: RandomString.hex),
                   secret: RandomString.make(length: 32, alphabet: RandomString.hex))
    }
}
