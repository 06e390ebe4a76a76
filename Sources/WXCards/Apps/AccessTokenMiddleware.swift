import Hummingbird

/// Resolves `?access_token=` to its appid before any business route runs; every query of the
/// request is then scoped by `context.appid`. Missing → 41001, malformed → 40014,
/// unknown or replaced → 40001, expired → 42001; a component token → 61015, an authorizer token
/// without the card scope → 61007.
public struct AccessTokenMiddleware: RouterMiddleware {
    public typealias Context = WXRequestContext
    let tokens: AccessTokens

    public init(tokens: AccessTokens) { self.tokens = tokens }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let caller = try await tokens.caller(forToken: request.uri.queryParameters.get("access_token"))
        context.appid = caller.appid
        context.componentAppID = caller.componentAppID
        return try await next(request, context)
    }
}
