import Logging

/// Everything `wxcards serve` is told by its flags and environment.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var database = DatabaseURL.sqlite(path: "wxcards.sqlite")
    public var apps: [Credential] = []
    public var components: [Credential] = []
    /// Components' message settings given at start (`--component-server`).
    public var componentServers: [(componentAppID: String, settings: ComponentRules.Settings)] = []
    public var logLevel = Logger.Level.info
    public var review = ReviewMode.auto
    /// `--sandbox`: off for a production back end (no `/sandbox/*`, the wall clock).
    public var sandbox = true
    /// `--journal`, `--journal-keep`, `--journal-keep-days`: the request journal (nil: off).
    public var journal: RequestJournal.Settings? = .init()
    /// `--console`: the web console under `/console`.
    public var console = true
    /// Message servers given at start (`--push`), by appid.
    public var pushServers: [(appid: String, server: PushServer)] = []
    /// Delivery and journal retention (`--push-keep`, `--push-keep-days`).
    public var pushSettings = PushDelivery.Settings()

    public init() {}
}
