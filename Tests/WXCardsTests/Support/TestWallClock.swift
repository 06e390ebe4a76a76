import Synchronization

/// Wall time that only a test moves, so token expiry and cache ages are exact.
final class TestWallClock: Sendable {
    private let seconds: Mutex<Double>

    init(_ start: Double = 1_790_000_000) { seconds = Mutex(start) }

    var now: Double { seconds.withLock { $0 } }

    func advance(_ delta: Double) { seconds.withLock { $0 += delta } }

    var source: @Sendable () -> Double { { [self] in self.now } }
}
