import Hummingbird

/// `/healthz` and `/metrics`. The application only starts serving once its database is open and
/// migrated, so health needs no database trip per request.
public struct OperationsRoutes: Sendable {
    let metrics: RequestMetrics

    public init(metrics: RequestMetrics) { self.metrics = metrics }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.get("/healthz") { _, _ in PlainJSON(Health(status: "ok")) }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: metrics.prometheusText()))
            )
        }
    }

    struct Health: Encodable, Sendable { let status: String }
}
