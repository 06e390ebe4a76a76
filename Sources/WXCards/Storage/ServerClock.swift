import Foundation
import SQLKit
import Synchronization

/// The server's one clock, in Unix seconds: wall time plus an offset that the sandbox can only
/// move forward. The offset is kept in the database, so a restart never goes back in time and
/// instances sharing a database share the clock.
///
/// Reading the clock must not cost a database trip per request, so the offset is cached and
/// re-read at most once per `refreshInterval` of wall time. A move made by this instance is seen
/// by it at once; on PostgreSQL the move answers only after the other instances' copies have
/// expired (`CacheHorizon`), so a client that saw the answer finds every instance moved.
public final class ServerClock: Sendable {
    /// Wall time in seconds since 1970, injectable so tests pin time.
    public typealias WallTime = @Sendable () -> Double

    private struct Cache {
        var offset: Int64
        var readAt: Double
    }

    private let store: Store
    private let wallTime: WallTime
    private let refreshInterval: Double
    private let cache = Mutex<Cache?>(nil)
    /// With the sandbox off (`--sandbox off`), the clock is the wall clock: no offset is read,
    /// and nothing can move it.
    public let followsWall: Bool

    public init(store: Store, wallTime: @escaping WallTime = { Date().timeIntervalSince1970 }, refreshInterval: Double = CacheHorizon.seconds,
                followsWall: Bool = false) {
        self.store = store
        self.wallTime = wallTime
        self.refreshInterval = refreshInterval
        self.followsWall = followsWall
    }

    /// Now, in Unix seconds.
    public func now() async throws -> Int64 {
        let wall = wallTime()
        if followsWall { return Int64(wall.rounded(.down)) }
        if let cached = cache.withLock({ $0 }), wall - cached.readAt < refreshInterval, wall >= cached.readAt {
            return Int64(wall.rounded(.down)) + cached.offset
        }
        let offset = try await store.read { db in
            try await db.raw("SELECT offset_seconds FROM server_clock WHERE id = 1").first()?
                .decode(column: "offset_seconds", as: Int64.self) ?? 0
        }
        remember(offset, at: wall)
        return Int64(wall.rounded(.down)) + offset
    }

    /// Moves the clock forward by `seconds` (≥ 0) for every instance, atomically, and returns
    /// the new now. A move that would take the clock past `Ranges.clock` (the end of year 9999)
    /// changes nothing and answers 40097.
    public func advance(by seconds: Int64) async throws -> Int64 {
        guard !followsWall else { throw WeChatError.apiUnauthorized.detail("the sandbox is off: the clock is the wall clock") }
        guard seconds >= 0 else { throw WeChatError.invalidArgs.detail("the clock only moves forward") }
        let wall = wallTime()
        let whole = Int64(wall.rounded(.down))
        // The furthest offset allowed now; the UPDATE refuses to go past it.
        let maxOffset = Ranges.clock.upperBound - whole
        guard seconds <= maxOffset else { throw Self.pastTheEnd }
        let moved = try await store.write { db in
            try await db.raw("""
                UPDATE server_clock SET offset_seconds = offset_seconds + \(bind: seconds)
                WHERE id = 1 AND offset_seconds <= \(bind: maxOffset - seconds) RETURNING offset_seconds
                """).first()?.decode(column: "offset_seconds", as: Int64.self)
        }
        guard let offset = moved else { throw Self.pastTheEnd }
        remember(offset, at: wall)
        try await CacheHorizon.settle(store)
        return whole + offset
    }

    static let pastTheEnd = WeChatError.invalidArgs.detail("the sandbox clock can not go past the end of year 9999")

    private func remember(_ offset: Int64, at wall: Double) {
        // The offset only grows: a slow read that finishes after an advance must not undo it.
        cache.withLock { cached in
            cached = Cache(offset: max(offset, cached?.offset ?? offset), readAt: wall)
        }
    }
}
