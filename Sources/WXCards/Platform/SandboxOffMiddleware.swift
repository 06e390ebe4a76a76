import Hummingbird

/// `--sandbox off`: a production back end has no simulated user side. Every `/sandbox/*` path
/// answers 48001 `api unauthorized` before its token is even looked at, so no API caller can
/// claim cards as users, pay, or move the server's clock.
public struct SandboxOffMiddleware: RouterMiddleware {
    public typealias Context = WXRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path == "/sandbox" || path.hasPrefix("/sandbox/") {
            throw WeChatError.apiUnauthorized.detail("the sandbox is off on this server (--sandbox off)")
        }
        return try await next(request, context)
    }
}
