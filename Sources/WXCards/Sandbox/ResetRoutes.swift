import Hummingbird

/// `POST /sandbox/reset`: the calling app starts over, as emulators let a test suite do
/// between runs. The app, its credentials and tokens stay; so do other apps' data and what the
/// server shares (the clock, merchant ids).
public struct ResetRoutes: Sendable {
    let reset: ResetStore
    let faults: Faults
    let journal: RequestJournal?

    public init(reset: ResetStore, faults: Faults, journal: RequestJournal?) {
        self.reset = reset
        self.faults = faults
        self.journal = journal
    }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/sandbox/reset") { request, context in
            let appid = try context.requireAppID()
            // No fields: an empty body or `{}` (SDKs send either).
            let bytes = try await JSONBody.collect(request)
            if !JSONBody.isBlank(bytes.readableBytesView) {
                _ = try JSONBody.decode(JSONBody.Checked<NoFields>.self, from: bytes)
            }
            // Requests still waiting in the journal's buffer go, so none outlives the reset; the
            // faults go from every instance's copy before the answer.
            journal?.discard(appid: appid)
            let removed = try await reset.resetApp(appid)
            try await faults.forget(appid: appid)
            return OK(Removed(removed: removed))
        }
    }

    struct NoFields: SandboxBody { static let schema: [String: Field] = [:] }
    struct Removed: Encodable, Sendable { let removed: [String: Int] }
}
