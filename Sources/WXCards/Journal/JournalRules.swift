import Foundation

/// What the request journal keeps of a request: never a token or a secret, and bodies cut short.
public enum JournalRules {
    /// Bodies are kept up to this many bytes (cut at a character boundary).
    public static let maxBodyBytes = 4_096

    /// JSON fields whose values never reach the journal, wherever they are in the body.
    static let secretFields: Set<String> = [
        "access_token", "secret", "appsecret", "component_appsecret", "token", "encoding_aes_key",
        "refresh_token", "authorizer_refresh_token", "component_access_token", "authorizer_access_token",
        "component_verify_ticket", "pre_auth_code", "auth_code", "authorization_code",
    ]

    /// The body as kept: secret fields' values replaced by `***`, then cut at 4 KiB.
    public static func keptBody(_ bytes: [UInt8]) -> String {
        // Parse only a body that names a secret field: the common call pays one scan of bytes.
        guard namesSecretField(bytes) else { return cut(withoutNUL(String(decoding: bytes, as: UTF8.self), bytes: bytes)) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]),
              let data = try? JSONSerialization.data(withJSONObject: redacted(object), options: [.fragmentsAllowed, .sortedKeys])
        else {
            // Naming a secret field but not JSON: keep nothing of it.
            return "(not kept: it names a secret field and is not JSON)"
        }
        return cut(withoutNUL(String(decoding: data, as: UTF8.self), bytes: Array(data)))
    }

    /// Invalid UTF-8 is already U+FFFD; a NUL (which PostgreSQL's text refuses) is written as the
    /// JSON escape it would have been.
    static func withoutNUL(_ text: String, bytes: [UInt8]) -> String {
        bytes.contains(0) ? text.replacingOccurrences(of: "\0", with: "\\u0000") : text
    }

    /// The secret fields as they appear quoted in JSON (`"token"`), as bytes.
    static let quotedSecretFields: [[UInt8]] = secretFields.map { Array("\"\($0)\"".utf8) }

    /// Whether the body contains one of the secret field names in quotes: a byte scan that only
    /// compares further at a quote.
    static func namesSecretField(_ bytes: [UInt8]) -> Bool {
        let quote = UInt8(ascii: "\"")
        var index = 0
        while index < bytes.count {
            if bytes[index] == quote {
                for field in quotedSecretFields where index + field.count <= bytes.count {
                    var same = true
                    for offset in 1..<field.count where bytes[index + offset] != field[offset] {
                        same = false
                        break
                    }
                    if same { return true }
                }
            }
            index += 1
        }
        return false
    }

    static func redacted(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var copy: [String: Any] = [:]
            for (key, inner) in object { copy[key] = secretFields.contains(key.lowercased()) ? "***" : redacted(inner) }
            return copy
        }
        if let array = value as? [Any] { return array.map(redacted) }
        return value
    }

    /// At most `maxBodyBytes` bytes of UTF-8, never half a character.
    static func cut(_ text: String) -> String {
        guard text.utf8.count > maxBodyBytes else { return text }
        var end = text.utf8.index(text.utf8.startIndex, offsetBy: maxBodyBytes)
        while end.samePosition(in: text.unicodeScalars) == nil { end = text.utf8.index(before: end) }
        return String(text.unicodeScalars[..<end])
    }

    /// `GET /sandbox/requests`'s query, checked: an errcode as faults take them (-1 or up to
    /// 9999999), `since` in Unix seconds, a path of at most 256 bytes, a limit of 1 to 1,000.
    public static func query(path: String?, errcode: String?, since: String?, limit: String?) throws -> RequestJournal.Query {
        var code: Int?
        if let errcode {
            guard let value = Int(errcode), value == -1 || (0...9_999_999).contains(value) else {
                throw WeChatError.invalidArgs.detail("errcode must be a whole number from -1 to 9999999")
            }
            code = value
        }
        var start: Int64?
        if let since {
            guard let value = Int64(since), Ranges.clock.contains(value) else { throw WeChatError.invalidArgs.detail("since must be Unix seconds") }
            start = value
        }
        if let path, path.utf8.count > 256 { throw WeChatError.invalidArgs.detail("path is at most 256 bytes") }
        return RequestJournal.Query(path: path, errcode: code, since: start, limit: try ListPage.count(limit, field: "limit"))
    }

    /// Whether a path is journaled: the API, not `/sandbox/*` (the journal's own side).
    public static func isJournaled(_ path: String) -> Bool { !path.hasPrefix("/sandbox") }
}
