import Hummingbird
import NIOCore

/// The context of one request: its WeChat-style request id (`rid`) and, once the
/// access token has been checked, the appid every query of this request is scoped by.
public struct WXRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Appended to every errmsg as WeChat does (`rid: …`) and logged with the request.
    public let rid: String
    /// Set by `AccessTokenMiddleware`; nil on the routes that need no token.
    public var appid: String?
    /// Set when the token is an authorizer token: the component calling as the app.
    public var componentAppID: String?
    /// The connection, for a fault that drops it (`/sandbox/faults`).
    public let channel: (any Channel)?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
        self.rid = RequestID.make()
        self.appid = nil
        self.componentAppID = nil
    }

    /// Bodies are refused above this size without being read whole.
    public var maxUploadSize: Int { JSONBody.maxBytes }

    /// The appid of the access token. Routes behind the token middleware always have one;
    /// if a route is wired without it, that is our defect, reported as a system error.
    public func requireAppID() throws -> String {
        guard let appid else { throw InternalError("a route needing an app ran without the access-token middleware") }
        return appid
    }
}
