import AsyncHTTPClient
import NIOCore

/// Configuring an app's message server, as WeChat's console does it: the URL must pass WeChat's
/// check (one signed GET whose reply is exactly `echostr`) before anything is stored.
public struct PushServers: Sendable {
    let pushes: PushStore
    let clock: ServerClock

    public init(pushes: PushStore, clock: ServerClock) {
        self.pushes = pushes
        self.clock = clock
    }

    /// Checks the fields and the URL, then stores the server, replacing the app's previous one.
    /// A refusal leaves the previous server in place.
    public func configure(appid: String, url: String?, token: String?, mode: String?, encodingAESKey: String?) async throws -> PushServer {
        let server = try PushServerRules.check(url: url, token: token, mode: mode, encodingAESKey: encodingAESKey)
        let now = try await clock.now()
        try await verify(server, now: now)
        try await pushes.setServer(appid: appid, server, now: now)
        return server
    }

    /// Stores a server given at start (`serve --push`), without the URL check: the receiver may
    /// well start after wxcards.
    public func configureAtStart(appid: String, _ server: PushServer) async throws {
        try await pushes.setServer(appid: appid, server, now: try await clock.now())
    }

    func verify(_ server: PushServer, now: Int64) async throws {
        let echostr = RandomString.make(length: 19, alphabet: Array("0123456789"))
        let nonce = RandomString.make(length: 9, alphabet: Array("0123456789"))
        var request = HTTPClientRequest(url: PushRequestRules.verification(server: server, timestamp: now, nonce: nonce, echostr: echostr))
        request.method = .GET
        let answer: (Int, String)
        do {
            answer = try await PushDelivery.exchange(request, timeout: .seconds(5))
        } catch {
            throw WeChatError.invalidArgs.detail("the URL check failed: \(PushDelivery.describe(error))")
        }
        guard answer.0 == 200 else {
            throw WeChatError.invalidArgs.detail("the URL check failed: HTTP \(answer.0) instead of 200")
        }
        guard answer.1 == echostr else {
            throw WeChatError.invalidArgs.detail("the URL check failed: the reply must be exactly the echostr sent (\(echostr))")
        }
    }
}
