import Hummingbird
import Synchronization

/// The methods each path answers, filled once the router is built, so a known path called with a
/// method it does not take answers HTTP 405 with `Allow`, rather than looking like an unknown path.
public final class RouteMethods: Sendable {
    private let table = Mutex<[String: [String]]>([:])

    public init() {}

    /// Records the router's routes. HEAD is left out: Hummingbird answers it for every GET.
    public func record(_ routes: [Router<WXRequestContext>.RouteDescription]) {
        var table: [String: Set<String>] = [:]
        for route in routes where route.method != .head {
            table[route.path.description, default: []].insert(route.method.rawValue)
        }
        let sorted = table.mapValues { $0.sorted() }
        self.table.withLock { $0 = sorted }
    }

    /// The methods `path` takes; nil for a path the router does not have.
    public func methods(of path: String) -> [String]? {
        table.withLock { $0[path] }
    }

    /// `PUT /card/get`: 405 with errcode 43002 where the path takes POST, else 43001.
    static func notAllowed(_ methods: [String]) -> WeChatError {
        (methods.contains("POST") ? WeChatError.requirePOST : .requireGET).answering(.methodNotAllowed)
    }
}
