import Foundation
import Hummingbird
import HTTPTypes
import Mustache

/// The web console under `/console`: pages rendered on the server from the same services the
/// API uses. Every page but the sign-in needs a session; every form that changes something
/// carries the session's CSRF token. Pages answer HTML, never a WeChat envelope.
public struct ConsoleRoutes: Sendable {
    let services: Services
    let sessions: ConsoleSessionStore
    let reads: ConsoleStore
    let library: MustacheLibrary

    public init(services: Services) throws {
        self.services = services
        self.sessions = ConsoleSessionStore(store: services.store)
        self.reads = ConsoleStore(store: services.store)
        var library = MustacheLibrary()
        let templates: [(String, String)] = [
            ("layout", ConsoleTemplates.layout), ("signIn", ConsoleTemplates.signIn), ("notFound", ConsoleTemplates.notFound),
            ("overview", ConsoleTemplates.overview), ("cards", ConsoleTemplates.cards), ("cardFace", ConsoleTemplates.cardFace),
            ("card", ConsoleTemplates.card), ("newCard", ConsoleTemplates.newCard), ("members", ConsoleTemplates.members),
            ("member", ConsoleTemplates.member), ("pushes", ConsoleTemplates.pushes), ("payments", ConsoleTemplates.payments),
            ("phone", ConsoleTemplates.phone), ("requests", ConsoleTemplates.requests),
        ]
        for (name, text) in templates { try library.register(text, named: name) }
        self.library = library
    }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.get("/console") { request, _ in
            if try await session(request) != nil { return redirect("/console/overview") }
            return signInPage(request)
        }
        router.post("/console/signin") { request, context in try await signIn(request, context: context) }
        action("/console/signout", on: router) { session, _ in
            try await sessions.delete(id: session.id)
            var response = redirect("/console")
            response.headers[.setCookie] = ConsoleSession.clearCookie
            return response
        }
        router.get("/console/assets/console.css") { _, _ in asset(ConsoleAssets.css, type: "text/css; charset=utf-8") }
        router.get("/console/assets/console.js") { _, _ in asset(ConsoleAssets.js, type: "text/javascript; charset=utf-8") }
        registerOverview(on: router)
        registerCards(on: router)
        registerMembers(on: router)
        // The phone view plays the user, as /sandbox/* does: production mode has neither.
        if services.sandbox { registerPhone(on: router) }
    }

    // MARK: Sessions

    func session(_ request: Request) async throws -> ConsoleSession? {
        guard let id = ConsoleSession.id(from: request) else { return nil }
        return try await sessions.session(id: id, now: ConsoleSession.wallNow()).map(ConsoleSession.init)
    }

    /// The sign-in page with a fresh sign-in token, in its form and in a cookie.
    private func signInPage(_ request: Request, problem: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        let token = ConsoleSession.newID()
        var values: [String: Any] = ["signInToken": token]
        if let problem { values["problem"] = problem }
        var response = render("signIn", title: "Sign in", session: nil, request: request, values, status: status)
        response.headers[.setCookie] = ConsoleSession.setSignInCookie(token)
        return response
    }

    private func signIn(_ request: Request, context: WXRequestContext) async throws -> Response {
        let form = try await ConsoleForm.read(request, context: context)
        guard let cookie = ConsoleSession.cookie(ConsoleSession.signInCookieName, from: request), let sent = form["signin"],
              constantTimeEquals(cookie, sent)
        else {
            return signInPage(request, problem: "This sign-in form is out of date or was not sent from the console (CSRF). Sign in again.",
                              status: .forbidden)
        }
        let id = form.text("appid") ?? "", secret = form.text("secret") ?? ""
        var appid: String?, componentAppID: String?
        if let app = try await services.apps.app(id), constantTimeEquals(app.secret, secret) {
            appid = app.appid
        } else if let stored = try await services.apps.componentSecret(id), constantTimeEquals(stored, secret) {
            componentAppID = id
        } else {
            return signInPage(request, problem: "That appid and secret do not match an app or a platform of this server.",
                              status: .unauthorized)
        }
        let row = ConsoleSessionStore.Row(id: ConsoleSession.newID(), appid: appid, component_appid: componentAppID,
                                          csrf: ConsoleSession.newID(), expires_at: ConsoleSession.wallNow() + ConsoleSession.lifetime)
        try await sessions.insert(row)
        var response = redirect("/console/overview")
        response.headers[.setCookie] = ConsoleSession.setCookie(row.id)
        return response
    }

    // MARK: Route shapes

    /// A page that needs a session. Without one it leads to the sign-in page.
    func page(_ path: RouterPath, on router: some RouterMethods<WXRequestContext>,
              _ handler: @escaping @Sendable (Request, WXRequestContext, ConsoleSession) async throws -> Response) {
        router.get(path) { request, context in
            guard let session = try await session(request) else { return redirect("/console") }
            do {
                return try await handler(request, context, session)
            } catch let missing as ConsoleMissing {
                return render("notFound", title: "Not found", session: session, request: request, ["message": missing.message], status: .notFound)
            } catch {
                return failure(error, session: session, request: request, context: context)
            }
        }
    }

    /// A page that failed: a WeChat error shows its errcode and message; anything else is
    /// logged with the rid the page shows, as the API's -1 is (HTTP 200, as WeChat answers).
    func failure(_ error: any Error, session: ConsoleSession, request: Request, context: WXRequestContext) -> Response {
        let message: String
        if let error = error as? WeChatError {
            message = "\(error.code) \(error.message)"
        } else {
            context.logger.error("system error", metadata: [
                "error": .string(String(reflecting: error)), "rid": .string(context.rid), "path": .string(request.uri.path)])
            message = "-1 system error (rid: \(context.rid))"
        }
        return render("notFound", title: "Error", session: session, request: request, ["message": message])
    }

    /// A form that changes something: it needs a session and the session's CSRF token. A
    /// WeChat error goes back to `back` (the page the form was on) with its message; nothing
    /// changed, as the service it called guarantees.
    func action(_ path: RouterPath, on router: some RouterMethods<WXRequestContext>,
                back: @escaping @Sendable (WXRequestContext) -> String = { _ in "/console/overview" },
                _ handler: @escaping @Sendable (ConsoleSession, ConsoleAction) async throws -> Response) {
        router.post(path) { request, context in
            guard let session = try await session(request) else { return redirect("/console") }
            let form = try await ConsoleForm.read(request, context: context)
            guard let csrf = form["csrf"], constantTimeEquals(csrf, session.csrf) else {
                return render("notFound", title: "Refused", session: session, request: request,
                              ["message": "This form is out of date or was not sent from the console (CSRF). Reload the page and try again."],
                              status: .forbidden)
            }
            do {
                return try await handler(session, ConsoleAction(form: form, context: context))
            } catch let error as WeChatError {
                return redirect(back(context), problem: "\(error.code) \(error.message)")
            } catch let missing as ConsoleMissing {
                return render("notFound", title: "Not found", session: session, request: request, ["message": missing.message], status: .notFound)
            } catch {
                return failure(error, session: session, request: request, context: context)
            }
        }
    }

    /// The session's app, or a 404 for a component that has not chosen one.
    func appid(_ session: ConsoleSession) throws -> String {
        guard let appid = session.appid else { throw ConsoleMissing("Choose an app on the overview first.") }
        return appid
    }

    // MARK: Answers

    func render(_ template: String, title: String, session: ConsoleSession?, request: Request, _ values: [String: Any],
                status: HTTPResponse.Status = .ok) -> Response {
        var root = values
        root["title"] = title
        if let session {
            root["csrf"] = session.csrf
            var chrome: [String: Any] = ["csrf": session.csrf]
            if let appid = session.appid { chrome["appid"] = appid }
            if let component = session.componentAppID { chrome["component"] = component }
            root["chrome"] = chrome
        }
        let query = ConsoleForm.query(request)
        if root["notice"] == nil, let notice = query.text("notice") { root["notice"] = notice }
        if root["problem"] == nil, let problem = query.text("problem") { root["problem"] = problem }
        let html = library.render(root, withTemplate: template) ?? "template \(template) is missing"
        var headers = Self.securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    /// No framing by other sites, no scripts but ours; pages are never cached (they show live data).
    static let securityHeaders: HTTPFields = {
        var fields: HTTPFields = [.cacheControl: "no-store"]
        let named = [
            ("X-Frame-Options", "DENY"), ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy",
             "default-src 'self'; img-src 'self' data: http: https:; style-src 'self' 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"),
            ("Referrer-Policy", "same-origin"),
        ]
        for (name, value) in named { if let name = HTTPField.Name(name) { fields[name] = value } }
        return fields
    }()

    func redirect(_ location: String, notice: String? = nil, problem: String? = nil) -> Response {
        var target = location
        let message = notice.map { ("notice", $0) } ?? problem.map { ("problem", $0) }
        if let (name, text) = message {
            let encoded = text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            target += (target.contains("?") ? "&" : "?") + "\(name)=\(encoded)"
        }
        var headers = Self.securityHeaders
        headers[.location] = target
        return Response(status: .seeOther, headers: headers)
    }

    func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// A submitted console form and its request.
struct ConsoleAction: Sendable {
    let form: ConsoleForm
    let context: WXRequestContext

    func parameter(_ name: String) -> String { context.parameters.get(name) ?? "" }
}

/// Something the signed-in app does not have (another app's card, an unknown code): 404.
struct ConsoleMissing: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
