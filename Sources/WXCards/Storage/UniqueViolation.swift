import PostgresNIO

extension Store {
    /// Whether `error` is a unique-constraint violation, on either engine (on SQLite every write
    /// goes through `CSQLiteConnection`). Features use a
    /// constraint, not a check-then-insert, wherever two requests may race for one key.
    public static func isUniqueViolation(_ error: any Error) -> Bool {
        if let error = error as? CSQLiteError {
            return error.isUniqueViolation
        }
        if let error = error as? PSQLError {
            return error.serverInfo?[.sqlState] == "23505"
        }
        return false
    }
}
