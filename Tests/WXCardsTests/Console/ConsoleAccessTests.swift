import Foundation
import Testing
@testable import WXCards

/// The console's doors: sign-in, the session cookie, CSRF, escaping, and one app's ids being
/// unknown to another app's session.
@Suite struct ConsoleAccessTests {
    static let pages = ["/console/overview", "/console/cards", "/console/cards/new", "/console/cards/pAnyCard", "/console/members",
                        "/console/members/pAnyCard/123", "/console/pushes", "/console/requests", "/console/payments", "/console/phone/o1"]
    static let actions = ["/console/clock", "/console/cards", "/console/cards/pAnyCard/review", "/console/pushes/1/redeliver",
                          "/console/phone/o1/claim", "/console/phone/o1/submit", "/console/phone/o1/gift", "/console/phone/o1/delete",
                          "/console/phone/o1/pay", "/console/app", "/console/signout"]

    @Test func everyPageAndFormNeedsASession() async throws {
        try await withTestServer { server in
            let browser = ConsoleBrowser(server)
            let signIn = try await browser.get("/console")
            #expect(signIn.status == .ok && signIn.html.contains("name=\"secret\""))
            for path in Self.pages {
                let page = try await browser.get(path)
                #expect(page.status == .seeOther && page.location == "/console", "\(path): \(page.status)")
            }
            for path in Self.actions {
                let page = try await browser.post(path, ["csrf": "x"])
                #expect(page.status == .seeOther && page.location == "/console", "\(path): \(page.status)")
            }
            // A made-up cookie is no session either.
            var forged = browser
            forged.cookie = "wxcards_console=" + String(repeating: "a", count: 43)
            #expect(try await forged.get("/console/cards").location == "/console")
        }
    }

    @Test func signInSetsAStrictHttpOnlyExpiringCookieAndSignOutEndsIt() async throws {
        try await withTestServer { server in
            var browser = ConsoleBrowser(server)
            let wrong = try await browser.attemptSignIn(appid: testApp.id, secret: "0123456789abcdef0123456789abcdeX")
            #expect(wrong.status == .unauthorized && wrong.setCookie?.hasPrefix("wxcards_console=") != true && wrong.html.contains("do not match"))
            // Without the sign-in form's token (a form posted from another site): refused.
            let forged = try await browser.post("/console/signin", ["appid": testApp.id, "secret": testApp.secret])
            #expect(forged.status == .forbidden && forged.setCookie?.hasPrefix("wxcards_console=") != true)
            let signedIn = try await browser.attemptSignIn(appid: testApp.id, secret: testApp.secret)
            let cookie = try #require(signedIn.setCookie)
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Max-Age=43200")
                && cookie.contains("Path=/console"))
            try await browser.signIn()
            let overview = try await browser.get("/console/overview")
            #expect(overview.status == .ok && overview.html.contains(testApp.id) && overview.html.contains(AppRecord.originalID(appid: testApp.id)))
            // The secret and the token never show.
            _ = try await server.token()
            let withToken = try await browser.get("/console/overview")
            #expect(!withToken.html.contains(testApp.secret) && withToken.html.contains("issued"))
            let out = try await browser.submit("/console/signout", from: "/console/overview", [:])
            #expect(out.status == .seeOther && out.setCookie?.contains("Max-Age=0") == true)
            #expect(try await browser.get("/console/overview").location == "/console")
        }
    }

    @Test func aFormWithoutTheSessionsCSRFTokenChangesNothing() async throws {
        try await withTestServer { server in
            var browser = ConsoleBrowser(server)
            try await browser.signIn()
            let before = try await server.services.clock.now()
            let refused = try await browser.post("/console/clock", ["csrf": String(repeating: "A", count: 43), "seconds": "86400"])
            #expect(refused.status == .forbidden && refused.html.contains("CSRF"))
            let missing = try await browser.post("/console/cards", ["title": "x", "brand_name": "y"])
            #expect(missing.status == .forbidden)
            #expect(try await server.services.clock.now() - before < 5)
            #expect(try await server.services.cards.cards.all(appid: testApp.id).isEmpty)
            // With the token, the same form works.
            let moved = try await browser.submit("/console/clock", from: "/console/overview", ["seconds": "86400"])
            #expect(moved.status == .seeOther && moved.location?.hasPrefix("/console/overview?notice=") == true)
            #expect(try await server.services.clock.now() - before >= 86400)
            // Out of range: a WeChat error on the page, nothing moved, no trap.
            let huge = try await browser.submit("/console/clock", from: "/console/overview", ["seconds": "99999999999999999999999"])
            #expect(huge.location?.contains("problem=40097") == true)
        }
    }

    @Test func callerTextIsEscapedEverywhere() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let script = "<script>alert(1)</script>"
            let cardID = try await server.createMemberCard(token: token, base: ["title": script])
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            _ = try await server.post("/card/membercard/activate", token: token, json: MemberPayloads.activate(code: code, cardID: cardID))
            _ = try await server.post("/card/membercard/updateuser", token: token,
                                      json: ["card_id": cardID, "code": code, "add_bonus": 5, "record_bonus": "<b>bold</b>"])
            var browser = ConsoleBrowser(server)
            try await browser.signIn()
            for path in ["/console/cards", "/console/cards/\(cardID)", "/console/members/\(cardID)/\(code)", "/console/phone/\(openid(1))",
                         "/console/members"] {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.html.contains("<script>alert") && !page.html.contains("<b>bold"), "\(path) is not escaped")
            }
            #expect(try await browser.get("/console/cards/\(cardID)").html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(try await browser.get("/console/members/\(cardID)/\(code)").html.contains("&lt;b&gt;bold&lt;/b&gt;"))
            // A reflected notice is escaped too.
            #expect(try await browser.get("/console/overview?notice=%3Cscript%3E").html.contains("&lt;script&gt;"))
        }
    }

    @Test(arguments: TestEngine.available)
    func anotherAppsIdsAreNotFound(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            try await server.addPlatforms()
            let other = try await server.token(for: merchantB)
            let cardID = try await server.createMemberCard(token: other)
            let code = try await server.claimCode(cardID, openid: openid(1), token: other)
            var browser = ConsoleBrowser(server)
            try await browser.signIn()
            #expect(try await browser.get("/console/cards/\(cardID)").status == .notFound)
            #expect(try await browser.get("/console/members/\(cardID)/\(code)").status == .notFound)
            #expect(try await !browser.get("/console/members?q=\(code)").html.contains("/console/members/\(cardID)/"))
            #expect(try await !browser.get("/console/cards").html.contains(cardID))
            #expect(try await !browser.get("/console/phone/\(openid(1))").html.contains(code))
            // Acting on it fails as the API would, and changes nothing.
            let claim = try await browser.submit("/console/phone/\(openid(2))/claim", from: "/console/phone/\(openid(2))", ["card_id": cardID])
            #expect(claim.location?.contains("problem=40073") == true, "\(claim.location ?? "")")
            let review = try await browser.submit("/console/cards/\(cardID)/review", from: "/console/cards", ["pass": "true"])
            #expect(review.location?.contains("problem=") == true)
            #expect(try await server.services.members.store.bag(appid: merchantB.id, openid: openid(2), cardID: nil, limit: 10).isEmpty)
        }
    }

    @Test func aPlatformSeesOnlyTheAppsThatAuthorizedIt() async throws {
        try await withTestServer { server in
            try await server.addPlatforms()
            let appToken = try await server.token()
            let componentToken = try await server.componentAccessToken(appToken: appToken)
            _ = try await server.authorize(componentToken: componentToken)
            var browser = ConsoleBrowser(server)
            try await browser.signIn(testComponent)
            let picker = try await browser.get("/console/overview")
            #expect(picker.html.contains(testApp.id) && !picker.html.contains(merchantB.id))
            #expect(try await browser.get("/console/cards").status == .notFound)
            let refused = try await browser.submit("/console/app", from: "/console/overview", ["appid": merchantB.id])
            #expect(refused.status == .notFound)
            let chosen = try await browser.submit("/console/app", from: "/console/overview", ["appid": testApp.id])
            #expect(chosen.location == "/console/overview")
            #expect(try await browser.get("/console/cards").status == .ok)
            #expect(try await browser.get("/console/overview").html.contains(AppRecord.originalID(appid: testApp.id)))
        }
    }

    @Test func theConsoleCanBeTurnedOff() async throws {
        try await withTestServer(console: false) { server in
            let answer = try await server.get("/console")
            #expect(errcode(answer) != 0)
            #expect(try await ConsoleBrowser(server).get("/console/cards").status == .notFound)
        }
    }

    @Test func productionModeHasNoPhoneViewAndNoClock() async throws {
        try await withTestServer(sandbox: false) { server in
            var browser = ConsoleBrowser(server)
            try await browser.signIn()
            #expect(try await browser.get("/console/phone/o1").status == .notFound)
            let overview = try await browser.get("/console/overview")
            #expect(overview.status == .ok && !overview.html.contains("/console/clock"))
            let moved = try await browser.submit("/console/clock", from: "/console/cards", ["seconds": "60"])
            #expect(moved.location?.contains("problem=48001") == true)
        }
    }
}
