import Hummingbird

/// `/sandbox/app`: the calling app as WeChat's back office knows it. GET shows it (with its
/// original id and message server); POST changes whether it has WeChat Pay and its company.
public struct AppSettingsRoutes: Sendable {
    let apps: AppStore
    let pushes: PushStore

    public init(apps: AppStore, pushes: PushStore) {
        self.apps = apps
        self.pushes = pushes
    }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.post("/sandbox/app") { request, context in
            let body = try await JSONBody.decodeSandbox(SettingsRequest.self, from: request)
            try AppRecord.checkEntity(body.entity)
            let app = try await apps.updateMerchant(appid: try context.requireAppID(), payEnabled: body.pay_enabled, entity: body.entity)
            return OK(Settings(pay_enabled: app.payEnabled, entity: app.entity))
        }
        router.get("/sandbox/app") { _, context in
            let appid = try context.requireAppID()
            guard let app = try await apps.app(appid) else { throw WeChatError.invalidCredential }
            let server = try await pushes.server(appid: appid)
            return OK(AppView(appid: app.appid, original_id: app.originalID, pay_enabled: app.payEnabled, entity: app.entity,
                              server: server.map { ServerView(url: $0.url, mode: $0.mode.rawValue) }))
        }
    }

    struct SettingsRequest: SandboxBody {
        static let schema: [String: Field] = ["pay_enabled": .optional(.bool), "entity": .optional(.text)]
        let pay_enabled: Bool?; let entity: String?
    }
    struct Settings: Encodable, Sendable { let pay_enabled: Bool; let entity: String }

    /// The message server as it may be shown: never its token or key.
    struct ServerView: Encodable, Sendable { let url: String; let mode: String }

    struct AppView: Encodable, Sendable {
        let appid: String; let original_id: String; let pay_enabled: Bool; let entity: String; let server: ServerView?

        /// `server` is written as null when there is none, rather than left out.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(appid, forKey: .appid)
            try container.encode(original_id, forKey: .original_id)
            try container.encode(pay_enabled, forKey: .pay_enabled)
            try container.encode(entity, forKey: .entity)
            try container.encode(server, forKey: .server)
        }
        enum CodingKeys: String, CodingKey { case appid, original_id, pay_enabled, entity, server }
    }
}
