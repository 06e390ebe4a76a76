import ArgumentParser
import Foundation
import Logging
import WXCards

/// Options shared by `serve` and `migrate`. Each flag falls back to its environment variable,
/// then to a default that works on a fresh machine.
struct StorageOptions: ParsableArguments {
    @Option(help: "sqlite:PATH or postgres://user:password@host:port/db (env: WXCARDS_DATABASE; default: \(DatabaseURL.defaultValue))")
    var database: String?

    @Option(help: "Seconds to keep trying to reach PostgreSQL at start (env: WXCARDS_DATABASE_TIMEOUT; default: 10)")
    var databaseTimeout: Int?

    @Option(help: "trace, debug, info, notice, warning, error or critical (env: WXCARDS_LOG_LEVEL; default: info)")
    var logLevel: String?

    func databaseURL() throws -> DatabaseURL {
        try DatabaseURL(parsing: database ?? Env.value("WXCARDS_DATABASE") ?? DatabaseURL.defaultValue)
    }

    func connectTimeout() throws -> Duration {
        let seconds = try databaseTimeout ?? Env.value("WXCARDS_DATABASE_TIMEOUT").map {
            guard let seconds = Int($0) else { throw ValidationError("WXCARDS_DATABASE_TIMEOUT must be a whole number of seconds") }
            return seconds
        } ?? 10
        guard (1...3600).contains(seconds) else { throw ValidationError("--database-timeout must be from 1 to 3600 seconds") }
        return .seconds(seconds)
    }

    /// Opens the store, after taking the SQLite file's lock: one process per SQLite file.
    /// Release the lock after closing the store.
    func openStore(_ url: DatabaseURL, logger: Logger) async throws -> (Store, SQLiteFileLock?) {
        let lock = try SQLiteFileLock.acquire(for: url)
        do {
            return (try await Store.open(url, logger: logger, connectTimeout: try connectTimeout()), lock)
        } catch {
            lock?.release()
            throw error
        }
    }

    func level() throws -> Logger.Level {
        let text = logLevel ?? Env.value("WXCARDS_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        return level
    }

    /// Sets up logging once for the process and returns the root logger.
    func bootstrapLogging() throws -> Logger {
        let level = try level()
        LoggingSystem.bootstrap { label in BufferedLogHandler(label: label, level: level) }
        var logger = Logger(label: "wxcards")
        logger.logLevel = level
        return logger
    }
}

enum Env {
    static func value(_ name: String) -> String? {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else { return nil }
        return value
    }

    /// A repeatable flag's environment form: values separated by commas or spaces.
    static func list(_ name: String) -> [String] {
        value(name)?.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) ?? []
    }
}
