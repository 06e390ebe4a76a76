import Crypto
import Foundation
import _CryptoExtras

/// WeChat's message-server cryptography, as the merchant's SDK checks it:
/// - `signature` = sha1 of the sorted concatenation of token, timestamp and nonce (and, for
///   `msg_signature`, the `Encrypt` text), lowercase hex;
/// - `Encrypt` = base64 of AES-256-CBC over 16 random bytes + the XML's length (4 bytes,
///   big-endian) + the XML + the appid, PKCS#7-padded to a multiple of 32 bytes, with
///   key = base64(EncodingAESKey + "=") and IV = the key's first 16 bytes.
public enum PushCrypto {
    public static func signature(_ parts: String...) -> String { signature(parts) }

    public static func signature(_ parts: [String]) -> String {
        Hex.encode(Insecure.SHA1.hash(data: Data(parts.sorted().joined().utf8)))
    }

    /// The 32-byte key of an EncodingAESKey (43 characters of [A-Za-z0-9]), or nil.
    public static func key(encodingAESKey: String) -> SymmetricKey? {
        guard encodingAESKey.utf8.count == 43, encodingAESKey.utf8.allSatisfy(isAlphanumeric),
              let bytes = Data(base64Encoded: encodingAESKey + "="), bytes.count == 32
        else { return nil }
        return SymmetricKey(data: bytes)
    }

    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// `Encrypt` for `xml`. `random` is the 16-byte prefix (WeChat's is random; a push derives
    /// it from its id, so a retry is byte-identical).
    public static func encrypt(_ xml: String, appid: String, key: SymmetricKey, random: [UInt8]) throws -> String {
        let message = Array(xml.utf8)
        var plain = Array(random.prefix(16)) + [UInt8](repeating: 0, count: max(0, 16 - random.count))
        let length = UInt32(clamping: message.count)  // our own XML: a few KiB
        plain += [UInt8(length >> 24 & 0xFF), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        plain += message
        plain += Array(appid.utf8)
        // PKCS#7 to 32, WeChat's block size (AES's own padding would pad to 16).
        let pad = 32 - plain.count % 32
        plain += [UInt8](repeating: UInt8(pad), count: pad)
        let cipher = try AES._CBC.encrypt(plain, using: key, iv: try iv(key), noPadding: true)
        return cipher.base64EncodedString()
    }

    /// The XML and appid inside an `Encrypt` text, or nil when it is not one of this key's.
    public static func decrypt(_ encrypted: String, key: SymmetricKey) -> (xml: String, appid: String)? {
        guard let cipher = Data(base64Encoded: encrypted), cipher.count % 32 == 0, !cipher.isEmpty,
              let plain = try? AES._CBC.decrypt(cipher, using: key, iv: try iv(key), noPadding: true).map({ $0 }),
              let pad = plain.last, (1...32).contains(Int(pad)), plain.count >= 20 + Int(pad)
        else { return nil }
        let body = plain.dropLast(Int(pad))
        let start = body.startIndex + 16
        let length = body[start..<start + 4].reduce(0) { $0 << 8 | Int($1) }
        guard length <= body.count - 20 else { return nil }
        let xmlBytes = body[(start + 4)..<(start + 4 + length)]
        let appidBytes = body[(start + 4 + length)...]
        guard let xml = String(bytes: xmlBytes, encoding: .utf8), let appid = String(bytes: appidBytes, encoding: .utf8) else { return nil }
        return (xml, appid)
    }

    private static func iv(_ key: SymmetricKey) throws -> AES._CBC.IV {
        try key.withUnsafeBytes { try AES._CBC.IV(ivBytes: Array($0.prefix(16))) }
    }
}
