import Hummingbird
import Logging
import NIOCore

/// The outermost middleware. It makes every answer a WeChat answer and observes it:
/// - any error becomes a WeChat error envelope: unknown paths answer 404 with an errcode,
///   and anything unexpected answers -1 `system error` (HTTP 200): never a 500. Every -1 is
///   logged at error level with its cause and the rid the client saw;
/// - one structured log line per request (method, path, errcode, ms, rid), never the query
///   string, so no token or secret is ever logged;
/// - request count and latency by route and errcode.
public struct EnvelopeMiddleware: RouterMiddleware {
    public typealias Context = WXRequestContext

    let metrics: RequestMetrics
    let routes: RouteMethods

    public init(metrics: RequestMetrics, routes: RouteMethods = RouteMethods()) {
        self.metrics = metrics
        self.routes = routes
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        var errcode = 0
        let response: Response
        do {
            // A NUL in the query (openid=%00…) is refused as in a JSON body (see JSONBody).
            if let query = request.uri.query, query.range(of: "%00") != nil { throw JSONBody.nulInText }
            response = try await next(request, context)
        } catch {
            let wechatError = map(error, request: request, context: context)
            errcode = wechatError.code
            var answer = try wechatError.response(from: request, context: context)
            if wechatError.httpStatus == .methodNotAllowed, let methods = routes.methods(of: request.uri.path) {
                answer.headers[.allow] = methods.joined(separator: ", ")
            }
            response = answer
        }
        let elapsed = ContinuousClock.now - start
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        let route = context.coreContext.endpointPath.value ?? "NotFound"
        metrics.record(route: route, method: request.method.rawValue, errcode: errcode, nanoseconds: nanoseconds)
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "path": .string(request.uri.path),
                "errcode": .stringConvertible(errcode),
                "ms": .string(Self.milliseconds(nanoseconds)),
                "rid": .string(context.rid),
            ]
        )
        return response
    }

    /// `12.34`, without Foundation's slow `String(format:)`.
    static func milliseconds(_ nanoseconds: Int64) -> String {
        let hundredths = max(0, nanoseconds) / 10_000
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    private func map(_ error: any Error, request: Request, context: Context) -> WeChatError {
        switch error {
        case let error as WeChatError:
            return error
        case let error as HTTPError where error.status == .notFound:
            // A path the router has, with a method it does not take (`PUT /card/get`).
            if let methods = routes.methods(of: request.uri.path) { return RouteMethods.notAllowed(methods) }
            return .unknownPath
        case is NIOTooManyBytesError:
            return .contentTooLarge
        default:
            // A genuine failure (InternalError, StoreError, the database): the client gets -1,
            // the log gets why, under the rid the client can quote.
            context.logger.error("system error", metadata: [
                "error": .string(String(reflecting: error)), "rid": .string(context.rid),
                "method": .string(request.method.rawValue), "path": .string(request.uri.path),
            ])
            return .systemError
        }
    }
}
