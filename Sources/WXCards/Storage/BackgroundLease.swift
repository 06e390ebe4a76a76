import Foundation
import SQLKit

/// A lease on a piece of background work (pruning the push journal, …), so that of several
/// instances sharing a database one does it at a time. A lease is held until `until_ms` (wall
/// milliseconds); its holder may renew it, anyone may take it once it has run out, so a crashed
/// holder delays the work by one lease at most.
public struct BackgroundLease: Sendable {
    let store: Store
    let name: String
    /// This process: a random id, different for every start.
    static let holder = UUID().uuidString

    public init(store: Store, name: String) {
        self.store = store
        self.name = name
    }

    /// Takes or renews the lease for `milliseconds`; answers whether this instance holds it.
    public func take(for milliseconds: Int64, now: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) async throws -> Bool {
        try await store.write { db in
            try await db.raw("""
                INSERT INTO background_leases (name, holder, until_ms) VALUES (\(bind: name), \(bind: Self.holder), \(bind: now + milliseconds))
                ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until_ms = excluded.until_ms
                WHERE background_leases.until_ms <= \(bind: now) OR background_leases.holder = excluded.holder
                RETURNING holder
                """).first() != nil
        }
    }
}
