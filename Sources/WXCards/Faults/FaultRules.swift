/// What a fault is and when it applies: the rules of `POST /sandbox/faults`, as pure Swift.

/// What a fault does, as asked: which requests it takes and what it does to them.
public struct FaultEffect: Sendable, Equatable {
    /// An API path (`/card/membercard/updateuser`), or a prefix ending in `*` (`/card/*`).
    public let path: String
    /// `GET` or `POST`; nil for both.
    public let method: String?
    /// The WeChat error answered instead of the call (nil: the call goes ahead, after the latency).
    public let errcode: Int?
    public let errmsg: String?
    public let latencyMilliseconds: Int64
    /// Closes the connection without an answer.
    public let drop: Bool
    /// The share of matching requests affected, 0 to 1.
    public let rate: Double
}

/// A fault in force: its effect, and how it has been used.
@dynamicMemberLookup
public struct Fault: Sendable, Equatable {
    public let id: String
    public let effect: FaultEffect
    /// Hits left before the fault expires; nil for a fault that never does.
    public let remaining: Int64?
    public let hits: Int64
    public let createTime: Int64

    public subscript<T>(dynamicMember field: KeyPath<FaultEffect, T>) -> T { effect[keyPath: field] }
}

public enum FaultRules {
    public static let maxPerApp = 100
    public static let maxLatency: ClosedRange<Int64> = 0...60_000
    public static let maxCount: ClosedRange<Int64> = 1...1_000_000
    /// The methods a fault may name (in any case); none names both.
    public static let methods = ["GET", "POST"]
    /// Paths that are never faulted, so a test can always look and clean up.
    static let untouchable = ["/sandbox", "/healthz", "/metrics", "/console", "/openapi.json"]

    /// A fault as asked for: its effect, and how many hits it has (nil: until deleted).
    @dynamicMemberLookup
    public struct NewFault: Sendable, Equatable {
        public let effect: FaultEffect
        public let count: Int64?

        public subscript<T>(dynamicMember field: KeyPath<FaultEffect, T>) -> T { effect[keyPath: field] }
    }

    /// Checks a `POST /sandbox/faults` body (already decoded with its types).
    public static func validate(path: String?, method: String?, errcode: Int64?, errmsg: String?, latencyMilliseconds: Int64?,
                                drop: Bool?, rate: Double?, count: Int64?) throws -> NewFault {
        guard let path, !path.isEmpty else { throw WeChatError.missingRequiredFields.detail("path is required") }
        guard path.hasPrefix("/"), path.utf8.count <= 256, !path.dropLast().contains("*") else {
            throw WeChatError.invalidArgs.detail("path must start with / and be at most 256 bytes; * only at its end")
        }
        let prefix = path.hasSuffix("*") ? String(path.dropLast()) : path
        // A wider prefix (`/*`) is allowed: these paths are skipped whatever a fault says.
        if untouchable.contains(where: { prefix.hasPrefix($0) }) {
            throw WeChatError.invalidArgs.detail("\(path) can not be faulted: /sandbox, /healthz, /metrics and /console stay reachable to clean up")
        }
        var normalizedMethod: String?
        if let method {
            guard methods.contains(method.uppercased()) else { throw WeChatError.invalidArgs.detail("method must be GET or POST") }
            normalizedMethod = method.uppercased()
        }
        var code: Int?
        if let errcode {
            guard errcode == -1 || (1...9_999_999).contains(errcode) else {
                throw WeChatError.invalidArgs.detail("errcode must be -1 or from 1 to 9999999")
            }
            code = Int(errcode)
        }
        if let errmsg {
            guard code != nil else { throw WeChatError.invalidArgs.detail("errmsg needs an errcode") }
            guard !errmsg.isEmpty, errmsg.utf8.count <= 256 else { throw WeChatError.invalidArgs.detail("errmsg must be 1 to 256 bytes") }
        }
        let latency = latencyMilliseconds ?? 0
        guard maxLatency.contains(latency) else { throw WeChatError.invalidArgs.detail("latency_ms must be from 0 to 60000") }
        let rate = rate ?? 1
        guard rate.isFinite, (0...1).contains(rate) else { throw WeChatError.invalidArgs.detail("rate must be from 0 to 1") }
        if let count, !maxCount.contains(count) { throw WeChatError.invalidArgs.detail("count must be from 1 to 1000000") }
        let drop = drop ?? false
        guard code != nil || drop || latency > 0 else {
            throw WeChatError.invalidArgs.detail("a fault needs errcode, drop or latency_ms")
        }
        if drop, code != nil { throw WeChatError.invalidArgs.detail("drop closes the connection: it answers no errcode") }
        return NewFault(effect: FaultEffect(path: path, method: normalizedMethod, errcode: code, errmsg: errmsg,
                                            latencyMilliseconds: latency, drop: drop, rate: rate),
                        count: count)
    }

    /// Whether `fault` is for a request to `path` by `method`.
    public static func matches(_ fault: Fault, path: String, method: String) -> Bool {
        if let wanted = fault.method, wanted != method { return false }
        if fault.path.hasSuffix("*") { return path.hasPrefix(fault.path.dropLast()) }
        return path == fault.path
    }

    /// Whether a path can be faulted at all (the middleware skips the rest without a lookup).
    public static func isFaultable(_ path: String) -> Bool {
        !untouchable.contains { path.hasPrefix($0) }
    }

    /// The error a fault answers: its errmsg, or WeChat's text for the code.
    public static func error(_ fault: Fault) -> WeChatError? {
        guard let code = fault.errcode else { return nil }
        return WeChatError(code, fault.errmsg ?? knownTexts[code] ?? "injected fault")
    }

    /// WeChat's texts for the errors a client most needs to survive.
    public static let knownTexts: [Int: String] = [
        -1: WeChatError.systemError.message,
        40001: WeChatError.invalidCredential.message,
        40014: WeChatError.invalidAccessToken.message,
        41001: WeChatError.accessTokenMissing.message,
        42001: WeChatError.accessTokenExpired.message,
        45009: "reach max api daily quota limit",
        45011: "api minute-quota reach limit must slower retry next minute",
        48001: WeChatError.apiUnauthorized.message,
        40097: WeChatError.invalidArgs.message,
        50002: "user limited",
    ]
}
