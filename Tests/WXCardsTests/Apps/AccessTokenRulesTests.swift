import Testing
@testable import WXCards

/// The pure rules of Get Access Token.
@Suite struct AccessTokenRulesTests {
    let token = StoredAccessToken(appid: "wxa", token: "t", issuedAt: 1000, expiresAt: 8200, revokedAt: nil)

    @Test func validUntilSevenThousandTwoHundredSeconds() {
        #expect(AccessTokenRules.verdict(for: token, now: 1000) == .valid(appid: "wxa"))
        #expect(AccessTokenRules.verdict(for: token, now: 8199) == .valid(appid: "wxa"))
        #expect(AccessTokenRules.verdict(for: token, now: 8200) == .expired)
    }

    @Test func replacedTokenWorksUntilItsRevocation() {
        let replaced = StoredAccessToken(appid: "wxa", token: "t", issuedAt: 1000, expiresAt: 8200, revokedAt: 1300)
        #expect(AccessTokenRules.verdict(for: replaced, now: 1299) == .valid(appid: "wxa"))
        #expect(AccessTokenRules.verdict(for: replaced, now: 1300) == .superseded)
    }

    @Test func expiryWinsOverReplacement() {
        let both = StoredAccessToken(appid: "wxa", token: "t", issuedAt: 1000, expiresAt: 8200, revokedAt: 1300)
        #expect(AccessTokenRules.verdict(for: both, now: 9000) == .expired)
    }

    @Test func wellFormedTokens() {
        #expect(AccessTokenRules.isWellFormed(RandomString.make(length: AccessTokenRules.length)))
        #expect(!AccessTokenRules.isWellFormed("short"))
        #expect(!AccessTokenRules.isWellFormed(String(repeating: "a", count: AccessTokenRules.length - 1) + "!"))
        #expect(!AccessTokenRules.isWellFormed(String(repeating: "a", count: AccessTokenRules.length + 1)))
    }

    @Test func credentialsParse() throws {
        #expect(try Credential(parsing: "wxabc:s3cret", flag: "--app") == Credential(id: "wxabc", secret: "s3cret"))
        #expect(throws: ConfigurationError.self) { try Credential(parsing: "wxabc", flag: "--app") }
        #expect(throws: ConfigurationError.self) { try Credential(parsing: ":secret", flag: "--app") }
        #expect(throws: ConfigurationError.self) { try Credential(parsing: "wx abc:secret", flag: "--app") }
        let demo = Credential.makeDemo()
        #expect(demo.id.hasPrefix("wx") && demo.id.count == 18 && demo.secret.count == 32)
    }
}
