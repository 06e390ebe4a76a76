import Hummingbird

/// The message server's sandbox side: configuring it (WeChat's console), the journal of what
/// was pushed, redelivery, and the two user actions that only push (viewing a card, entering
/// the chat from it).
public struct PushRoutes: Sendable {
    let servers: PushServers
    let pushes: PushStore
    let delivery: PushDelivery
    let members: Members

    public init(servers: PushServers, pushes: PushStore, delivery: PushDelivery, members: Members) {
        self.servers = servers
        self.pushes = pushes
        self.delivery = delivery
        self.members = members
    }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/sandbox/app/server") { request, context in
            let body = try await JSONBody.decodeSandbox(ServerRequest.self, from: request)
            let server = try await servers.configure(appid: try context.requireAppID(), url: body.url, token: body.token,
                                                     mode: body.mode, encodingAESKey: body.encoding_aes_key)
            return OK(AppSettingsRoutes.ServerView(url: server.url, mode: server.mode.rawValue))
        }
        router.get("/sandbox/events") { request, context in
            let query = request.uri.queryParameters
            let limit = try ListPage.count(query.get("limit"), field: "limit")
            let entries = try await pushes.journal(appid: try context.requireAppID(), .init(
                event: query.get("event"), cardID: query.get("card_id"), openid: query.get("openid"), limit: limit))
            return OK(Events(events: entries))
        }
        router.wechatPOST("/sandbox/events/redeliver") { request, context in
            let body = try await JSONBody.decodeSandbox(RedeliverRequest.self, from: request)
            guard let id = body.id, !id.isEmpty else { throw WeChatError.missingRequiredFields.detail("missing id") }
            return OK(Event(event: try await delivery.redeliver(appid: try context.requireAppID(), id: id)))
        }
        router.wechatPOST("/sandbox/card/view") { request, context in
            let body = try await JSONBody.decodeSandbox(ViewRequest.self, from: request)
            let pushed = try await members.view(appid: try context.requireAppID(), cardID: body.card_id, code: body.code,
                                                openid: body.openid, outerStr: body.outer_str)
            return OK(Pushed(pushed: pushed))
        }
        router.wechatPOST("/sandbox/card/enter_session") { request, context in
            let body = try await JSONBody.decodeSandbox(SessionRequest.self, from: request)
            try await members.enterSession(appid: try context.requireAppID(), cardID: body.card_id, code: body.code, openid: body.openid)
            return OK.ok
        }
    }

    struct ServerRequest: SandboxBody {
        static let schema: [String: Field] = [
            "url": .required(.text), "token": .required(.text),
            "mode": .optional(.enumeration(PushServer.Mode.allCases.map(\.rawValue))), "encoding_aes_key": .optional(.text),
        ]
        let url: String?; let token: String?; let mode: String?; let encoding_aes_key: String?
    }
    struct RedeliverRequest: SandboxBody {
        static let schema: [String: Field] = ["id": .required(.text)]
        let id: String?
    }
    struct ViewRequest: SandboxBody {
        static let schema: [String: Field] = [
            "card_id": .optional(.text), "code": .optional(.text), "openid": .optional(.text), "outer_str": .optional(.string(maxBytes: 128)),
        ]
        let card_id: String?; let code: String?; let openid: String?; let outer_str: String?
    }
    struct SessionRequest: SandboxBody {
        static let schema: [String: Field] = ["card_id": .optional(.text), "code": .optional(.text), "openid": .optional(.text)]
        let card_id: String?; let code: String?; let openid: String?
    }

    struct Events: Encodable, Sendable { let events: [PushEntry] }
    struct Event: Encodable, Sendable { let event: PushEntry }
    struct Pushed: Encodable, Sendable { let pushed: Bool }
}
