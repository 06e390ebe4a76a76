/// A push as the journal shows it (`GET /sandbox/events`).
public struct PushEntry: Sendable, Encodable, Equatable {
    public enum State: String, Sendable, Encodable {
        case pending, delivered, failed
    }

    public let id: String
    public let event: String
    public let openid: String
    public let card_id: String
    public let create_time: Int64
    /// The plaintext XML, whatever the mode.
    public let xml: String
    public let state: State
    public var attempts: [PushAttempt]
}

/// One HTTP attempt at a push.
public struct PushAttempt: Sendable, Encodable, Equatable {
    /// Server clock, Unix seconds.
    public let time: Int64
    /// The HTTP status, or nil when no answer came (timeout, refused, reset).
    public let status: Int?
    public let latency_ms: Int64
    /// The reply body (cut at 1 KiB), or what went wrong when there was none.
    public let response: String

    /// `status` is written as null when no answer came, rather than left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(time, forKey: .time)
        try container.encode(status, forKey: .status)
        try container.encode(latency_ms, forKey: .latency_ms)
        try container.encode(response, forKey: .response)
    }
    enum CodingKeys: String, CodingKey { case time, status, latency_ms, response }

    /// WeChat's rule: done on HTTP 200 with an empty body or `success`.
    public var succeeded: Bool {
        status == 200 && (response.isEmpty || response == "success")
    }
}

/// A pending push taken by a delivery worker.
struct ClaimedPush: Sendable {
    let appid: String
    let id: String
    let openid: String
    let createTime: Int64
    let attemptCount: Int
}
