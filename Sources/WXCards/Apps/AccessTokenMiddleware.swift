import Hummingbird

/// Resolves `?access_token=` to its appid before any business route runs; every query of the
/// request is then scoped by `context.appid`. Missing → 41001, malformed → 40014,
/// unknown or replaced → 40001, expired → 42001.
public struct AccessTokenMiddleware: RouterMiddleware {
    public typealias Context = WXRequestContext
    let tokens: AccessTokens

    public init(tokens: AccessTokens) { self.tokens = tokens }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.appid = try await tokens.appid(forToken: request.uri.queryParameters.get("access_token"))
        return try await next(request, context)
    }
}
