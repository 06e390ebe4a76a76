import Foundation
import Testing
@testable import WXCards

/// The document's request schemas are what the routes check. For every POST operation, from a
/// body holding just its required fields, each top-level field in turn is left out (its
/// documented missing errcode), sent too long (45021) and sent with the wrong type (47001, or
/// the field's own code).
@Suite struct OpenAPIConformanceTests {
    /// The smallest body the schema accepts: required fields only, each with a plain value.
    static func skeleton(_ fields: [String: Field]) -> [String: Any] {
        var body: [String: Any] = [:]
        for (name, field) in fields where field.required { body[name] = value(field.type) }
        return body
    }

    static func value(_ type: FieldType) -> Any {
        switch type {
        case .string, .any: return "x"
        case .enumeration(let values): return values.first ?? "x"
        case .int, .number: return 1
        case .bool: return true
        case .object(let fields): return skeleton(fields)
        case .anyObject: return [String: Any]()
        case .array: return [Any]()
        }
    }

    /// A value of another JSON type than `type`; nil where any value is accepted.
    static func wrongType(_ type: FieldType) -> Any? {
        switch type {
        case .string, .enumeration: return 12345
        case .int, .number, .bool, .object, .anyObject, .array: return "x"
        case .any: return nil
        }
    }

    struct Case: CustomStringConvertible, Sendable {
        let path: String
        /// The body as JSON text.
        let body: String
        let expected: Int
        let what: String
        var description: String { "\(path) \(what)" }

        init(path: String, body: [String: Any], expected: Int, what: String) {
            self.path = path
            self.body = (try? JSONSerialization.data(withJSONObject: body)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            self.expected = expected
            self.what = what
        }
    }

    static func cases() -> [Case] {
        var cases: [Case] = []
        for operation in APICatalog.operations where operation.method == .post && operation.auth != .componentToken {
            guard let fields = operation.body else { continue }
            let base = skeleton(fields)
            for (name, field) in fields.sorted(by: { $0.key < $1.key }) {
                if field.required {
                    var body = base
                    body[name] = nil
                    cases.append(Case(path: operation.path, body: body, expected: (field.missing ?? .missingRequiredFields).code,
                                      what: "without \(name)"))
                }
                if case .string(let maxBytes) = field.type, maxBytes < JSONBody.maxBytes {
                    var body = base
                    body[name] = String(repeating: "a", count: maxBytes + 1)
                    cases.append(Case(path: operation.path, body: body, expected: WeChatError.outOfLengthLimit.code,
                                      what: "with \(name) of \(maxBytes + 1) bytes"))
                }
                if let wrong = wrongType(field.type) {
                    var body = base
                    body[name] = wrong
                    cases.append(Case(path: operation.path, body: body, expected: (field.wrongType ?? .dataFormat).code,
                                      what: "with \(name) of the wrong type"))
                }
            }
        }
        return cases
    }

    @Test func everyRequestSchemaIsWhatItsRouteChecks() async throws {
        let cases = Self.cases()
        #expect(cases.count >= 200, "\(cases.count) cases")
        try await withTestServer { server in
            let token = try await server.token()
            var failures: [String] = []
            for check in cases {
                let answer = try await server.post(check.path, token: token, raw: check.body)
                if errcode(answer) != check.expected {
                    failures.append("\(check): expected \(check.expected), got \(answer["errcode"] ?? "none") \(answer["errmsg"] ?? "")")
                }
            }
            #expect(failures.isEmpty, "\(failures.count) of \(cases.count):\n\(failures.joined(separator: "\n"))")
        }
    }
}
