import Hummingbird

/// `POST /sandbox/app`: the calling app's merchant facts that WeChat would know from its
/// back office: whether it has WeChat Pay, and its company (entity).
public struct AppSettingsRoutes: Sendable {
    let apps: AppStore

    public init(apps: AppStore) { self.apps = apps }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/sandbox/app") { request, context in
            let body = try await JSONBody.decodeSandbox(SettingsRequest.self, from: request)
            try AppRecord.checkEntity(body.entity)
            let app = try await apps.updateMerchant(appid: try context.requireAppID(), payEnabled: body.pay_enabled, entity: body.entity)
            return OK(Settings(pay_enabled: app.payEnabled, entity: app.entity))
        }
    }

    struct SettingsRequest: SandboxBody {
        static let fields = ["pay_enabled", "entity"]
        let pay_enabled: Bool?; let entity: String?
    }
    struct Settings: Encodable, Sendable { let pay_enabled: Bool; let entity: String }
}
