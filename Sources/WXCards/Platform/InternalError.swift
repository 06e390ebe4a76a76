/// A genuine internal failure: a stored row that can not be read, retries exhausted, a broken
/// invariant. It answers -1 `system error` (never input's fault: input gets a WeChat code), and
/// the envelope logs its reason with the request's rid, so every -1 can be traced.
public struct InternalError: Error, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "internal error: \(reason)" }
}
