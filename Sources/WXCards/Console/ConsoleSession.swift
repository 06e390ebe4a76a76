import Foundation
import Hummingbird

/// Who is signed in to the console, and the rules of its cookie and CSRF token.
struct ConsoleSession: Sendable {
    /// The cookie's name; it is sent only under `/console`.
    static let cookieName = "wxcards_console"
    /// Twelve hours of wall time: a working day. The sandbox clock does not end a session, or
    /// advancing it from the console would sign the user out.
    static let lifetime: Int64 = 12 * 3600

    let id: String
    /// The app whose data the pages show; nil for a component that has not picked one yet.
    let appid: String?
    let componentAppID: String?
    let csrf: String

    init(_ row: ConsoleSessionStore.Row) {
        id = row.id
        appid = row.appid
        componentAppID = row.component_appid
        csrf = row.csrf
    }

    /// 43 letters and digits: 256 bits, and nothing a cookie or a form would need to escape.
    static func newID() -> String { RandomString.make(length: 43, alphabet: alphanumeric) }

    static let alphanumeric = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    static func wallNow() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// `Set-Cookie` for a new session: not readable by scripts, never sent from another site,
    /// and gone when the session would end anyway.
    static func setCookie(_ id: String) -> String {
        "\(cookieName)=\(id); Path=/console; HttpOnly; SameSite=Strict; Max-Age=\(lifetime)"
    }

    static let clearCookie = "\(cookieName)=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0"

    /// The sign-in form's own CSRF token, before any session exists: the page sets it as a
    /// cookie and puts it in the form; a sign-in is taken only when the two agree. Another site
    /// can neither read the cookie nor make the browser send it, so it cannot sign a browser in
    /// to an app of its choosing.
    static let signInCookieName = "wxcards_console_signin"

    static func setSignInCookie(_ token: String) -> String {
        "\(signInCookieName)=\(token); Path=/console; HttpOnly; SameSite=Strict; Max-Age=3600"
    }

    /// The session id from the request's `Cookie` header, if it has one of ours.
    static func id(from request: Request) -> String? { cookie(cookieName, from: request) }

    /// One of our cookies (43 letters and digits), if the request has it.
    static func cookie(_ name: String, from request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name else { continue }
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                // Our ids are 43 letters and digits; anything else is no session at all.
                if value.count == 43, value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) { return value }
            }
        }
        return nil
    }
}
