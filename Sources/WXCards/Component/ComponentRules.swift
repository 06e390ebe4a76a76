import Foundation

/// The rules of the third-party platform chain (api-spec §9.1), as pure functions: lifetimes,
/// the shapes of tickets and codes, function scopes, message settings and the events' XML.
public enum ComponentRules {
    /// A verify ticket works for 12 hours; a new one is pushed every 10 minutes.
    public static let ticketLifetime: Int64 = 43_200
    public static let ticketPushInterval: Int64 = 600
    /// `expires_in` of a component token and of an authorizer token.
    public static let tokenLifetime: Int64 = 7200
    /// A pre-auth code and an authorization code each work for 10 minutes.
    public static let preAuthCodeLifetime: Int64 = 600
    public static let authCodeLifetime: Int64 = 600

    /// WeChat's function-scope ids (`funcscope_category.id`) a merchant may grant; 8 is cards.
    public static let knownScopes: [Int] = Array(1...13) + Array(15...26)

    /// The scopes of an authorization: all of them by default; otherwise a non-empty list of
    /// known ids, each once (kept in the order given, as WeChat lists them).
    public static func scopes(_ requested: [Int]?) throws -> [Int] {
        guard let requested else { return knownScopes }
        guard !requested.isEmpty else { throw WeChatError.invalidArgs.detail("func_scope must name at least one scope") }
        var seen = Set<Int>()
        for id in requested {
            guard knownScopes.contains(id) else {
                throw WeChatError.invalidArgs.detail("func_scope \(id) is not one of WeChat's function scopes (1 to 26, not 14)")
            }
            guard seen.insert(id).inserted else { throw WeChatError.invalidArgs.detail("func_scope \(id) is given twice") }
        }
        return requested
    }

    public static func scopeText(_ scopes: [Int]) -> String { scopes.map(String.init).joined(separator: ",") }
    public static func scopes(text: String) -> [Int] { text.split(separator: ",").compactMap { Int($0) } }

    /// Tickets, codes and refresh tokens in the shapes WeChat's have: a telling prefix and
    /// URL-safe random characters.
    public static func newTicket() -> String { "ticket@@@" + RandomString.make(length: 86) }
    public static func newPreAuthCode() -> String { "preauthcode@@@" + RandomString.make(length: 64) }
    public static func newAuthCode() -> String { "queryauthcode@@@" + RandomString.make(length: 64) }
    public static func newRefreshToken() -> String { "refreshtoken@@@" + RandomString.make(length: 43) }

    /// Longest ticket, code or refresh token a client may send: anything longer is not one of ours.
    public static let maxCredentialBytes = 256

    /// A component's message settings, as `POST /sandbox/component/server` or `--component-server`
    /// give them. Each field is optional: a missing one keeps its value. Component messages are
    /// always encrypted, so a token and a key are needed before anything is pushed.
    public struct Settings: Sendable, Equatable {
        public var authURL: String?
        public var messageURL: String?
        public var token: String?
        public var encodingAESKey: String?

        public init(authURL: String? = nil, messageURL: String? = nil, token: String? = nil, encodingAESKey: String? = nil) {
            self.authURL = authURL
            self.messageURL = messageURL
            self.token = token
            self.encodingAESKey = encodingAESKey
        }
    }

    public static func check(_ settings: Settings) throws {
        for (name, url) in [("auth_url", settings.authURL), ("message_url", settings.messageURL)] {
            guard let url else { continue }
            // `$APPID$` is a placeholder; the URL must be one with any appid in its place.
            let sample = url.replacingOccurrences(of: "$APPID$", with: "wx0000000000000000")
            guard url.utf8.count <= PushServerRules.maxURLBytes, let components = URLComponents(string: sample),
                  let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
                  let host = components.host, !host.isEmpty
            else { throw WeChatError.invalidArgs.detail("\(name) must be an http:// or https:// URL of at most \(PushServerRules.maxURLBytes) bytes") }
        }
        if let token = settings.token, !(3...32).contains(token.utf8.count) || !token.utf8.allSatisfy(PushCrypto.isAlphanumeric) {
            throw WeChatError.invalidArgs.detail("token must be 3 to 32 letters and digits")
        }
        if let key = settings.encodingAESKey, PushCrypto.key(encodingAESKey: key) == nil {
            throw WeChatError.invalidArgs.detail("encoding_aes_key must be 43 letters and digits")
        }
    }

    /// `--component-server COMPONENT_APPID=AUTH_URL,MESSAGE_URL,TOKEN,KEY` (either URL may be empty).
    public static func parse(flag text: String) throws -> (componentAppID: String, settings: Settings) {
        let usage = "--component-server takes COMPONENT_APPID=AUTH_URL,MESSAGE_URL,TOKEN,KEY, not \(text)"
        guard let equals = text.firstIndex(of: "=") else { throw ConfigurationError(usage) }
        let id = String(text[..<equals])
        let parts = text[text.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !id.isEmpty, parts.count == 4 else { throw ConfigurationError(usage) }
        let settings = Settings(authURL: parts[0].isEmpty ? nil : parts[0], messageURL: parts[1].isEmpty ? nil : parts[1],
                                token: parts[2], encodingAESKey: parts[3])
        do {
            try check(settings)
        } catch let error as WeChatError {
            throw ConfigurationError("--component-server for \(id): \(error.message)")
        }
        return (id, settings)
    }

    /// The plaintext XML of an authorization event (`InfoType`), element by element.
    public static func infoXML(componentAppID: String, createTime: Int64, infoType: String,
                               _ elements: [(name: String, value: EventXML.Value)]) -> String {
        EventXML([("AppId", .text(componentAppID)), ("CreateTime", .number(createTime)), ("InfoType", .text(infoType))] + elements).text
    }
}
