import Foundation
import Testing
@testable import WXCards

/// `GET /cgi-bin/token`, `POST /cgi-bin/stable_token`, and the token check of every API (Get Access Token).
@Suite struct AccessTokenTests {
    let base = "/cgi-bin/token?grant_type=client_credential"

    @Test func fetchAnswersTokenAndExpiresIn() async throws {
        try await withTestServer { server in
            let answer = try await server.get("\(base)&appid=\(testApp.id)&secret=\(testApp.secret)")
            #expect(answer["expires_in"] as? Int == 7200)
            #expect((answer["access_token"] as? String)?.count == AccessTokenRules.length)
            #expect(answer["errcode"] == nil)
        }
    }

    @Test(arguments: [
        ("&appid=wxunknown00000000&secret=x", 40013, "invalid appid"),
        ("&appid=\(testApp.id)&secret=wrong", 40125, "invalid appsecret"),
        ("&secret=x", 41002, "appid missing"),
        ("&appid=\(testApp.id)", 41004, "appsecret missing"),
        ("&appid=&secret=x", 41002, "appid missing"),
    ])
    func fetchErrors(query: String, code: Int, text: String) async throws {
        try await withTestServer { server in
            let answer = try await server.get(base + query)
            #expect(errcode(answer) == code)
            #expect((answer["errmsg"] as? String)?.hasPrefix(text + " rid: ") == true)
        }
    }

    @Test func badGrantTypeIs40002() async throws {
        try await withTestServer { server in
            let answer = try await server.get("/cgi-bin/token?grant_type=password&appid=\(testApp.id)&secret=\(testApp.secret)")
            #expect(errcode(answer) == 40002)
            let missing = try await server.get("/cgi-bin/token?appid=\(testApp.id)&secret=\(testApp.secret)")
            #expect(errcode(missing) == 40002)
        }
    }

    @Test func missingTokenIs41001() async throws {
        try await withTestServer { server async throws in
            #expect(try await errcode(server.post("/sandbox/clock", token: nil, json: ["advance_seconds": 0])) == 41001)
            #expect(try await errcode(server.post("/sandbox/clock", token: "", json: ["advance_seconds": 0])) == 41001)
        }
    }

    @Test func malformedTokenIs40014AndUnknownIs40001() async throws {
        try await withTestServer { server async throws in
            #expect(try await errcode(server.post("/sandbox/clock", token: "garbage", json: [:])) == 40014)
            let unknown = String(repeating: "A", count: AccessTokenRules.length)
            #expect(try await errcode(server.post("/sandbox/clock", token: unknown, json: [:])) == 40001)
        }
    }

    @Test func tokenCheckComesBeforeTheBody() async throws {
        try await withTestServer { server async throws in
            #expect(try await errcode(server.post("/sandbox/clock", token: nil, raw: "{broken")) == 41001)
        }
    }

    @Test func tokenExpiresAfter7200SecondsOnTheServerClock() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let advance = try await server.post("/sandbox/clock", token: token, json: ["advance_seconds": 7199])
            #expect(errcode(advance) == 0)
            #expect(try await errcode(server.post("/sandbox/clock", token: token, json: ["advance_seconds": 1])) == 0)
            // Now exactly 7200 s after issue.
            let expired = try await server.post("/sandbox/clock", token: token, json: ["advance_seconds": 0])
            #expect(errcode(expired) == 42001)
            #expect((expired["errmsg"] as? String)?.hasPrefix("access_token expired") == true)
        }
    }

    @Test func previousTokenWorksFiveMinutesAfterANewFetch() async throws {
        try await withTestServer { server in
            let old = try await server.token()
            let new = try await server.token()
            #expect(old != new)
            #expect(try await errcode(server.post("/sandbox/clock", token: old, json: ["advance_seconds": 299])) == 0)
            #expect(try await errcode(server.post("/sandbox/clock", token: old, json: ["advance_seconds": 1])) == 0)
            // 300 s after the new fetch: the old token is gone, the new one works.
            let stale = try await server.post("/sandbox/clock", token: old, json: ["advance_seconds": 0])
            #expect(errcode(stale) == 40001)
            #expect(try await errcode(server.post("/sandbox/clock", token: new, json: ["advance_seconds": 0])) == 0)
        }
    }

    @Test func onlyThePreviousTokenGetsTheHandOver() async throws {
        try await withTestServer { server in
            let first = try await server.token()
            _ = try await server.token()
            _ = try await server.token()
            #expect(try await errcode(server.post("/sandbox/clock", token: first, json: ["advance_seconds": 0])) == 40001)
        }
    }

    @Test func stableTokenReturnsTheSameTokenWhileItWorks() async throws {
        try await withTestServer { server in
            let body: [String: Any] = ["grant_type": "client_credential", "appid": testApp.id, "secret": testApp.secret]
            let first = try await server.post("/cgi-bin/stable_token", token: nil, json: body)
            let token = try #require(first["access_token"] as? String)
            #expect(first["expires_in"] as? Int == 7200)
            #expect(try await errcode(server.post("/sandbox/clock", token: token, json: ["advance_seconds": 100])) == 0)
            let second = try await server.post("/cgi-bin/stable_token", token: nil, json: body)
            #expect(second["access_token"] as? String == token)
            #expect(second["expires_in"] as? Int == 7100)
        }
    }

    @Test func stableTokenForceRefreshReplacesTheOldTokenAtOnce() async throws {
        try await withTestServer { server in
            var body: [String: Any] = ["grant_type": "client_credential", "appid": testApp.id, "secret": testApp.secret]
            let old = try #require(try await server.post("/cgi-bin/stable_token", token: nil, json: body)["access_token"] as? String)
            body["force_refresh"] = true
            let new = try #require(try await server.post("/cgi-bin/stable_token", token: nil, json: body)["access_token"] as? String)
            #expect(new != old)
            #expect(try await errcode(server.post("/sandbox/clock", token: old, json: ["advance_seconds": 0])) == 40001)
            #expect(try await errcode(server.post("/sandbox/clock", token: new, json: ["advance_seconds": 0])) == 0)
        }
    }

    @Test func stableTokenErrors() async throws {
        try await withTestServer { server in
            let wrong = try await server.post("/cgi-bin/stable_token", token: nil,
                json: ["grant_type": "client_credential", "appid": testApp.id, "secret": "nope"])
            #expect(errcode(wrong) == 40125)
            let badType = try await server.post("/cgi-bin/stable_token", token: nil,
                json: ["grant_type": "client_credential", "appid": testApp.id, "secret": testApp.secret, "force_refresh": "yes"])
            #expect(errcode(badType) == 47001)
            #expect(try await errcode(server.post("/cgi-bin/stable_token", token: nil, raw: "[]")) == 47001)
        }
    }

    @Test func aTokenStandsForItsOwnAppOnly() async throws {
        try await withTestServer { server in
            let other = Credential(id: "wxother0000000001", secret: "othersecret")
            try await server.services.apps.upsertApp(other, now: 0)
            let mine = try await server.token()
            let theirs = try await server.token(for: other)
            #expect(try await server.services.tokens.appid(forToken: mine) == testApp.id)
            #expect(try await server.services.tokens.appid(forToken: theirs) == other.id)
            // A new token for the other app does not touch this app's token.
            _ = try await server.token(for: other)
            _ = try await server.token(for: other)
            #expect(try await server.services.tokens.appid(forToken: mine) == testApp.id)
        }
    }

    @Test func restartingWithAnAppUpdatesItsSecret() async throws {
        try await withTestServer { server in
            try await server.services.apps.upsertApp(Credential(id: testApp.id, secret: "rotated"), now: 0)
            let old = try await server.get("\(base)&appid=\(testApp.id)&secret=\(testApp.secret)")
            #expect(errcode(old) == 40125)
            let new = try await server.get("\(base)&appid=\(testApp.id)&secret=rotated")
            #expect(new["access_token"] != nil)
        }
    }
}
