import Hummingbird

/// `GET /cgi-bin/token` and `POST /cgi-bin/stable_token` (Get Access Token).
public struct TokenRoutes: Sendable {
    let tokens: AccessTokens

    public init(tokens: AccessTokens) { self.tokens = tokens }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.get("/cgi-bin/token") { request, _ in
            let query = request.uri.queryParameters
            return PlainJSON(try await tokens.fetch(
                grantType: query.get("grant_type"), appid: query.get("appid"), secret: query.get("secret")))
        }
        router.wechatPOST("/cgi-bin/stable_token") { request, _ in
            let body = try await JSONBody.decode(StableTokenRequest.self, from: request)
            return PlainJSON(try await tokens.stable(
                grantType: body.grant_type, appid: body.appid, secret: body.secret,
                forceRefresh: body.force_refresh ?? false))
        }
    }

    struct StableTokenRequest: CheckedBody {
        static let schema: [String: Field] = [
            "grant_type": .optional(.enumeration(["client_credential"])), "appid": .optional(.text), "secret": .optional(.text),
            "force_refresh": .optional(.bool),
        ]
        let grant_type: String?
        let appid: String?
        let secret: String?
        let force_refresh: Bool?
    }
}
