import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing
import WXCards

/// One app that every HTTP test has.
let testApp = Credential(id: "wx1234567890abcdef", secret: "0123456789abcdef0123456789abcdef")

/// What a scenario gets: the in-process client of the real router over a fresh real database.
struct TestServer: Sendable {
    let client: any TestClientProtocol
    let services: Services
    let wall: TestWallClock
    let logs: LogRecorder

    /// A token for `app` through the real `/cgi-bin/token`.
    func token(for app: Credential = testApp) async throws -> String {
        let answer = try await get("/cgi-bin/token?grant_type=client_credential&appid=\(app.id)&secret=\(app.secret)")
        return try #require(answer["access_token"] as? String, "no token in \(answer)")
    }

    /// GET, answering the parsed JSON object.
    func get(_ uri: String) async throws -> [String: Any] {
        try await client.execute(uri: uri, method: .get) { response in try Self.object(response) }
    }

    /// POST a JSON object (as wechatpy does: no Content-Type), answering the parsed JSON object.
    func post(_ path: String, token: String?, json: [String: Any]) async throws -> [String: Any] {
        let data = try JSONSerialization.data(withJSONObject: json)
        return try await post(path, token: token, raw: String(decoding: data, as: UTF8.self))
    }

    /// POST any body text.
    func post(_ path: String, token: String?, raw: String, headers: HTTPFields = [:]) async throws -> [String: Any] {
        let uri = token.map { "\(path)?access_token=\($0)" } ?? path
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: raw)) { response in
            try Self.object(response)
        }
    }

    static func object(_ response: TestResponse) throws -> [String: Any] {
        #expect(response.status == .ok || response.status == .notFound)
        let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
        return try #require(json as? [String: Any], "answer is not an object: \(String(buffer: response.body))")
    }
}

/// Runs a scenario against the real router with a fresh database on `engine`, the test app
/// created as `--app` would, and wall time pinned.
func withTestServer<T: Sendable>(
    _ engine: TestEngine = .sqlite,
    review: ReviewMode = .auto,
    pushSettings: PushDelivery.Settings = .init(),
    sandbox: Bool = true,
    console: Bool = true,
    journal: RequestJournal.Settings? = .init(),
    _ body: @Sendable (TestServer) async throws -> T
) async throws -> T {
    try await withMigratedStore(engine) { store, _ in
        let wall = TestWallClock()
        let services = try await Services.make(store: store, reviewMode: review, pushSettings: pushSettings, sandbox: sandbox,
                                               console: console, journal: journal, wallTime: wall.source)
        try await services.apps.upsertApp(testApp, now: try await services.clock.now())
        let logs = LogRecorder()
        let app = Application(router: buildRouter(services), logger: logs.logger())
        // The push worker runs as in `serve`, for the scenario's length.
        let worker = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { await services.delivery.run() }
                group.addTask { await services.components.runTicketSchedule(logger: logs.logger()) }
                group.addTask { await services.journal?.run() }
            }
        }
        do {
            let value = try await app.test(.router) { client in
                try await body(TestServer(client: client, services: services, wall: wall, logs: logs))
            }
            worker.cancel()
            await worker.value
            return value
        } catch {
            worker.cancel()
            await worker.value
            throw error
        }
    }
}

/// The errcode of an answer, or nil when it has none (a bare `/cgi-bin/token` success).
func errcode(_ answer: [String: Any]) -> Int? { answer["errcode"] as? Int }

/// The WeChat errcode `body` throws: 0 when it throws nothing, -2 for an error that is not a
/// WeChat one. Rules tests check which error, never only that one was thrown.
func thrownErrcode<T>(_ body: () throws -> T) -> Int {
    do {
        _ = try body()
        return 0
    } catch let error as WeChatError {
        return error.code
    } catch {
        return -2
    }
}
