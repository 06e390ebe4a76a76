import Foundation

/// Where the data lives: `sqlite:PATH` or `postgres://user:password@host:port/db`.
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresLocation)

    public struct PostgresLocation: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var username: String
        public var password: String?
        public var database: String?
        public var requireTLS: Bool
        /// Whether statements are prepared once per connection (`?prepared_statements=off`
        /// sends every one unnamed, for a PgBouncer in transaction mode older than 1.21).
        public var preparedStatements: Bool = true
    }

    public static let defaultValue = "sqlite:wxcards.sqlite"

    public init(parsing text: String) throws {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw ConfigurationError("--database sqlite:PATH needs a path") }
            self = .sqlite(path: path)
            return
        }
        guard text.hasPrefix("postgres://") || text.hasPrefix("postgresql://"),
            let components = URLComponents(string: text), let host = components.host, !host.isEmpty
        else {
            throw ConfigurationError("--database must be sqlite:PATH or postgres://user:password@host:port/db, not \(text)")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value
        let prepared = components.queryItems?.first { $0.name == "prepared_statements" }?.value ?? "on"
        guard prepared == "on" || prepared == "off" else {
            throw ConfigurationError("--database: prepared_statements must be on or off, not \(prepared)")
        }
        self = .postgres(
            PostgresLocation(
                host: host,
                port: components.port ?? 5432,
                username: components.percentEncodedUser?.removingPercentEncoding ?? "postgres",
                password: components.percentEncodedPassword?.removingPercentEncoding,
                database: database.isEmpty ? nil : database,
                requireTLS: sslmode == "require" || sslmode == "verify-full",
                preparedStatements: prepared == "on"
            )
        )
    }

    /// Printable without the password.
    public var description: String {
        switch self {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let location):
            return "postgres://\(location.username)@\(location.host):\(location.port)/\(location.database ?? "")"
                + (location.preparedStatements ? "" : "?prepared_statements=off")
        }
    }
}
