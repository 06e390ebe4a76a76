import Hummingbird

/// `POST /sandbox/clock`: moves the server's clock forward for everyone sharing the database.
public struct ClockRoutes: Sendable {
    let clock: ServerClock

    public init(clock: ServerClock) { self.clock = clock }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/sandbox/clock") { request, _ in
            let body = try await JSONBody.decodeSandbox(AdvanceRequest.self, from: request)
            guard let seconds = body.advance_seconds else {
                throw WeChatError.missingRequiredFields.detail("advance_seconds is required")
            }
            guard seconds >= 0, seconds <= Self.maxAdvance else {
                throw WeChatError.invalidArgs.detail("advance_seconds must be from 0 to \(Self.maxAdvance)")
            }
            return OK(Now(now: try await clock.advance(by: seconds)))
        }
    }

    /// A hundred years per call: far beyond any card's validity, far from overflowing the clock.
    static let maxAdvance: Int64 = 100 * 366 * 86_400

    struct AdvanceRequest: SandboxBody {
        static let schema: [String: Field] = ["advance_seconds": .required(.int)]
        let advance_seconds: Int64?
    }
    struct Now: Encodable, Sendable { let now: Int64 }
}
