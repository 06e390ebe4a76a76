import ArgumentParser
import Hummingbird
import Logging
import Foundation
import NIOCore
import ServiceLifecycle
import WXCards

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (the default command).")

    @Option(help: "Address to listen on (env: WXCARDS_HOST; default: 127.0.0.1)")
    var host: String?

    @Option(help: "Port to listen on (env: WXCARDS_PORT; default: 8080)")
    var port: Int?

    @OptionGroup var storage: StorageOptions

    @Option(name: .customLong("app"), help: ArgumentHelp(
        "An app as APPID:SECRET, created or its secret updated at start; repeatable (env: WXCARDS_APP, comma-separated)",
        valueName: "appid:secret"))
    var apps: [String] = []

    @Option(name: .customLong("component"), help: ArgumentHelp(
        "A third-party platform as COMPONENT_APPID:SECRET; repeatable (env: WXCARDS_COMPONENT, comma-separated)",
        valueName: "component-appid:secret"))
    var components: [String] = []

    @Option(name: .customLong("component-server"), help: ArgumentHelp(
        "A component's message settings as COMPONENT_APPID=AUTH_URL,MESSAGE_URL,TOKEN,KEY (either URL may be empty; "
            + "MESSAGE_URL may contain $APPID$); repeatable (env: WXCARDS_COMPONENT_SERVER, separated by spaces)",
        valueName: "component-appid=auth-url,message-url,token,key"))
    var componentServers: [String] = []

    @Option(help: ArgumentHelp("on: the simulated WeChat side under /sandbox/ and a clock it can move; off (production): every "
        + "/sandbox/* call answers 48001 and the clock is the wall clock (env: WXCARDS_SANDBOX; default: on)"))
    var sandbox: String?

    @Option(help: ArgumentHelp("on: the web console at /console (sign in with an app's or a platform's appid and secret); "
        + "off: no /console (env: WXCARDS_CONSOLE; default: on)"))
    var console: String?

    @Option(help: ArgumentHelp("on: each app's recent API requests at GET /sandbox/requests; off: none kept. Production mode "
        + "(--sandbox off) keeps none (env: WXCARDS_JOURNAL; default: on)"))
    var journal: String?

    @Option(help: "Requests kept in each app's journal (env: WXCARDS_JOURNAL_KEEP; default: 1000)")
    var journalKeep: Int?

    @Option(help: "Days a request is kept in the journal (env: WXCARDS_JOURNAL_KEEP_DAYS; default: 1)")
    var journalKeepDays: Int?

    @Option(help: "auto (cards are approved at once) or manual (POST /sandbox/card/review decides) (env: WXCARDS_REVIEW; default: auto)")
    var review: String?

    @Option(name: .customLong("push"), help: ArgumentHelp(
        "An app's message server as APPID=URL,TOKEN[,MODE,KEY] (MODE plain, compatible or safe; KEY the EncodingAESKey); "
            + "repeatable (env: WXCARDS_PUSH, separated by spaces)", valueName: "appid=url,token[,mode,key]"))
    var pushes: [String] = []

    @Option(help: "Pushes kept in each app's journal (env: WXCARDS_PUSH_KEEP; default: 10000)")
    var pushKeep: Int?

    @Option(help: "Days a push is kept in the journal (env: WXCARDS_PUSH_KEEP_DAYS; default: 7)")
    var pushKeepDays: Int?

    @Option(help: "Pushes sent at once, to all message servers together (env: WXCARDS_PUSH_CONCURRENCY; default: 16)")
    var pushConcurrency: Int?

    func configuration() throws -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = host ?? Env.value("WXCARDS_HOST") ?? configuration.host
        if let port = port ?? Env.value("WXCARDS_PORT").map({ Int($0) ?? -1 }) {
            guard (0...65535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
            configuration.port = port
        }
        configuration.database = try storage.databaseURL()
        configuration.logLevel = try storage.level()
        switch sandbox ?? Env.value("WXCARDS_SANDBOX") ?? "on" {
        case "on": configuration.sandbox = true
        case "off": configuration.sandbox = false
        default: throw ValidationError("--sandbox must be on or off")
        }
        switch journal ?? Env.value("WXCARDS_JOURNAL") ?? "on" {
        case "on": configuration.journal = RequestJournal.Settings()
        case "off": configuration.journal = nil
        default: throw ValidationError("--journal must be on or off")
        }
        if let keep = journalKeep ?? Env.value("WXCARDS_JOURNAL_KEEP").map({ Int($0) ?? -1 }) {
            guard (1...1_000_000).contains(keep) else { throw ValidationError("--journal-keep must be from 1 to 1000000") }
            configuration.journal?.keepPerApp = keep
        }
        if let days = journalKeepDays ?? Env.value("WXCARDS_JOURNAL_KEEP_DAYS").map({ Int($0) ?? -1 }) {
            guard (1...3650).contains(days) else { throw ValidationError("--journal-keep-days must be from 1 to 3650") }
            configuration.journal?.keepDays = days
        }
        switch console ?? Env.value("WXCARDS_CONSOLE") ?? "on" {
        case "on": configuration.console = true
        case "off": configuration.console = false
        default: throw ValidationError("--console must be on or off")
        }
        let reviewText = review ?? Env.value("WXCARDS_REVIEW") ?? "auto"
        guard let reviewMode = ReviewMode(rawValue: reviewText) else { throw ValidationError("--review must be auto or manual") }
        configuration.review = reviewMode
        configuration.apps = try (apps.isEmpty ? Env.list("WXCARDS_APP") : apps).map { try Credential(parsing: $0, flag: "--app") }
        configuration.components = try (components.isEmpty ? Env.list("WXCARDS_COMPONENT") : components)
            .map { try Credential(parsing: $0, flag: "--component") }
        let componentTexts = componentServers.isEmpty
            ? (Env.value("WXCARDS_COMPONENT_SERVER")?.split(separator: " ").map(String.init) ?? []) : componentServers
        configuration.componentServers = try componentTexts.map { try ComponentRules.parse(flag: $0) }
        let pushTexts = pushes.isEmpty ? (Env.value("WXCARDS_PUSH")?.split(separator: " ").map(String.init) ?? []) : pushes
        configuration.pushServers = try pushTexts.map { try PushServerRules.parse(flag: $0) }
        if let keep = try pushKeep ?? Env.value("WXCARDS_PUSH_KEEP").map(Self.number) {
            guard (1...10_000_000).contains(keep) else { throw ValidationError("--push-keep must be from 1 to 10000000") }
            configuration.pushSettings.keepPerApp = keep
        }
        if let concurrency = try pushConcurrency ?? Env.value("WXCARDS_PUSH_CONCURRENCY").map(Self.number) {
            guard (1...1024).contains(concurrency) else { throw ValidationError("--push-concurrency must be from 1 to 1024") }
            configuration.pushSettings.concurrency = concurrency
        }
        if let days = try pushKeepDays ?? Env.value("WXCARDS_PUSH_KEEP_DAYS").map(Self.number) {
            guard (1...3650).contains(days) else { throw ValidationError("--push-keep-days must be from 1 to 3650") }
            configuration.pushSettings.keepDays = days
        }
        return configuration
    }

    static func number(_ text: String) throws -> Int {
        guard let number = Int(text) else { throw ValidationError("\(text) is not a whole number") }
        return number
    }

    func run() async throws {
        let configuration = try configuration()
        MallocTuning.keepFreedMemory()
        let logger = try storage.bootstrapLogging()
        // Last of all, also on errors: the log lines still buffered.
        defer { BufferedLogHandler.flush() }
        let (store, lock) = try await storage.openStore(configuration.database, logger: logger)
        // Released once the group has closed the store.
        defer { lock?.release() }
        // One group: the store first, then the server. On SIGTERM/SIGINT the group stops them
        // in reverse order: the server stops accepting and lets in-flight requests finish, then
        // the store's pool stops and the database closes.
        let group = ServiceGroup(configuration: .init(
            services: [store, ServerService(configuration: configuration, store: store, logger: logger)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

/// The HTTP server as a service: it prepares the database (migrations, the demo app) once the
/// store runs, then serves until graceful shutdown.
struct ServerService: Service {
    let configuration: ServerConfiguration
    let store: Store
    let logger: Logger

    func run() async throws {
        try await Migrator.migrate(store)
        let services = try await Services.make(store: store, reviewMode: configuration.review, pushSettings: configuration.pushSettings,
                                               sandbox: configuration.sandbox, console: configuration.console,
                                               journal: configuration.journal)
        let demo = try await AppSeeding.seed(
            apps: configuration.apps, components: configuration.components,
            store: services.apps, now: try await services.clock.now())
        for (appid, server) in configuration.pushServers {
            guard try await services.apps.app(appid) != nil else {
                throw ConfigurationError("--push names \(appid), which is not an app of this server (add it with --app)")
            }
            try await services.pushServers.configureAtStart(appid: appid, server)
        }
        for (id, settings) in configuration.componentServers {
            let known = try await services.components.exists(id)
            guard known else {
                throw ConfigurationError("--component-server names \(id), which is not a component of this server (add it with --component)")
            }
            _ = try await services.components.configure(componentAppID: id, settings)
        }
        let application = buildApplication(configuration, services: services, logger: logger) { port in
            // Only once the port is bound: a client may connect from here on, and a port in use
            // has not printed credentials for a server that never ran.
            if let demo { announce(demo, base: "http://\(configuration.host):\(port)") }
            if configuration.console { print("wxcards: web console: http://\(configuration.host):\(port)/console") }
            print("wxcards: \(configuration.database), schema version \(Migrations.latestVersion), "
                + "listening on http://\(configuration.host):\(port)")
            // Log lines bypass stdio's buffer (BufferedLogHandler): put these out first.
            fflush(nil)
        }
        do {
            // The push worker runs beside the server, and stops after it: attempts under way
            // finish (within 5 s); pushes not yet sent wait in the database for the next start.
            try await withThrowingDiscardingTaskGroup { group in
                group.addTask { await services.delivery.run() }
                group.addTask { await services.journal?.run() }
                group.addTask { await services.components.runTicketSchedule(logger: logger) }
                try await application.run()
                group.cancelAll()
            }
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw ConfigurationError("port \(configuration.port) is in use: stop the other server or pass --port")
        }
    }

    private func announce(_ demo: AppRecord, base: String) {
        print("""
            wxcards: demo app  appid=\(demo.appid)  secret=\(demo.secret)
            wxcards: get a token:  curl '\(base)/cgi-bin/token?grant_type=client_credential&appid=\(demo.appid)&secret=\(demo.secret)'
            """)
    }
}
