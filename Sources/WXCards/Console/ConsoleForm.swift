import Foundation
import Hummingbird

/// A submitted HTML form (`application/x-www-form-urlencoded`), or a page's query string.
struct ConsoleForm: Sendable {
    /// Forms are short; a bigger body is refused before it is read whole.
    static let maxBytes = 64 * 1024

    let values: [String: String]

    init(values: [String: String]) { self.values = values }

    /// Decodes `a=1&b=x+y`. A name given twice keeps its first value; bytes that are not UTF-8
    /// after decoding make the field absent.
    init(encoded text: Substring) {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), !name.isEmpty else { continue }
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            if values[name] == nil, let value { values[name] = value }
        }
        self.values = values
    }

    static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    static func read(_ request: Request, context: WXRequestContext) async throws -> ConsoleForm {
        let buffer = try await request.body.collect(upTo: maxBytes)
        return ConsoleForm(encoded: Substring(String(buffer: buffer)))
    }

    static func query(_ request: Request) -> ConsoleForm {
        ConsoleForm(encoded: Substring(request.uri.query ?? ""))
    }

    subscript(_ name: String) -> String? { values[name] }

    /// The field, trimmed; nil when missing or blank.
    func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }

    /// A whole number within `range`, or an error naming the field (never a trap).
    func integer(_ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let text = text(name) else { return nil }
        guard let value = Int64(text), range.contains(value) else {
            throw WeChatError.invalidArgs.detail("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func flag(_ name: String) -> Bool { values[name] == "true" }
}
