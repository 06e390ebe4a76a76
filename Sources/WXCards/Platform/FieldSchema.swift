/// A declarative description of a JSON body, checked the way WeChat checks its tables:
/// `Req` columns (41011), `string(n)` limits counted in bytes (45021), and types (47001).
/// Feature rules (enums, ranges, combinations) are checked by the feature after this.
public indirect enum FieldType: Sendable {
    /// `string(n)`: n counted in UTF-8 bytes, as WeChat counts (a Chinese character is 3).
    case string(maxBytes: Int)
    case int
    /// Any JSON number (`rate`: 0.5).
    case number
    case bool
    /// A string from a fixed list (an enum of the spec). The list is documentation here: each
    /// feature refuses a value outside it with its own WeChat errcode (40071 for a card type, …),
    /// so the check below only asks for a string.
    case enumeration([String])
    case object([String: Field])
    /// An object whose members wxcards does not check (kept as sent).
    case anyObject
    case array(of: FieldType)
    /// Any JSON value (kept as sent).
    case any
}

public struct Field: Sendable {
    public let type: FieldType
    public let required: Bool
    /// The error a missing required field answers: 41011 unless WeChat names its own
    /// (41012 `missing card id`).
    public let missing: WeChatError?
    /// The error a value of another JSON type answers: 47001 unless the spec names another
    /// (a date that is not text is 61500 `date format error`).
    public let wrongType: WeChatError?

    public static func required(_ type: FieldType, missing: WeChatError? = nil, wrongType: WeChatError? = nil) -> Field {
        Field(type: type, required: true, missing: missing, wrongType: wrongType)
    }
    public static func optional(_ type: FieldType, wrongType: WeChatError? = nil) -> Field {
        Field(type: type, required: false, missing: nil, wrongType: wrongType)
    }
}

extension FieldType {
    /// A string WeChat sets no length for (an id the route looks up): bounded by the body's 1 MiB.
    public static let text = FieldType.string(maxBytes: JSONBody.maxBytes)

    /// The `string(n)` limit a client must keep to; nil where there is none but the body's size.
    public var byteLimit: Int? {
        if case .string(let maxBytes) = self, maxBytes < JSONBody.maxBytes { return maxBytes }
        return nil
    }
}

public enum FieldSchema {
    /// Checks `value` against the fields of an object. `allowUnknown` lets fields the schema
    /// does not list through (create is lenient, update is not). `path` names fields in errors.
    public static func check(
        _ value: [String: JSONValue], against fields: [String: Field], path: String, allowUnknown: Bool,
        unknown: (String) -> WeChatError = { WeChatError.invalidArgs.detail("\($0) can not be set") }
    ) throws {
        for (name, field) in fields.sorted(by: { $0.key < $1.key }) where field.required {
            if value[name] == nil || value[name] == .null {
                throw (field.missing ?? WeChatError.missingRequiredFields).detail("missing \(join(path, name))")
            }
        }
        for (name, member) in value.sorted(by: { $0.key < $1.key }) {
            guard let field = fields[name] else {
                if allowUnknown { continue }
                throw unknown(join(path, name))
            }
            try check(member, as: field.type, path: join(path, name), allowUnknown: allowUnknown, unknown: unknown,
                      wrongType: field.wrongType ?? .dataFormat)
        }
    }

    /// `wrongType` is what a value of another JSON type answers: the field's own code for the
    /// field itself, 47001 for an array's items (a member of an object has a field of its own).
    static func check(
        _ value: JSONValue, as type: FieldType, path: String, allowUnknown: Bool, unknown: (String) -> WeChatError,
        wrongType: WeChatError
    ) throws {
        if value == .null { return }  // an explicit null is treated as not sent
        switch (type, value) {
        case (.any, _):
            return
        case (.string, .string(let text)):
            if let maxBytes = type.byteLimit, text.utf8.count > maxBytes {
                throw WeChatError.outOfLengthLimit.detail("\(path) is longer than \(maxBytes) bytes")
            }
        case (.int, .int), (.bool, .bool), (.anyObject, .object), (.enumeration, .string),
             (.number, .int), (.number, .double):
            return
        case (.object(let fields), .object(let members)):
            try check(members, against: fields, path: path, allowUnknown: allowUnknown, unknown: unknown)
        case (.array(let element), .array(let items)):
            for (index, item) in items.enumerated() {
                try check(item, as: element, path: "\(path)[\(index)]", allowUnknown: allowUnknown, unknown: unknown,
                          wrongType: .dataFormat)
            }
        default:
            throw wrongType.detail("\(path) must be \(describe(type))")
        }
    }

    /// The checks of `check` for a body decoded straight into types (types were checked by the
    /// decoder): required strings present, and each within its `string(n)` limit.
    public static func checkStrings(_ values: [(String, String?)], against fields: [String: Field]) throws {
        for (name, value) in values {
            guard let field = fields[name] else { continue }
            guard let value else {
                if field.required { throw (field.missing ?? WeChatError.missingRequiredFields).detail("missing \(name)") }
                continue
            }
            if let maxBytes = field.type.byteLimit, value.utf8.count > maxBytes {
                throw WeChatError.outOfLengthLimit.detail("\(name) is longer than \(maxBytes) bytes")
            }
        }
    }

    static func describe(_ type: FieldType) -> String {
        switch type {
        case .string, .enumeration: return "a string"
        case .int: return "an integer"
        case .number: return "a number"
        case .bool: return "a boolean"
        case .object, .anyObject: return "an object"
        case .array: return "an array"
        case .any: return "a value"
        }
    }

    static func join(_ path: String, _ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
}
