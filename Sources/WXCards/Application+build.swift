import Foundation
import Hummingbird
import Logging

/// The shared pieces every feature is built from: one store, one clock, one metrics registry.
public struct Services: Sendable {
    public let store: Store
    public let clock: ServerClock
    public let apps: AppStore
    public let tokens: AccessTokens
    public let metrics: RequestMetrics
    public let cards: CardService
    public let members: Members
    public let payGift: PayGift
    public let dataCube: DataCube
    public let pushes: PushStore
    public let pushServers: PushServers
    /// The delivery worker: `serve` runs it beside the HTTP server; tests run it in theirs.
    public let delivery: PushDelivery
    public let components: Components
    public let subMerchants: SubMerchants

    /// Whether `/sandbox/*` exists (`--sandbox`); without it the clock is the wall clock.
    public let sandbox: Bool
    /// Whether the web console exists (`--console`).
    public let console: Bool
    /// Injected faults (`/sandbox/faults`).
    public let faults: Faults
    /// The request journal; nil when it is off (`--journal off`, or production mode).
    public let journal: RequestJournal?

    /// `wallTime` is injectable so tests pin time.
    public static func make(
        store: Store, reviewMode: ReviewMode = .auto, pushSettings: PushDelivery.Settings = .init(), sandbox: Bool = true,
        console: Bool = true, journal: RequestJournal.Settings? = .init(), wallTime: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) async throws -> Services {
        Services(store: store, reviewMode: reviewMode, pushSettings: pushSettings, sandbox: sandbox, console: console,
                 journal: journal, wallTime: wallTime,
                 cipher: try await CodeCipher.load(from: store))
    }

    init(store: Store, reviewMode: ReviewMode, pushSettings: PushDelivery.Settings, sandbox: Bool, console: Bool = true,
         journal: RequestJournal.Settings? = .init(), wallTime: @escaping @Sendable () -> Double, cipher: CodeCipher) {
        self.store = store
        self.sandbox = sandbox
        self.console = console
        self.clock = ServerClock(store: store, wallTime: wallTime, followsWall: !sandbox)
        self.apps = AppStore(store: store)
        self.tokens = AccessTokens(apps: apps, clock: clock, wallTime: wallTime)
        self.metrics = RequestMetrics()
        let subMerchants = SubMerchants(store: store, clock: clock)
        self.subMerchants = subMerchants
        self.cards = CardService(store: store, apps: apps, clock: clock, reviewMode: reviewMode,
                                 subMerchantCheck: { try await subMerchants.checkCardMaker(appid: $0, merchantID: $1, cardType: $2) })
        self.members = Members(store: store, cards: cards, clock: clock, cipher: cipher)
        self.payGift = PayGift(store: store, cards: cards, members: members, clock: clock)
        self.dataCube = DataCube(store: store, cards: cards, clock: clock)
        self.pushes = PushStore(store: store)
        self.pushServers = PushServers(pushes: pushes, clock: clock)
        self.delivery = PushDelivery(pushes: pushes, clock: clock, settings: pushSettings, logger: Logger(label: "wxcards.pushes"))
        self.components = Components(store: store, apps: apps, tokens: tokens, clock: clock)
        self.faults = Faults(store: store, clock: clock, wallTime: wallTime)
        // Production mode keeps no journal: it would hold every merchant's requests.
        self.journal = sandbox ? journal.map { RequestJournal(store: store, settings: $0, logger: Logger(label: "wxcards.journal")) } : nil
    }
}

/// The router of the whole API. Tests drive this very router in-process.
public func buildRouter(_ services: Services) -> Router<WXRequestContext> {
    let router = Router(context: WXRequestContext.self)
    // Middleware first: Hummingbird wraps a route with the middleware added before it.
    let methods = RouteMethods()
    router.add(middleware: EnvelopeMiddleware(metrics: services.metrics, routes: methods))
    if !services.sandbox { router.add(middleware: SandboxOffMiddleware()) }
    OperationsRoutes(metrics: services.metrics).register(on: router)
    OpenAPIRoutes().register(on: router)
    TokenRoutes(tokens: services.tokens).register(on: router)
    ComponentRoutes(components: services.components).register(on: router)
    QRCodeRoutes(cards: services.cards.cards, clock: services.clock).register(on: router)

    let api = router.group().add(middleware: AccessTokenMiddleware(tokens: services.tokens))
        .add(middleware: RequestTapMiddleware(faults: services.faults, journal: services.journal, clock: services.clock))
    CardRoutes(service: services.cards).register(on: api)
    MemberRoutes(members: services.members).register(on: api)
    UserSideRoutes(members: services.members).register(on: api)
    PayGiftRoutes(payGift: services.payGift).register(on: api)
    PaymentRoutes(payGift: services.payGift).register(on: api)
    DataCubeRoutes(dataCube: services.dataCube).register(on: api)
    ClockRoutes(clock: services.clock).register(on: api)
    CardReviewRoutes(service: services.cards).register(on: api)
    AppSettingsRoutes(apps: services.apps, pushes: services.pushes).register(on: api)
    PushRoutes(servers: services.pushServers, pushes: services.pushes, delivery: services.delivery, members: services.members)
        .register(on: api)
    ResetRoutes(reset: ResetStore(store: services.store), faults: services.faults, journal: services.journal).register(on: api)
    ComponentSandboxRoutes(components: services.components).register(on: api)
    SubMerchantRoutes(subMerchants: services.subMerchants).register(on: api)
    FaultRoutes(faults: services.faults).register(on: api)
    JournalRoutes(journal: services.journal).register(on: api)
    if services.console {
        // Its templates are constants of this build: failing to parse one is our defect.
        do { try ConsoleRoutes(services: services).register(on: router) } catch {
            preconditionFailure("a console template does not parse: \(error)")
        }
    }
    methods.record(router.routes)
    return router
}

/// The application `wxcards serve` runs. `onListening` is called with the bound port once the
/// server accepts connections (never before: a port in use fails `run()` instead).
public func buildApplication(
    _ configuration: ServerConfiguration, services: Services, logger: Logger,
    onListening: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(services),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "wxcards"),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}
