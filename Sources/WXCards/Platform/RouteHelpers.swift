import Hummingbird

extension RouterMethods where Context == WXRequestContext {
    /// A WeChat POST API. The same path called with GET answers 43002 `require POST method`,
    /// as WeChat does, rather than looking like an unknown path.
    @discardableResult
    public func wechatPOST<Output: ResponseGenerator>(
        _ path: RouterPath,
        use handler: @escaping @Sendable (Request, Context) async throws -> Output
    ) -> Self {
        post(path, use: handler)
        get(path) { _, _ -> Response in throw WeChatError.requirePOST }
        return self
    }
}
