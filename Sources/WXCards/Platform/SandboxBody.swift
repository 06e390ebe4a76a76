import Hummingbird

/// A sandbox request body: wxcards' own API, so its fields are known exactly, and a field not
/// among them is a mistake to point out (`{"user": "o1"}` for `openid`), not to ignore.
/// WeChat's own APIs keep WeChat's leniency instead.
public protocol SandboxBody: Decodable {
    /// The fields, in the order the documentation lists them (`docs/sandbox.md`).
    static var fields: [String] { get }
}

extension JSONBody {
    /// Decodes a sandbox body as `decode` does, and refuses a field `T` does not list with 40097
    /// `unknown field "user"; expected openid, card_id, …`, before anything else is checked.
    public static func decodeSandbox<T: SandboxBody>(_ type: T.Type, from request: Request) async throws -> T {
        try decode(KnownFields<T>.self, from: try await collect(request)).value
    }

    /// Checks the keys in the same parse that decodes the body.
    struct KnownFields<T: SandboxBody>: Decodable {
        let value: T

        init(from decoder: any Decoder) throws {
            let keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
            if let unknown = keys.filter({ !T.fields.contains($0) }).sorted().first {
                throw JSONBody.unknownField(unknown, expected: T.fields)
            }
            value = try T(from: decoder)
        }
    }

    static func unknownField(_ name: String, expected: [String]) -> WeChatError {
        WeChatError.invalidArgs.detail("unknown field \"\(name)\"; expected \(expected.joined(separator: ", "))")
    }

    struct AnyKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// The same check for a body kept as JSON (`/sandbox/membercard/submit_form`).
    func checkSandboxFields(_ expected: [String]) throws {
        if let unknown = keys.filter({ !expected.contains($0) }).sorted().first {
            throw JSONBody.unknownField(unknown, expected: expected)
        }
    }
}
