import SQLKit

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
    /// A template's statement as an SQLKit query: SQLKit's own `run()`, `first()` and `all()`
    /// run it, as they run `raw(_:)`'s.
    func template(_ statement: SQLTemplate.Statement) -> SQLTemplateQuery {
        SQLTemplateQuery(query: statement, database: self)
    }
}

/// The builder behind `template(_:)`: a query that is already complete.
final class SQLTemplateQuery: SQLQueryFetcher {
    let query: any SQLExpression
    let database: any SQLDatabase

    init(query: SQLTemplate.Statement, database: any SQLDatabase) {
        self.query = query
        self.database = database
    }
}
