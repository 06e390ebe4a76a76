import Synchronization

/// Recently seen tokens, so that checking a token costs no database trip at high rates.
///
/// An entry is trusted for `ttl` seconds of wall time, then read again. A change that stops a
/// token at once (`stable_token` with `force_refresh`, a token replaced twice within its
/// hand-over, an authorization withdrawn) answers only after that horizon has passed on
/// PostgreSQL (`CacheHorizon`), so no other instance still trusts the token by then. Changes
/// made by this instance update the cache at once. Expiry is judged on every request from the
/// cached row and the clock.
final class TokenCache: Sendable {
    private struct Entry {
        let token: StoredAccessToken
        let fetchedAt: Double
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let ttl: Double
    private let capacity: Int

    init(ttl: Double = CacheHorizon.seconds, capacity: Int = 4096) {
        self.ttl = ttl
        self.capacity = capacity
    }

    func lookup(_ token: String, wall: Double) -> StoredAccessToken? {
        entries.withLock { entries in
            guard let entry = entries[token] else { return nil }
            guard wall - entry.fetchedAt < ttl, wall >= entry.fetchedAt else {
                entries[token] = nil
                return nil
            }
            return entry.token
        }
    }

    func remember(_ token: StoredAccessToken, wall: Double) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[token.token] = Entry(token: token, fetchedAt: wall)
        }
    }

    /// Forgets every token of the app: called when this instance issues it a new one.
    func forget(appid: String) {
        entries.withLock { entries in
            entries = entries.filter { $0.value.token.appid != appid }
        }
    }
}
