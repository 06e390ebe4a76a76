import Foundation
import Logging
import PostgresNIO

/// Reaches PostgreSQL once, with a plain connection, before the pool starts: a server still
/// starting is retried until `within` has passed; a wrong password or database fails at once.
/// Either way the failure is one line naming the host, the port and the reason.
enum PostgresProbe {
    static func reach(
        _ location: DatabaseURL.PostgresLocation, configuration: PostgresClient.Configuration, within timeout: Duration
    ) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        let quiet = Logger(label: "wxcards.postgres-probe", factory: { _ in SwiftLogNoOpLogHandler() })
        var attempt = 0
        while true {
            attempt += 1
            let left = clock.now.duration(to: deadline)
            do {
                var connection = try connectionConfiguration(location, configuration: configuration)
                connection.options.connectTimeout = .milliseconds(max(1, left.milliseconds))
                let opened = try await PostgresConnection.connect(configuration: connection, id: attempt, logger: quiet)
                try? await opened.close()
                return
            } catch {
                let failure = describe(error)
                if !failure.retryable || clock.now.advanced(by: .milliseconds(250)) >= deadline {
                    throw ConfigurationError(
                        "cannot reach PostgreSQL at \(location.host):\(location.port): \(failure.reason)"
                            + (failure.retryable ? " (tried for \(timeout.wholeSeconds) s; --database-timeout sets how long)" : ""))
                }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    private static func connectionConfiguration(
        _ location: DatabaseURL.PostgresLocation, configuration: PostgresClient.Configuration
    ) throws -> PostgresConnection.Configuration {
        var connection = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.username, password: location.password,
            database: location.database,
            tls: location.requireTLS ? .require(try NIOSSLContext(configuration: .makeClientConfiguration())) : .disable)
        connection.options.additionalStartupParameters = configuration.options.additionalStartupParameters
        return connection
    }

    /// The reason in words, and whether waiting could help (nothing listens yet) or not (the
    /// server answered and refused).
    static func describe(_ error: any Error) -> (reason: String, retryable: Bool) {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] {
                return (message, false)
            }
            if let underlying = error.underlying {
                return describe(underlying)
            }
            return ("\(error.code)", true)
        }
        if let error = error as? NIOConnectionError {
            if error.dnsAError != nil || error.dnsAAAAError != nil {
                return ("the host name does not resolve", true)
            }
            if let first = error.connectionErrors.first {
                return describe(first.error)
            }
        }
        if let error = error as? IOError {
            return (String(cString: strerror(error.errnoCode)).lowercased(), true)
        }
        if let error = error as? ChannelError, case .connectTimeout = error {
            return ("no answer", true)
        }
        return (String(describing: error), true)
    }
}

extension Duration {
    fileprivate var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    fileprivate var wholeSeconds: Int64 { components.seconds }
}
