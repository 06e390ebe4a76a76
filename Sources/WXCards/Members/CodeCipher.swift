import Crypto
import Foundation

/// `encrypt_code` (Decrypting a Code): WeChat's scheme is private, so wxcards uses its own reversible
/// one: AES-GCM under a server key kept in the database (shared by every instance, kept across
/// restarts), over `appid`, `card_id` and `code`. A code encrypted for one app does not decrypt
/// for another, and any change to the text fails authentication.
public struct CodeCipher: Sendable {
    /// The key's bytes (`SymmetricKey` itself is not Sendable).
    let keyData: Data
    var key: SymmetricKey { SymmetricKey(data: keyData) }

    public init(keyData: Data) { self.keyData = keyData }

    /// The server's key, made at first use.
    public static func load(from store: Store) async throws -> CodeCipher {
        let candidate = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        let text = try await MemberStore(store: store).serverKey(named: "encrypt_code", candidate: candidate)
        guard let text, let data = Data(base64Encoded: text) else { throw InternalError("the stored encrypt_code key is unreadable") }
        return CodeCipher(keyData: data)
    }

    public func encrypt(appid: String, cardID: String, code: String) throws -> String {
        let plain = Data("\(appid)\n\(cardID)\n\(code)".utf8)
        guard let combined = try AES.GCM.seal(plain, using: key).combined else { throw InternalError("AES-GCM gave no combined box") }
        return combined.base64EncodedString()
    }

    /// The card_id and code, or 40075 for anything that is not an encrypt_code of this app.
    public func decrypt(_ encrypted: String, appid: String) throws -> (cardID: String, code: String) {
        guard let data = Data(base64Encoded: encrypted),
              let box = try? AES.GCM.SealedBox(combined: data),
              let plain = try? AES.GCM.open(box, using: key)
        else { throw WeChatError.invalidEncryptCode }
        let parts = String(decoding: plain, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts[0] == appid else { throw WeChatError.invalidEncryptCode }
        return (parts[1], parts[2])
    }
}
