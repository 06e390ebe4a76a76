/// How long an instance may answer from a value it read from the database (the token cache,
/// the clock's offset) before it reads it again, and what a change that other instances must
/// honour at once does about that.
///
/// Several instances share one PostgreSQL; each caches those values for `seconds` of its own
/// wall time, counted from before its read. A change another instance may hold an old value
/// of (a clock move, a token revoked at once) therefore answers only once `seconds` have passed
/// since it committed: by then every copy read before the commit has expired, so when the
/// client hears of the change, every instance honours it (read your writes across the cluster).
/// The common path pays nothing; the rare change pays the wait. On SQLite one process owns the
/// file and updates its own caches at once, so there is nothing to wait for.
public enum CacheHorizon {
    public static let seconds: Double = 0.5

    /// Waits out other instances' caches after a change, on PostgreSQL.
    public static func settle(_ store: Store) async throws {
        guard store.engine == .postgres else { return }
        // A few milliseconds past the horizon: sleeping may end a little early on some clocks.
        try await Task.sleep(for: .milliseconds(Int64(seconds * 1000) + 20))
    }
}
