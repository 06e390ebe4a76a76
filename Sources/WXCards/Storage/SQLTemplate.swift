import SQLKit
import Synchronization

/// A statement whose SQL text never changes, written once with a `?` for each bind, for the
/// hot paths. Building an `SQLQueryString` by interpolation and serializing it again on every
/// call cost the SQLite writer as much CPU as its statements' own binds and rows did; SQLite's
/// connections (`CSQLiteDatabase`) now take the text as written, and every other dialect
/// (PostgreSQL) gets it serialized with its own placeholders.
///
/// A `?` inside a quoted SQL string would be taken for a bind: templates have none.
struct SQLTemplate: Sendable {
    /// The text as written: `?` is SQLite's own placeholder.
    let text: String
    /// The text between the binds, for dialects with other placeholders.
    let segments: [String]

    init(_ text: String) {
        self.text = text
        self.segments = text.split(separator: "?", omittingEmptySubsequences: false).map(String.init)
    }

    /// The statement with its binds, one per `?`, in order.
    func callAsFunction(_ binds: any Encodable & Sendable...) -> Statement {
        assert(binds.count == segments.count - 1, "\(segments.count - 1) binds expected: \(text)")
        return Statement(template: self, binds: binds)
    }

    struct Statement: SQLExpression {
        let template: SQLTemplate
        let binds: [any Encodable & Sendable]

        func serialize(to serializer: inout SQLSerializer) {
            for (index, segment) in template.segments.enumerated() {
                serializer.write(segment)
                if index < binds.count { serializer.write(bind: binds[index]) }
            }
        }
    }
}

extension SQLDatabase {
    /// Runs a template's statement; answers its rows.
    func rows(_ statement: SQLTemplate.Statement) async throws -> [any SQLRow] {
        let rows = Mutex<[any SQLRow]>([])
        try await execute(sql: statement) { row in rows.withLock { $0.append(row) } }
        return rows.withLock { $0 }
    }

    /// Runs a template's statement; answers its first row, if any.
    func first(_ statement: SQLTemplate.Statement) async throws -> (any SQLRow)? {
        try await rows(statement).first
    }

    /// Runs a template's statement for its effect.
    func run(_ statement: SQLTemplate.Statement) async throws {
        try await execute(sql: statement) { _ in }
    }
}
