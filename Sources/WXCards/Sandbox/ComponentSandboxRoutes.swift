import Hummingbird

/// `/sandbox/component/*`: WeChat's side of the third-party chain, which a platform cannot
/// drive for real without a merchant and a phone: its message settings, a verify ticket on
/// demand, and the merchant's approval (or withdrawal) of the component.
public struct ComponentSandboxRoutes: Sendable {
    let components: Components

    public init(components: Components) { self.components = components }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/sandbox/component/server") { request, _ in
            let body = try await JSONBody.decodeSandbox(ServerRequest.self, from: request)
            let component = try await components.configure(componentAppID: body.component_appid, .init(
                authURL: body.auth_url, messageURL: body.message_url, token: body.token, encodingAESKey: body.encoding_aes_key))
            return OK(ServerView(component_appid: component.componentAppID, auth_url: component.settings.authURL,
                                 message_url: component.settings.messageURL))
        }
        router.wechatPOST("/sandbox/component/verify_ticket") { request, _ in
            let body = try await JSONBody.decodeSandbox(TicketRequest.self, from: request)
            return OK(Ticket(component_verify_ticket: try await components.verifyTicket(componentAppID: body.component_appid)))
        }
        router.wechatPOST("/sandbox/component/authorize") { request, context in
            let body = try await JSONBody.decodeSandbox(AuthorizeRequest.self, from: request)
            let code = try await components.authorize(
                caller: try caller(context), componentAppID: body.component_appid, preAuthCode: body.pre_auth_code,
                authorizerAppID: body.authorizer_appid, funcScope: body.func_scope)
            return OK(AuthCode(auth_code: code, expires_in: ComponentRules.authCodeLifetime))
        }
        router.wechatPOST("/sandbox/component/unauthorize") { request, context in
            let body = try await JSONBody.decodeSandbox(TicketRequest.self, from: request)
            try await components.unauthorize(caller: try caller(context), componentAppID: body.component_appid)
            return OK.ok
        }
    }

    private func caller(_ context: WXRequestContext) throws -> AccessTokens.Caller {
        AccessTokens.Caller(appid: try context.requireAppID(), componentAppID: context.componentAppID)
    }

    struct ServerRequest: SandboxBody {
        static let schema: [String: Field] = [
            "component_appid": .optional(.text), "auth_url": .optional(.text), "message_url": .optional(.text),
            "token": .optional(.text), "encoding_aes_key": .optional(.text),
        ]
        let component_appid: String?; let auth_url: String?; let message_url: String?; let token: String?; let encoding_aes_key: String?
    }
    struct TicketRequest: SandboxBody {
        static let schema: [String: Field] = ["component_appid": .optional(.text)]
        let component_appid: String?
    }
    struct AuthorizeRequest: SandboxBody {
        static let schema: [String: Field] = [
            "component_appid": .optional(.text), "pre_auth_code": .required(.text), "authorizer_appid": .required(.text),
            "func_scope": .optional(.array(of: .int)),
        ]
        let component_appid: String?; let pre_auth_code: String?; let authorizer_appid: String?; let func_scope: [Int]?
    }
    struct ServerView: Encodable, Sendable {
        let component_appid: String; let auth_url: String?; let message_url: String?

        /// Unset URLs are written as null rather than left out; the token and key never are.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(component_appid, forKey: .component_appid)
            try container.encode(auth_url, forKey: .auth_url)
            try container.encode(message_url, forKey: .message_url)
        }
        enum CodingKeys: String, CodingKey { case component_appid, auth_url, message_url }
    }
    struct Ticket: Encodable, Sendable { let component_verify_ticket: String }
    struct AuthCode: Encodable, Sendable { let auth_code: String; let expires_in: Int64 }
}
