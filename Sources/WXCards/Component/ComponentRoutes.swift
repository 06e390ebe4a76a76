import Hummingbird

/// The component API (api-spec §9.1) under `/cgi-bin/component/`. Every call but
/// `api_component_token` carries the component token as `?component_access_token=` (or, as
/// WeChat's newer documents write it, `?access_token=`). Answers are bare JSON, as WeChat's.
public struct ComponentRoutes: Sendable {
    let components: Components

    public init(components: Components) { self.components = components }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/cgi-bin/component/api_component_token") { request, _ in
            let body = try await JSONBody.decode(TokenRequest.self, from: request)
            return PlainJSON(try await components.componentToken(
                componentAppID: body.component_appid, secret: body.component_appsecret, ticket: body.component_verify_ticket))
        }
        router.wechatPOST("/cgi-bin/component/api_create_preauthcode") { request, _ in
            let caller = try await caller(request)
            let body = try await JSONBody.decode(ComponentRequest.self, from: request)
            return PlainJSON(try await components.preAuthCode(caller: caller, componentAppID: body.component_appid))
        }
        router.wechatPOST("/cgi-bin/component/api_query_auth") { request, _ in
            let caller = try await caller(request)
            let body = try await JSONBody.decode(QueryAuthRequest.self, from: request)
            return PlainJSON(try await components.queryAuth(
                caller: caller, componentAppID: body.component_appid, authorizationCode: body.authorization_code))
        }
        router.wechatPOST("/cgi-bin/component/api_authorizer_token") { request, _ in
            let caller = try await caller(request)
            let body = try await JSONBody.decode(AuthorizerTokenRequest.self, from: request)
            return PlainJSON(try await components.authorizerToken(
                caller: caller, componentAppID: body.component_appid, authorizerAppID: body.authorizer_appid,
                refreshToken: body.authorizer_refresh_token))
        }
        router.wechatPOST("/cgi-bin/component/api_get_authorizer_info") { request, _ in
            let caller = try await caller(request)
            let body = try await JSONBody.decode(AuthorizerRequest.self, from: request)
            return PlainJSON(try await components.authorizerInfo(
                caller: caller, componentAppID: body.component_appid, authorizerAppID: body.authorizer_appid))
        }
    }

    /// The component of the request's token: checked before the body is read, as WeChat does.
    private func caller(_ request: Request) async throws -> String {
        let query = request.uri.queryParameters
        return try await components.componentAppID(forToken: query.get("component_access_token") ?? query.get("access_token"))
    }

    struct TokenRequest: CheckedBody {
        static let schema: [String: Field] = [
            "component_appid": .optional(.text), "component_appsecret": .optional(.text), "component_verify_ticket": .optional(.text),
        ]
        let component_appid: String?; let component_appsecret: String?; let component_verify_ticket: String?
    }
    struct ComponentRequest: CheckedBody {
        static let schema: [String: Field] = ["component_appid": .optional(.text)]
        let component_appid: String?
    }
    struct QueryAuthRequest: CheckedBody {
        static let schema: [String: Field] = ["component_appid": .optional(.text), "authorization_code": .optional(.text)]
        let component_appid: String?; let authorization_code: String?
    }
    struct AuthorizerTokenRequest: CheckedBody {
        static let schema: [String: Field] = [
            "component_appid": .optional(.text), "authorizer_appid": .optional(.text), "authorizer_refresh_token": .optional(.text),
        ]
        let component_appid: String?; let authorizer_appid: String?; let authorizer_refresh_token: String?
    }
    struct AuthorizerRequest: CheckedBody {
        static let schema: [String: Field] = ["component_appid": .optional(.text), "authorizer_appid": .optional(.text)]
        let component_appid: String?; let authorizer_appid: String?
    }
}
