import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization
@testable import WXCards

/// A merchant's message server on loopback: a real HTTP server the tests start, which answers
/// WeChat's URL check and records every push it receives.
final class PushReceiver: Sendable {
    struct Received: Sendable {
        let query: [String: String]
        let body: String
        let at: ContinuousClock.Instant
    }

    /// How the receiver answers pushes.
    enum Behaviour: Sendable {
        case success
        /// HTTP status and body.
        case answer(Int, String)
        /// Sleeps this long first (past WeChat's 5 s: a timeout).
        case sleep(Duration)
    }

    /// What the handlers and the test share.
    final class State: Sendable {
        let lock: Mutex<(received: [Received], behaviours: [Behaviour], echo: Bool)>
        init(_ behaviours: [Behaviour], echo: Bool) { lock = Mutex(([], behaviours, echo)) }
        func withLock<R>(_ body: (inout sending (received: [Received], behaviours: [Behaviour], echo: Bool)) -> sending R) -> R {
            lock.withLock(body)
        }
    }

    let port: Int
    private let task: Task<Void, any Error>
    private let state: State

    var url: String { "http://127.0.0.1:\(port)/wechat" }

    /// `behaviours` answer pushes in turn; the last one answers all that follow.
    static func start(_ behaviours: [Behaviour] = [.success], echo: Bool = true) async throws -> PushReceiver {
        let state = State(behaviours, echo: echo)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let router = Router()
        router.get("/wechat") { request, _ -> String in
            let query = request.uri.queryParameters
            return state.withLock { $0.echo } ? String(query.get("echostr") ?? "") : "not the echostr"
        }
        router.post("/wechat") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            var query: [String: String] = [:]
            for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
            let behaviour = state.withLock { state -> Behaviour in
                state.received.append(Received(query: query, body: String(buffer: body), at: .now))
                return state.behaviours.count > 1 ? state.behaviours.removeFirst() : state.behaviours.first ?? .success
            }
            switch behaviour {
            case .success:
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "success")))
            case .answer(let status, let text):
                return Response(status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: text)))
            case .sleep(let duration):
                try? await Task.sleep(for: duration)
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "success")))
            }
        }
        var logger = Logger(label: "push-receiver")
        logger.logLevel = .critical
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let task = Task { try await app.runService() }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw ConfigurationError("the receiver did not start") }
        return PushReceiver(port: port, task: task, state: state)
    }

    private init(port: Int, task: Task<Void, any Error>, state: State) {
        self.port = port
        self.task = task
        self.state = state
    }

    var received: [Received] { state.withLock { $0.received } }

    func answer(_ behaviours: [Behaviour]) { state.withLock { $0.behaviours = behaviours } }

    /// Waits until `count` pushes have arrived (or `timeout` passed), then answers them.
    func waitFor(_ count: Int, timeout: Duration = .seconds(20)) async throws -> [Received] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let received = self.received
            if received.count >= count { return received }
            try await Task.sleep(for: .milliseconds(20))
        }
        return received
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// Runs `body` with a receiver, stopping it afterwards.
func withPushReceiver<T: Sendable>(
    _ behaviours: [PushReceiver.Behaviour] = [.success], echo: Bool = true, _ body: (PushReceiver) async throws -> T
) async throws -> T {
    let receiver = try await PushReceiver.start(behaviours, echo: echo)
    do {
        let value = try await body(receiver)
        await receiver.stop()
        return value
    } catch {
        await receiver.stop()
        throw error
    }
}

/// The elements of a push's XML, by name (the first of each).
func xmlElements(_ xml: String) -> [String: String] {
    var found: [String: String] = [:]
    let pattern = /<(\w+)>(?:<!\[CDATA\[(.*?)\]\]>|([^<]*))<\/\1>/
    for match in xml.matches(of: pattern) {
        let name = String(match.1)
        if found[name] == nil { found[name] = String(match.2 ?? match.3 ?? "") }
    }
    return found
}

/// The element names of a push's XML, in order.
func xmlNames(_ xml: String) -> [String] {
    xml.matches(of: /<(\w+)>(?:<!\[CDATA\[.*?\]\]>|[^<]*)<\/\1>/).map { String($0.1) }
}
