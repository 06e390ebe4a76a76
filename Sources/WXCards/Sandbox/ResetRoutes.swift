import Hummingbird

/// `POST /sandbox/reset`: the calling app starts over, as emulators let a test suite do
/// between runs. The app, its credentials and tokens stay; so do other apps' data and what the
/// server shares (the clock, merchant ids).
public struct ResetRoutes: Sendable {
    let reset: ResetStore

    public init(reset: ResetStore) { self.reset = reset }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/sandbox/reset") { request, context in
            let appid = try context.requireAppID()
            // No fields: an empty body or `{}` (SDKs send either).
            let bytes = try await JSONBody.collect(request)
            if !JSONBody.isBlank(bytes.readableBytesView) {
                _ = try JSONBody.decode(JSONBody.KnownFields<NoFields>.self, from: bytes)
            }
            return OK(Removed(removed: try await reset.resetApp(appid)))
        }
    }

    struct NoFields: SandboxBody { static let fields: [String] = [] }
    struct Removed: Encodable, Sendable { let removed: [String: Int] }
}
