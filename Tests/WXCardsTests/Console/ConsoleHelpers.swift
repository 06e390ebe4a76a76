import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import WXCards

/// A browser's view of the console through the in-process client: one cookie jar, HTML pages.
struct ConsoleBrowser: Sendable {
    let server: TestServer
    var cookie: String?

    struct Page: Sendable {
        let status: HTTPResponse.Status
        let html: String
        let location: String?
        let setCookie: String?

        /// The page's CSRF token (every form that changes something carries it).
        var csrf: String? { html.firstMatch(#"name="csrf" value="([A-Za-z0-9]+)""#) }
    }

    init(_ server: TestServer) { self.server = server }

    func get(_ path: String) async throws -> Page {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        return try await server.client.execute(uri: path, method: .get, headers: headers) { Self.page($0) }
    }

    func post(_ path: String, _ form: [String: String]) async throws -> Page {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        let allowed = CharacterSet.alphanumerics
        let body = form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
        return try await server.client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body)) { Self.page($0) }
    }

    /// Signs in; the browser keeps the session cookie.
    mutating func signIn(_ credential: Credential = testApp) async throws {
        let page = try await attemptSignIn(appid: credential.id, secret: credential.secret)
        #expect(page.status == .seeOther && page.location == "/console/overview", "\(page.status) \(page.html)")
        let setCookie = try #require(page.setCookie)
        cookie = String(setCookie.prefix { $0 != ";" })
    }

    /// The sign-in form as a browser sends it: the page's sign-in token in the form and in
    /// its cookie.
    func attemptSignIn(appid: String, secret: String) async throws -> Page {
        let form = try await get("/console")
        let token = try #require(form.html.firstMatch(#"name="signin" value="([A-Za-z0-9]+)""#))
        #expect(form.setCookie?.hasPrefix("wxcards_console_signin=\(token);") == true)
        var browser = self
        browser.cookie = "wxcards_console_signin=\(token)"
        return try await browser.post("/console/signin", ["appid": appid, "secret": secret, "signin": token])
    }

    /// Posts a form of the page at `from` with its CSRF token; answers the redirect's target.
    func submit(_ action: String, from: String, _ form: [String: String]) async throws -> Page {
        let csrf = try #require(try await get(from).csrf, "no CSRF token on \(from)")
        return try await post(action, form.merging(["csrf": csrf]) { $1 })
    }

    static func page(_ response: TestResponse) -> Page {
        Page(status: response.status, html: String(buffer: response.body), location: response.headers[.location],
             setCookie: response.headers[.setCookie])
    }
}

extension String {
    /// The first capture group of `pattern`.
    func firstMatch(_ pattern: String) -> String? {
        guard let regex = try? NSRegularExpression(pattern: pattern),
              let match = regex.firstMatch(in: self, range: NSRange(startIndex..., in: self)), match.numberOfRanges > 1,
              let range = Range(match.range(at: 1), in: self) else { return nil }
        return String(self[range])
    }
}
