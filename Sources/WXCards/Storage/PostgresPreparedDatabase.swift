import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

/// One pooled PostgreSQL connection as an SQLKit database whose statements are prepared once
/// per connection and then only bound and executed.
///
/// Why: PostgresKit sends every statement unnamed, so PostgreSQL parses and plans it on every
/// call. For the member read (one row, its card and its holder's profile) planning cost several
/// times the execution: measured with pgbench on this machine, the same query ran at 2,823
/// transactions/s unnamed and 12,638/s prepared.
///
/// How: PostgresNIO prepares a statement on a connection the first time that connection runs it
/// under a name, and remembers it. Each distinct SQL text (with the types of its binds) gets a
/// name here (`PostgresPreparedStatements`). The parameter types declared are the ones
/// PostgresNIO declares for an unnamed statement (`Int` → int8, `String` and a NULL `String?`
/// → text), so a statement means exactly what it meant unnamed. A bind of any other Swift
/// type, and anything but plain DML, goes unnamed as before.
struct PostgresPreparedDatabase: SQLDatabase {
    let connection: PostgresConnection
    let statements: PostgresPreparedStatements
    /// PostgresKit's own database on the same connection: the dialect, and the unnamed path.
    let unnamed: any SQLDatabase

    init(connection: PostgresConnection, statements: PostgresPreparedStatements) {
        self.connection = connection
        self.statements = statements
        self.unnamed = connection.sql(queryLogLevel: nil)
    }

    var logger: Logger { connection.logger }
    var eventLoop: any EventLoop { connection.eventLoop }
    var dialect: any SQLDialect { unnamed.dialect }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await self.execute(sql: query, onRow) }
        return promise.futureResult
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        guard PostgresPreparedStatements.isPreparable(sql),
              let (bindings, types) = PostgresPreparedStatements.bindings(binds),
              let statement = statements.statement(sql: sql, types: types)
        else {
            return try await unnamed.execute(sql: query, onRow)
        }
        do {
            try await PreparedByName.$current.withValue(statement) {
                for try await row in try await connection.execute(PreparedByName(bindings: bindings), logger: logger) {
                    onRow(PostgresFastRow(row))
                }
            }
        } catch {
            statements.failed(statement, error: error)
            throw error
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}

/// A named statement for PostgresNIO, whose name, text and parameter types are the task's
/// current ones: PostgresNIO asks for them as static members, and reads them while
/// `execute` starts, inside `$current.withValue`.
private struct PreparedByName: PostgresPreparedStatement {
    @TaskLocal static var current = PostgresPreparedStatements.Statement(name: "", key: .init(sql: "", types: []))

    static var name: String { current.name }
    static var sql: String { current.sql }
    static var bindingDataTypes: [PostgresDataType] { current.types }

    let bindings: PostgresBindings

    func makeBindings() throws -> PostgresBindings { bindings }
    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

/// The names of one pool's statements, by SQL text and parameter types. Bounded: after 2,048
/// distinct statements the rest go unnamed (wxcards' own are a few hundred; PostgresNIO keeps
/// each connection's prepared ones until the connection closes).
final class PostgresPreparedStatements: Sendable {
    struct Statement: Sendable, Equatable {
        let name: String
        let key: Key
        var sql: String { key.sql }
        var types: [PostgresDataType] { key.types }
    }

    /// What makes two statements the same one: their text and their parameter types.
    struct Key: Sendable, Hashable {
        let sql: String
        let types: [PostgresDataType]
    }

    static let maximumStatements = 2_048

    private struct State {
        var byKey: [Key: Statement] = [:]
        var nextNumber = 1

        mutating func name(_ key: Key) -> Statement {
            defer { nextNumber += 1 }
            let statement = Statement(name: "wxcards_\(nextNumber)", key: key)
            byKey[key] = statement
            return statement
        }
    }

    private let state = Mutex(State())

    /// The statement's name, made at its first use; nil once the table is full.
    func statement(sql: String, types: [PostgresDataType]) -> Statement? {
        let key = Key(sql: sql, types: types)
        return state.withLock { state in
            if let known = state.byKey[key] { return known }
            guard state.byKey.count < Self.maximumStatements else { return nil }
            return state.name(key)
        }
    }

    /// After an error, PostgresNIO keeps answering a statement whose preparation failed with that
    /// error, on that connection, for as long as the connection lives. A preparation can fail for
    /// a passing reason (inside a transaction already aborted, or a table changed under a
    /// running instance by an upgrade's migration), so the statement gets a new name and is
    /// prepared afresh. Errors of the execution itself (a constraint, a lock, a serialization
    /// conflict) leave it as it is: they are common and say nothing about the statement.
    func failed(_ statement: Statement, error: any Error) {
        if let error = error as? PSQLError, let sqlState = error.serverInfo?[.sqlState],
           sqlState.hasPrefix("23") || sqlState.hasPrefix("40") || sqlState == "55P03" || sqlState == "57014" {
            return
        }
        state.withLock { state in
            guard state.byKey[statement.key] == statement else { return }
            _ = state.name(statement.key)
        }
    }

    /// Plain DML only: PostgreSQL prepares nothing else.
    static func isPreparable(_ sql: String) -> Bool {
        let head = sql.drop { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "(" }.prefix(6).uppercased()
        return head.hasPrefix("SELECT") || head.hasPrefix("INSERT") || head.hasPrefix("UPDATE")
            || head.hasPrefix("DELETE") || head.hasPrefix("WITH")
    }

    /// The binds as PostgresNIO encodes them for an unnamed statement, with the types it declares
    /// (a NULL `String?` is text, as there); nil for a type this does not know.
    static func bindings(_ binds: [any Encodable & Sendable]) -> (PostgresBindings, [PostgresDataType])? {
        var bindings = PostgresBindings(capacity: binds.count)
        var types: [PostgresDataType] = []
        types.reserveCapacity(binds.count)
        for bind in binds {
            if let optional = bind as? any PostgresNullCheck, optional.isNull {
                bindings.appendNull()
                types.append(optional.declaredType)
                continue
            }
            switch bind {
            case let value as String: bindings.append(value); types.append(String.psqlType)
            case let value as Int: bindings.append(value); types.append(Int.psqlType)
            case let value as Int64: bindings.append(value); types.append(Int64.psqlType)
            case let value as Int32: bindings.append(value); types.append(Int32.psqlType)
            case let value as Bool: bindings.append(value); types.append(Bool.psqlType)
            case let value as Double: bindings.append(value); types.append(Double.psqlType)
            default: return nil
            }
        }
        return (bindings, types)
    }
}

/// Whether a bind is an `Optional` holding nothing, and the type PostgresNIO declares for it:
/// its wrapped type's (a bare NULL would leave `$1 IS NULL` without a type the server can infer).
private protocol PostgresNullCheck {
    var isNull: Bool { get }
    var declaredType: PostgresDataType { get }
}

extension Optional: PostgresNullCheck {
    fileprivate var isNull: Bool { self == nil }
    fileprivate var declaredType: PostgresDataType { (Wrapped.self as? any PostgresEncodable.Type)?.psqlType ?? .null }
}

/// A result row read straight through PostgresNIO for the column types wxcards reads
/// (`String`, `Int64`, `Int`, `Bool`, `Double` and their optionals), and through PostgresKit's
/// row for anything else. PostgresKit answers every column through its generic translation
/// (a conformance lookup and a column lookup per call), which for the member read's 33 columns
/// was a twentieth of the server's CPU per request; the values decoded are the same.
struct PostgresFastRow: SQLRow {
    let row: PostgresRandomAccessRow
    let original: PostgresRow

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
        self.original = row
    }

    var allColumns: [String] { row.map(\.columnName) }

    func contains(column: String) -> Bool { row.contains(column) }

    func decodeNil(column: String) throws -> Bool { !row.contains(column) || row[column].bytes == nil }

    func decode<T: Decodable>(column: String, as type: T.Type) throws -> T {
        guard row.contains(column) else { return try original.sql().decode(column: column, as: T.self) }
        let cell = row[column]
        if let value = try Self.decodeKnown(cell, as: T.self) { return value }
        return try original.sql().decode(column: column, as: T.self)
    }

    /// The value when `T` is one of the known types, nil otherwise.
    private static func decodeKnown<T>(_ cell: PostgresCell, as: T.Type) throws -> T? {
        if T.self == String.self { return try cell.decode(String.self) as? T }
        if T.self == Int64.self { return try cell.decode(Int64.self) as? T }
        if T.self == Int.self { return try cell.decode(Int.self) as? T }
        if T.self == Bool.self { return try cell.decode(Bool.self) as? T }
        if T.self == Double.self { return try cell.decode(Double.self) as? T }
        if T.self == String?.self { return try cell.decode(String?.self) as? T }
        if T.self == Int64?.self { return try cell.decode(Int64?.self) as? T }
        if T.self == Int?.self { return try cell.decode(Int?.self) as? T }
        if T.self == Bool?.self { return try cell.decode(Bool?.self) as? T }
        return nil
    }
}
