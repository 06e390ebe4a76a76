import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteKit
import SQLiteNIO
import Synchronization
import VaporCSQLite

/// One SQLite connection driven through the C API, with a cache of prepared statements:
/// SQLiteNIO prepares every statement anew and makes two thread hops for each one.
///
/// The writer is one of these: `GroupCommit` runs all its statements, BEGIN and COMMIT included,
/// on the writer's own thread (`WriterThread`), one transaction at a time. The readers are more
/// of them (`SQLiteReaders`), each used by one statement at a time on the readers' own threads.
/// Nothing here runs on a task's shared thread.
final class CSQLiteConnection: @unchecked Sendable {
    // @unchecked: the handle and the statement cache are only touched by one statement at a
    // time (GroupCommit's one runner for the writer, a lock for each reader).
    private var handle: OpaquePointer?
    /// Prepared statements by SQL text, with their result columns (named once, not per run).
    private var statements: [String: (statement: OpaquePointer, columns: CSQLiteRow.Columns)] = [:]
    let logger: Logger

    /// A reader (`isWriter` false) leaves the journal mode, a property of the file, and the
    /// checkpoints, which only the connection that commits runs, to the writer.
    init(path: String, logger: Logger, isWriter: Bool = true) throws {
        self.logger = logger
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            sqlite_nio_sqlite3_close(handle)
            throw CSQLiteError(code: status, message: message)
        }
        self.handle = handle
        var pragmas = ["PRAGMA busy_timeout=5000", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"]
        if isWriter { pragmas += ["PRAGMA journal_mode=WAL", "PRAGMA wal_autocheckpoint=\(Self.checkpointPages)"] }
        for pragma in pragmas { try execute(pragma) }
    }

    /// The writer copies the WAL into the database (a checkpoint, run by the COMMIT that takes
    /// the WAL past this many pages) in small steps. Every write waits while the writer
    /// checkpoints, so SQLite's default of 1,000 pages made a stall that showed in the tail:
    /// `updateuser`'s p99 was 31–60 ms at 1,000 pages, 21–30 ms at 250 (six alternating
    /// rounds, same CPU per request), and worse again at 100 (more fsyncs) and at 4,000–10,000.
    static let checkpointPages = 250

    /// A statement without binds or rows (BEGIN, COMMIT, ROLLBACK, pragmas).
    func execute(_ sql: String) throws {
        try execute(sql, binds: [], onRow: { _ in })
    }

    func execute(_ sql: String, binds: [SQLiteData], onRow: (CSQLiteRow) -> Void) throws {
        guard let handle else { throw CSQLiteError(code: SQLITE_MISUSE, message: "the writer is closed") }
        let (statement, columns) = try prepared(sql, handle: handle)
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        for (index, value) in binds.enumerated() {
            let position = Int32(index + 1)
            let status: Int32
            switch value {
            case .integer(let number): status = sqlite_nio_sqlite3_bind_int64(statement, position, Int64(number))
            case .float(let number): status = sqlite_nio_sqlite3_bind_double(statement, position, number)
            case .text(let text): status = sqlite_nio_sqlite3_bind_text(statement, position, text, -1, Self.transient)
            case .blob(let buffer):
                status = buffer.withUnsafeReadableBytes {
                    sqlite_nio_sqlite3_bind_blob(statement, position, $0.baseAddress, Int32($0.count), Self.transient)
                }
            case .null: status = sqlite_nio_sqlite3_bind_null(statement, position)
            }
            guard status == SQLITE_OK else { throw error(handle) }
        }
        let count = Int32(columns.names.count)
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw error(handle) }
            var values: [SQLiteData] = []
            values.reserveCapacity(Int(count))
            for column in 0..<count {
                switch sqlite_nio_sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: values.append(.integer(Int(sqlite_nio_sqlite3_column_int64(statement, column))))
                case SQLITE_FLOAT: values.append(.float(sqlite_nio_sqlite3_column_double(statement, column)))
                case SQLITE_TEXT: values.append(.text(String(cString: sqlite_nio_sqlite3_column_text(statement, column))))
                case SQLITE_BLOB:
                    let length = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
                    var buffer = ByteBufferAllocator().buffer(capacity: length)
                    if let bytes = sqlite_nio_sqlite3_column_blob(statement, column) {
                        buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: length))
                    }
                    values.append(.blob(buffer))
                default: values.append(.null)
                }
            }
            onRow(CSQLiteRow(columns: columns, values: values))
        }
    }

    /// Prepared statements are kept: the hot paths run the same few statements again and again.
    private func prepared(_ sql: String, handle: OpaquePointer) throws -> (statement: OpaquePointer, columns: CSQLiteRow.Columns) {
        if let cached = statements[sql] { return cached }
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error(handle)
        }
        if statements.count >= 512 {
            for cached in statements.values { sqlite_nio_sqlite3_finalize(cached.statement) }
            statements.removeAll()
        }
        let columns = Self.columns(statement)
        statements[sql] = (statement, columns)
        return (statement, columns)
    }

    /// The statement's result columns. wxcards' statements name theirs (no `SELECT *`), so
    /// they stay what they were when the statement was prepared, also when SQLite re-prepares
    /// it after a migration.
    private static func columns(_ statement: OpaquePointer) -> CSQLiteRow.Columns {
        let count = sqlite_nio_sqlite3_column_count(statement)
        return CSQLiteRow.Columns((0..<count).map { String(cString: sqlite_nio_sqlite3_column_name(statement, $0)) })
    }

    /// Rows changed by INSERT, UPDATE and DELETE since the connection opened: a transaction that
    /// failed without changing any needs no rollback.
    var totalChanges: Int64 {
        handle.map { Int64(sqlite_nio_sqlite3_total_changes64($0)) } ?? 0
    }

    private func error(_ handle: OpaquePointer) -> CSQLiteError {
        CSQLiteError(code: sqlite_nio_sqlite3_extended_errcode(handle), message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
    }

    func close() {
        for cached in statements.values { sqlite_nio_sqlite3_finalize(cached.statement) }
        statements.removeAll()
        sqlite_nio_sqlite3_close(handle)
        handle = nil
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// The writer as an `SQLDatabase`, for the features' SQL.
    func sql() -> any SQLDatabase { WriterDatabase(writer: self) }

    /// Made once: SQLiteKit's coders build a JSON coder each time they are made.
    static let encoder = SQLiteDataEncoder()

    /// SQLKit's binds as SQLite values. The types the features bind go straight across, as
    /// SQLiteKit's encoder would convert them (a Bool as 0 or 1, nil as NULL) but without its
    /// protocol-conformance lookups, which showed in the writer's profile; others go through it.
    static func data(_ binds: [any Encodable & Sendable]) throws -> [SQLiteData] {
        try binds.map { bind in
            switch bind {
            case let text as String?: return text.map { .text($0) } ?? .null
            case let number as Int64?: return number.map { .integer(Int($0)) } ?? .null
            case let number as Int?: return number.map { .integer($0) } ?? .null
            case let flag as Bool?: return flag.map { .integer($0 ? 1 : 0) } ?? .null
            default: return try encoder.encode(bind)
            }
        }
    }
}

/// An error of a C-API connection, with SQLite's extended result code.
struct CSQLiteError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { "SQLite error \(code): \(message)" }
    var isUniqueViolation: Bool { code == 2067 || code == 1555 }  // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
}

struct CSQLiteRow: SQLRow {
    /// A statement's column names, indexed once for all its rows.
    final class Columns: Sendable {
        let names: [String]
        let index: [String: Int]
        init(_ names: [String]) {
            self.names = names
            self.index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    let columns: Columns
    let values: [SQLiteData]

    /// Made once: SQLiteKit's coders build a JSON coder each time they are made.
    static let decoder = SQLiteDataDecoder()

    var allColumns: [String] { columns.names }
    func contains(column: String) -> Bool { columns.index[column] != nil }
    func decodeNil(column: String) throws -> Bool { value(column) == .null }
    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        let value = value(column)
        // The hot rows are strings and integers: skip the decoder's conformance lookups for them.
        switch value {
        case .text(let text) where D.self == String.self: return unsafeBitCast(text, to: D.self)
        case .integer(let number) where D.self == Int64.self: return unsafeBitCast(Int64(number), to: D.self)
        case .integer(let number) where D.self == Int.self: return unsafeBitCast(number, to: D.self)
        default: return try Self.decoder.decode(D.self, from: value)
        }
    }
    private func value(_ column: String) -> SQLiteData {
        columns.index[column].map { values[$0] } ?? .null
    }
}

/// What the writer's and the readers' `SQLDatabase`s share: SQLite's dialect, and SQLKit's
/// query serialized with its binds as SQLite values.
protocol CSQLiteDatabase: SQLDatabase {}

extension CSQLiteDatabase {
    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    /// The statement's SQL and its binds, encoded once with the shared encoder.
    func statement(_ query: any SQLExpression) throws -> (sql: String, binds: [SQLiteData]) {
        if let template = query as? SQLTemplate.Statement {
            return (template.template.text, try CSQLiteConnection.data(template.binds))
        }
        let (sql, binds) = serialize(query)
        return (sql, try CSQLiteConnection.data(binds))
    }
}

/// The writer as an `SQLDatabase`: statements run inline, inside GroupCommit's transaction.
struct WriterDatabase: CSQLiteDatabase {
    let writer: CSQLiteConnection

    var logger: Logger { writer.logger }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeCompletedFuture { try run(query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    private func run(_ query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) throws {
        let (sql, binds) = try statement(query)
        try writer.execute(sql, binds: binds) { onRow($0) }
    }
}
