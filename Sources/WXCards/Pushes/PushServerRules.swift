import Foundation

/// The merchant's message server, as `POST /sandbox/app/server` (or `serve --push`) sets it.
public struct PushServer: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        case plain, compatible, safe
    }

    public let url: String
    public let token: String
    public let mode: Mode
    /// The EncodingAESKey; required in compatible and safe mode.
    public let encodingAESKey: String?
    /// The appid that ends the encrypted text: a component's when it receives for its
    /// authorizers (nil: the pushing app's own).
    public let cryptoAppID: String?
    /// What the safe-mode envelope names beside `Encrypt`.
    public let envelope: Envelope

    public enum Envelope: Sendable, Equatable {
        /// `ToUserName`, the account's original id: an account's messages.
        case toUser
        /// `AppId`, the component's appid: a component's authorization events.
        case appID
    }

    public init(url: String, token: String, mode: Mode, encodingAESKey: String?, cryptoAppID: String? = nil, envelope: Envelope = .toUser) {
        self.url = url
        self.token = token
        self.mode = mode
        self.encodingAESKey = encodingAESKey
        self.cryptoAppID = cryptoAppID
        self.envelope = envelope
    }
}

/// The rules of a message-server configuration, as pure functions.
public enum PushServerRules {
    /// WeChat's console takes a URL of up to 1024 bytes.
    static let maxURLBytes = 1024

    /// Checks the fields; answers the server, or the WeChat error naming the field.
    /// - url: `http://` or `https://` with a host (any port: developers receive on loopback);
    /// - token: 3 to 32 letters and digits, as WeChat's console requires;
    /// - mode: plain, compatible or safe (default plain);
    /// - encoding_aes_key: 43 letters and digits, required unless plain.
    public static func check(url: String?, token: String?, mode: String?, encodingAESKey: String?) throws -> PushServer {
        guard let url, !url.isEmpty else { throw WeChatError.missingRequiredFields.detail("missing url") }
        guard let token, !token.isEmpty else { throw WeChatError.missingRequiredFields.detail("missing token") }
        guard url.utf8.count <= maxURLBytes, let components = URLComponents(string: url),
              let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = components.host, !host.isEmpty
        else { throw WeChatError.invalidArgs.detail("url must be an http:// or https:// URL of at most \(maxURLBytes) bytes") }
        guard (3...32).contains(token.utf8.count), token.utf8.allSatisfy(PushCrypto.isAlphanumeric) else {
            throw WeChatError.invalidArgs.detail("token must be 3 to 32 letters and digits")
        }
        guard let mode = PushServer.Mode(rawValue: mode ?? "plain") else {
            throw WeChatError.invalidArgs.detail("mode must be plain, compatible or safe")
        }
        if let encodingAESKey, PushCrypto.key(encodingAESKey: encodingAESKey) == nil {
            throw WeChatError.invalidArgs.detail("encoding_aes_key must be 43 letters and digits")
        }
        if mode != .plain, encodingAESKey == nil {
            throw WeChatError.missingRequiredFields.detail("missing encoding_aes_key (needed in \(mode.rawValue) mode)")
        }
        return PushServer(url: url, token: token, mode: mode, encodingAESKey: encodingAESKey)
    }

    /// `--push APPID=URL,TOKEN[,MODE,KEY]`.
    public static func parse(flag text: String) throws -> (appid: String, server: PushServer) {
        guard let equals = text.firstIndex(of: "=") else { throw ConfigurationError("--push takes APPID=URL,TOKEN[,MODE,KEY], not \(text)") }
        let appid = String(text[..<equals])
        let parts = text[text.index(after: equals)...].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !appid.isEmpty, (2...4).contains(parts.count) else {
            throw ConfigurationError("--push takes APPID=URL,TOKEN[,MODE,KEY], not \(text)")
        }
        do {
            let server = try check(url: parts[0], token: parts[1], mode: parts.count > 2 ? parts[2] : nil,
                                   encodingAESKey: parts.count > 3 ? parts[3] : nil)
            return (appid, server)
        } catch let error as WeChatError {
            throw ConfigurationError("--push for \(appid): \(error.message)")
        }
    }
}
