import Hummingbird

/// The overview: the app's facts, the sandbox clock, and for a platform the apps to look at.
extension ConsoleRoutes {
    func registerOverview(on router: some RouterMethods<WXRequestContext>) {
        page("/console/overview", on: router) { request, _, session in
            guard let appid = session.appid else {
                let component = session.componentAppID ?? ""
                let apps = try await sessions.authorizedApps(componentAppID: component).map { ["appid": $0] }
                return render("overview", title: "Overview", session: session, request: request,
                              ["pickApp": ["component": component, "apps": apps] as [String: Any]])
            }
            guard let app = try await services.apps.app(appid) else { throw ConsoleMissing("The app no longer exists.") }
            let now = try await services.clock.now()
            let token = try await services.apps.currentToken(appid: appid, now: now)
            let server = try await services.pushes.server(appid: appid)
            let facts: [String: Any] = [
                "appid": app.appid, "originalID": app.originalID, "entity": app.entity,
                "pay": app.payEnabled ? "enabled" : "not enabled",
                "tokenStatus": token.map { "issued \(ConsoleText.time($0.issuedAt)), expires \(ConsoleText.time($0.expiresAt))" }
                    ?? "none working: fetch one with /cgi-bin/token",
                "pushServer": server.map { "\($0.url) (\($0.mode.rawValue) mode)" } ?? "none set",
                "reviewMode": services.cards.reviewMode == .auto ? "auto: new cards pass at once" : "manual: pass or reject each card here",
                "now": now, "nowText": ConsoleText.time(now), "sandbox": services.sandbox, "shared": services.sandbox,
            ]
            return render("overview", title: "Overview", session: session, request: request, ["app": facts])
        }
        action("/console/clock", on: router) { _, action in
            // The same bound as `POST /sandbox/clock`: a hundred years per move.
            let seconds = try action.form.integer("seconds", in: 0...ClockRoutes.maxAdvance) ?? 0
            let now = try await services.clock.advance(by: seconds)
            return redirect("/console/overview", notice: "The sandbox clock is now \(ConsoleText.time(now)).")
        }
        action("/console/app", on: router) { session, action in
            // Only an app that authorized this platform; an app's own session cannot switch.
            guard let component = session.componentAppID, let appid = action.form.text("appid"),
                  try await sessions.authorizedApps(componentAppID: component).contains(appid)
            else { throw ConsoleMissing("That app has not authorized this platform.") }
            try await sessions.setApp(id: session.id, appid: appid)
            return redirect("/console/overview")
        }
    }
}
