import Crypto
import Foundation
import Testing
@testable import WXCards

/// WeChat's message crypto against the published test vector (token `123456`, EncodingAESKey
/// `kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR`, id `wx49f0ab532d5d035a`), as the SDKs test it.
@Suite struct PushCryptoTests {
    static let token = "123456"
    static let encodingAESKey = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
    static let appid = "wx49f0ab532d5d035a"

    @Test func encryptionMatchesTheTestVector() throws {
        let xml = """
            <xml>
            <MsgType><![CDATA[text]]></MsgType>
            <Content><![CDATA[test]]></Content>
            <FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>
            <ToUserName><![CDATA[messense]]></ToUserName>
            <AgentID>1</AgentID>
            <CreateTime>1411525903</CreateTime>
            </xml>
            """
        let key = try #require(PushCrypto.key(encodingAESKey: Self.encodingAESKey))
        let encrypted = try PushCrypto.encrypt(xml, appid: Self.appid, key: key, random: Array("1234567890123456".utf8))
        #expect(encrypted == "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3")
        #expect(PushCrypto.signature(Self.token, "1411525903", "461056294", encrypted) == "407518b7649e86ef23978113f92d27afa9296533")
        let decrypted = try #require(PushCrypto.decrypt(encrypted, key: key))
        #expect(decrypted.xml == xml)
        #expect(decrypted.appid == Self.appid)
    }

    @Test func decryptionOfTheTestVectorsMessage() throws {
        let encrypted = "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0="
        #expect(PushCrypto.signature(Self.token, "1411525903", "461056294", encrypted) == "74d92dfeb87ba7c714f89d98870ae5eb62dff26d")
        let key = try #require(PushCrypto.key(encodingAESKey: Self.encodingAESKey))
        let decrypted = try #require(PushCrypto.decrypt(encrypted, key: key))
        #expect(decrypted.appid == Self.appid)
        #expect(xmlElements(decrypted.xml)["Content"] == "test")
        #expect(xmlElements(decrypted.xml)["FromUserName"] == "messense")
        // Another key does not open it.
        let other = try #require(PushCrypto.key(encodingAESKey: String(repeating: "a", count: 43)))
        #expect(PushCrypto.decrypt(encrypted, key: other)?.appid != Self.appid)
    }

    @Test func signaturesAreSha1OfTheSortedParts() {
        let echo = "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q=="
        #expect(PushCrypto.signature(Self.token, "1411443780", "437374425", echo) == "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96")
        #expect(PushCrypto.signature(Self.token, "1411443780", "437374424", echo) != "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96")
    }

    @Test func keysAre43LettersAndDigits() {
        #expect(PushCrypto.key(encodingAESKey: Self.encodingAESKey) != nil)
        #expect(PushCrypto.key(encodingAESKey: String(Self.encodingAESKey.dropLast())) == nil)
        #expect(PushCrypto.key(encodingAESKey: String(Self.encodingAESKey.dropLast()) + "+") == nil)
    }

    @Test func cdataSplitsItsTerminator() {
        let xml = EventXML([("A", .text("x]]>y")), ("B", .number(-3))]).text
        #expect(xml == "<xml><A><![CDATA[x]]]]><![CDATA[>y]]></A><B>-3</B></xml>")
    }

    @Test func originalIDsAreStableAndDistinct() {
        let one = AppRecord.originalID(appid: "wx1234567890abcdef")
        #expect(one.wholeMatch(of: /gh_[0-9a-f]{12}/) != nil)
        #expect(one == AppRecord.originalID(appid: "wx1234567890abcdef"))
        #expect(one != AppRecord.originalID(appid: "wx1234567890abcdee"))
    }

    @Test func serverRulesNameTheField() {
        func code(_ url: String?, _ token: String?, _ mode: String?, _ key: String?) -> Int {
            thrownErrcode { try PushServerRules.check(url: url, token: token, mode: mode, encodingAESKey: key) }
        }
        #expect(code("http://127.0.0.1:9/x", "token123", nil, nil) == 0)
        #expect(code("https://example.com/wx", "token123", "safe", Self.encodingAESKey) == 0)
        #expect(code(nil, "token123", nil, nil) == 41011)
        #expect(code("http://a/b", nil, nil, nil) == 41011)
        #expect(code("ftp://a/b", "token123", nil, nil) == 40097)
        #expect(code("not a url", "token123", nil, nil) == 40097)
        #expect(code("http://a/b", "t!", nil, nil) == 40097)
        #expect(code("http://a/b", "token123", "loud", nil) == 40097)
        #expect(code("http://a/b", "token123", "safe", nil) == 41011)
        #expect(code("http://a/b", "token123", "compatible", "short") == 40097)
    }
}
