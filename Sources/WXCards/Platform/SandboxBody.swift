import Hummingbird

/// A request body whose fields are declared: their types, `string(n)` limits, enums and which are
/// required. The declaration is checked on every request (`FieldSchema`, in the same parse that
/// decodes the body) and is what `GET /openapi.json` describes, so the two cannot drift.
public protocol CheckedBody: Decodable {
    static var schema: [String: Field] { get }
}

/// A body on a hot path that skips the JSON tree: decoded straight into types (a wrong type is
/// 47001), then `check()` applies the rest of its schema (`FieldSchema.checkStrings`: required
/// text, `string(n)` limits). The conformance tests hold it to its schema like any other.
public protocol SelfCheckedBody: CheckedBody {
    func check() throws
}

/// A sandbox request body: wxcards' own API, so its fields are known exactly, and a field not
/// among them is a mistake to point out (`{"user": "o1"}` for `openid`), not to ignore.
/// WeChat's own APIs keep WeChat's leniency instead.
public protocol SandboxBody: CheckedBody {}

extension JSONBody {
    /// Decodes a WeChat API body as `decode` does, after checking it against `T.schema`
    /// (41011, 45021, 47001); fields the schema does not list are let through, as WeChat does.
    public static func decode<T: CheckedBody>(_ type: T.Type, from request: Request) async throws -> T {
        try decode(Checked<T>.self, from: try await collect(request)).value
    }

    public static func decode<T: SelfCheckedBody>(_ type: T.Type, from request: Request) async throws -> T {
        let value = try decode(T.self, from: try await collect(request))
        try value.check()
        return value
    }

    /// `decode` for a sandbox body, which refuses a field `T` does not list with 40097
    /// `unknown field "user"; expected card_id, code, …`, before anything else is checked. The
    /// name says at the route that the body is closed; the type is what closes it.
    public static func decodeSandbox<T: SandboxBody>(_ type: T.Type, from request: Request) async throws -> T {
        try await decode(type, from: request)
    }

    /// Checks the fields in the same parse that decodes the body.
    struct Checked<T: CheckedBody>: Decodable {
        let value: T

        init(from decoder: any Decoder) throws {
            let object = try [String: JSONValue](from: decoder)
            if T.self is any SandboxBody.Type { try object.checkSandboxFields(T.schema) }
            try FieldSchema.check(object, against: T.schema, path: "", allowUnknown: true)
            value = try T(from: decoder)
        }
    }

    static func unknownField(_ name: String, expected: [String]) -> WeChatError {
        WeChatError.invalidArgs.detail("unknown field \"\(name)\"; expected \(expected.joined(separator: ", "))")
    }
}

extension Dictionary where Key == String, Value == JSONValue {
    /// A field `fields` does not list is refused, naming the ones it does (in name order). Also
    /// for a body kept as JSON (`/sandbox/membercard/submit_form`).
    func checkSandboxFields(_ fields: [String: Field]) throws {
        if let unknown = keys.filter({ fields[$0] == nil }).min() {
            throw JSONBody.unknownField(unknown, expected: fields.keys.sorted())
        }
    }
}
