import Crypto
import Foundation

/// What goes on the wire for one attempt at a push, as a pure function of the push and the
/// server: the query string and the body. Everything is derived from the push's id, so every
/// retry sends the same bytes (WeChat's retries carry the same XML and CreateTime).
public enum PushRequestRules {
    public struct Wire: Sendable, Equatable {
        public let url: String
        public let body: String
    }

    public static func wire(pushID: String, appid: String, openid: String, createTime: Int64, xml: String, server: PushServer) throws -> Wire {
        let timestamp = String(createTime)
        let nonce = nonce(pushID)
        var query = [("signature", PushCrypto.signature(server.token, timestamp, nonce)), ("timestamp", timestamp), ("nonce", nonce)]
        if openid != PushEvent.weChatSender { query.append(("openid", openid)) }
        var body = xml
        if server.mode != .plain, let encodingAESKey = server.encodingAESKey, let key = PushCrypto.key(encodingAESKey: encodingAESKey) {
            let random = Array(SHA256.hash(data: Data("\(pushID) \(encodingAESKey)".utf8)).prefix(16))
            let encrypted = try PushCrypto.encrypt(xml, appid: server.cryptoAppID ?? appid, key: key, random: random)
            query += [("encrypt_type", "aes"), ("msg_signature", PushCrypto.signature(server.token, timestamp, nonce, encrypted))]
            let encrypt = EventXML.cdata(encrypted)
            if server.mode == .safe, server.envelope == .appID {
                body = "<xml><AppId>\(EventXML.cdata(appid))</AppId><Encrypt>\(encrypt)</Encrypt></xml>"
            } else if server.mode == .safe {
                let toUser = EventXML.cdata(AppRecord.originalID(appid: appid))
                body = "<xml><ToUserName>\(toUser)</ToUserName><Encrypt>\(encrypt)</Encrypt></xml>"
            } else {
                // Compatible: the plain elements, and Encrypt beside them.
                body = String(xml.dropLast("</xml>".count)) + "<Encrypt>\(encrypt)</Encrypt></xml>"
            }
        }
        return Wire(url: append(query, to: server.url), body: body)
    }

    /// The URL check WeChat makes when a server is configured.
    public static func verification(server: PushServer, timestamp: Int64, nonce: String, echostr: String) -> String {
        let stamp = String(timestamp)
        return append([("signature", PushCrypto.signature(server.token, stamp, nonce)), ("timestamp", stamp), ("nonce", nonce),
                       ("echostr", echostr)], to: server.url)
    }

    /// Nine digits, as WeChat's nonces are, from the push id.
    static func nonce(_ pushID: String) -> String {
        let digest = SHA256.hash(data: Data(pushID.utf8))
        let number = digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return String(100_000_000 + number % 900_000_000)
    }

    static func append(_ query: [(String, String)], to url: String) -> String {
        let text = query.map { "\($0.0)=\(percentEncoded($0.1))" }.joined(separator: "&")
        return url + (url.contains("?") ? "&" : "?") + text
    }

    /// RFC 3986's unreserved characters stay; every other byte is %XX.
    static func percentEncoded(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
