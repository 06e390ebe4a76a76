import CoreMetrics
import Foundation
import Prometheus
import Synchronization

/// Request count and latency by route and errcode, exposed at `/metrics` in Prometheus text format.
///
/// Each application owns its registry (no global bootstrap), so tests can build many applications
/// in one process and each sees only its own numbers.
public final class RequestMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    /// Handles by route, method and errcode: made once, not on every request.
    private let handles = Mutex<[Key: (CoreMetrics.Counter, CoreMetrics.Timer)]>([:])

    private struct Key: Hashable {
        let route: String, method: String, errcode: Int
    }

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
        ]
        self.registry = registry
        self.factory = factory
    }

    public func record(route: String, method: String, errcode: Int, nanoseconds: Int64) {
        let key = Key(route: route, method: method, errcode: errcode)
        let (counter, timer) = handles.withLock { handles in
            if let found = handles[key] { return found }
            let dimensions = [("route", route), ("method", method), ("errcode", String(errcode))]
            let made = (CoreMetrics.Counter(label: "wxcards_requests_total", dimensions: dimensions, factory: factory),
                        CoreMetrics.Timer(label: "wxcards_request_duration_seconds", dimensions: dimensions, factory: factory))
            handles[key] = made
            return made
        }
        counter.increment()
        timer.recordNanoseconds(nanoseconds)
    }

    public func prometheusText() -> String {
        registry.emitToString()
    }
}
