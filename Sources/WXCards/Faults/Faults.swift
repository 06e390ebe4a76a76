import Foundation
import Synchronization

/// Injected faults (`/sandbox/faults`): kept in the database, so every instance of a cluster
/// applies them, and read from a per-app copy at most `CacheHorizon.seconds` old, so a request
/// costs no database trip. Adding or removing a fault answers only once every instance's copy
/// has expired (`CacheHorizon.settle`), as a clock move does.
public final class Faults: Sendable {
    let store: FaultStore
    let clock: ServerClock
    private let wallTime: @Sendable () -> Double
    private struct Copy { let faults: [Fault]; let readAt: Double }
    private let copies = Mutex<[String: Copy]>([:])
    /// Apps whose faults are held at once; past it the copies start over (a read each).
    static let maxApps = 4_096

    init(store: Store, clock: ServerClock, wallTime: @escaping @Sendable () -> Double) {
        self.store = FaultStore(store: store)
        self.clock = clock
        self.wallTime = wallTime
    }

    public func add(appid: String, _ fault: FaultRules.NewFault) async throws -> String {
        let id = RandomString.make(length: 16, alphabet: RandomString.hex)
        guard try await store.insert(appid: appid, id: id, fault, now: try await clock.now()) else {
            throw WeChatError.invalidArgs.detail("an app has at most \(FaultRules.maxPerApp) faults: delete some first")
        }
        try await forget(appid: appid)
        return id
    }

    /// Every fault of the app, expired ones too (their hits are what a test checks).
    public func list(appid: String) async throws -> [Fault] {
        try await store.faults(appid: appid, includingExpired: true)
    }

    public func delete(appid: String, id: String?) async throws -> Int {
        let removed = try await store.delete(appid: appid, id: id)
        try await forget(appid: appid)
        return removed
    }

    /// After a change to the app's faults: this instance reads them again, and the answer waits
    /// until every other instance's copy has expired.
    func forget(appid: String) async throws {
        _ = copies.withLock { $0.removeValue(forKey: appid) }
        try await CacheHorizon.settle(store.store)
    }

    /// The fault this request gets, if any: the first of the app's faults that matches, drawn
    /// by its rate, with a hit left (the hit is taken here).
    public func fault(appid: String, path: String, method: String) async throws -> Fault? {
        guard FaultRules.isFaultable(path) else { return nil }
        for fault in try await active(appid: appid) where FaultRules.matches(fault, path: path, method: method) {
            guard fault.rate >= 1 || Double.random(in: 0..<1) < fault.rate else { continue }
            if try await store.hit(appid: appid, id: fault.id) {
                if fault.remaining == 1 { _ = copies.withLock { $0.removeValue(forKey: appid) } }
                return fault
            }
        }
        return nil
    }

    private func active(appid: String) async throws -> [Fault] {
        let wall = wallTime()
        if let copy = copies.withLock({ $0[appid] }), wall - copy.readAt < CacheHorizon.seconds, wall >= copy.readAt {
            return copy.faults
        }
        let faults = try await store.faults(appid: appid, includingExpired: false)
        copies.withLock { copies in
            if copies.count >= Self.maxApps { copies.removeAll() }
            copies[appid] = Copy(faults: faults, readAt: wall)
        }
        return faults
    }
}
