import CSQLite
import Logging
import NIOCore
import NIOPosix
import SQLKit
import Synchronization

/// One SQLite connection driven through the C API (the system's libsqlite3, through the
/// `CSQLite` target), with a cache of prepared statements: a driver that prepares every
/// statement anew and hops threads for each one cost more than the statements themselves.
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
    init(path: String, logger: Logger, isWriter: Bool = true, busyTimeoutMilliseconds: Int = 5000) throws {
        self.logger = logger
        try Self.configureOnce()
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open \(path)"
            sqlite3_close(handle)
            throw CSQLiteError(code: status, message: message)
        }
        self.handle = handle
        var pragmas = ["PRAGMA busy_timeout=\(max(0, busyTimeoutMilliseconds))", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"]
        if isWriter {
            // 64 MiB of page cache (SQLite's default is 2 MiB): a write reads the pages it changes,
            // and re-reading them from the OS cost the writer a fifth of its time under load.
            pragmas += ["PRAGMA journal_mode=WAL", "PRAGMA wal_autocheckpoint=\(Self.checkpointPages)", "PRAGMA cache_size=-65536"]
        }
        for pragma in pragmas { try execute(pragma) }
    }

    /// SQLite 3.35 brought `RETURNING`, which every change here uses.
    static let minimumVersion: Int32 = 3_035_000

    /// Process-wide settings, once, before the first connection; and a clear error on an
    /// SQLite too old for wxcards' SQL.
    private static let configured: Result<Void, CSQLiteError> = {
        _ = wxcards_sqlite3_configure()
        let version = sqlite3_libversion_number()
        guard version >= minimumVersion else {
            return .failure(CSQLiteError(code: SQLITE_ERROR, message: "SQLite \(String(cString: sqlite3_libversion())) is too old: wxcards needs 3.35 or newer"))
        }
        return .success(())
    }()

    private static func configureOnce() throws { try configured.get() }

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

    func execute(_ sql: String, binds: [SQLiteValue], onRow: (CSQLiteRow) -> Void) throws {
        guard let handle else { throw CSQLiteError(code: SQLITE_MISUSE, message: "the writer is closed") }
        let (statement, columns) = try prepared(sql, handle: handle)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (index, value) in binds.enumerated() {
            let position = Int32(index + 1)
            let status: Int32
            switch value {
            case .integer(let number): status = sqlite3_bind_int64(statement, position, number)
            case .float(let number): status = sqlite3_bind_double(statement, position, number)
            case .text(let text):
                // With its length: a -1 length would end the text at its first NUL.
                // An empty text needs a pointer all the same: a null one would bind NULL.
                var text = text
                status = text.isEmpty ? sqlite3_bind_text(statement, position, "", 0, Self.transient) : text.withUTF8 { bytes in
                    bytes.withMemoryRebound(to: CChar.self) {
                        sqlite3_bind_text64(statement, position, $0.baseAddress, UInt64($0.count), Self.transient, UInt8(SQLITE_UTF8))
                    }
                }
            case .blob(let buffer):
                status = buffer.withUnsafeReadableBytes {
                    sqlite3_bind_blob64(statement, position, $0.baseAddress, UInt64($0.count), Self.transient)
                }
            case .null: status = sqlite3_bind_null(statement, position)
            }
            guard status == SQLITE_OK else { throw error(handle) }
        }
        let count = Int32(columns.names.count)
        while true {
            let status = sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw error(handle) }
            var values: [SQLiteValue] = []
            values.reserveCapacity(Int(count))
            for column in 0..<count {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(statement, column)))
                case SQLITE_FLOAT: values.append(.float(sqlite3_column_double(statement, column)))
                case SQLITE_TEXT:
                    // By its length, not up to a NUL; invalid UTF-8 becomes U+FFFD, never a trap.
                    let length = Int(sqlite3_column_bytes(statement, column))
                    let bytes = UnsafeRawPointer(sqlite3_column_text(statement, column))
                    values.append(.text(bytes.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""))
                case SQLITE_BLOB:
                    let length = Int(sqlite3_column_bytes(statement, column))
                    var buffer = ByteBufferAllocator().buffer(capacity: length)
                    if let bytes = sqlite3_column_blob(statement, column) {
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
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw error(handle)
        }
        if statements.count >= 512 {
            for cached in statements.values { sqlite3_finalize(cached.statement) }
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
        let count = sqlite3_column_count(statement)
        return CSQLiteRow.Columns((0..<count).map { String(cString: sqlite3_column_name(statement, $0)) })
    }

    /// Whether the connection is outside any transaction. After a failure inside one, SQLite may
    /// have rolled the whole transaction back on its own (SQLITE_FULL, SQLITE_IOERR,
    /// SQLITE_NOMEM, …): then this is true, and nothing done since BEGIN survives.
    var isAutocommit: Bool {
        handle.map { sqlite3_get_autocommit($0) != 0 } ?? true
    }

    private func error(_ handle: OpaquePointer) -> CSQLiteError {
        CSQLiteError(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
    }

    func close() {
        for cached in statements.values { sqlite3_finalize(cached.statement) }
        statements.removeAll()
        sqlite3_close(handle)
        handle = nil
    }

    private static let transient = wxcards_sqlite3_transient()

    /// The writer as an `SQLDatabase`, for the features' SQL.
    func sql() -> any SQLDatabase { WriterDatabase(writer: self) }
}

/// An error of a C-API connection, with SQLite's extended result code.
struct CSQLiteError: Error, CustomStringConvertible {
    let code: Int32
    let message: String
    var description: String { "SQLite error \(code): \(message)" }
    var isUniqueViolation: Bool { code == 2067 || code == 1555 }  // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
    /// SQLITE_BUSY or one of its extended codes: another connection (another process) held the
    /// lock for longer than the busy timeout.
    var isBusy: Bool { code & 0xff == SQLITE_BUSY }
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
    let values: [SQLiteValue]

    var allColumns: [String] { columns.names }
    func contains(column: String) -> Bool { columns.index[column] != nil }
    func decodeNil(column: String) throws -> Bool { value(column) == .null }
    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        let value = value(column)
        // The hot rows are strings and integers: skip the decoder's conformance lookups for them.
        switch value {
        case .text(let text) where D.self == String.self: return unsafeBitCast(text, to: D.self)
        case .integer(let number) where D.self == Int64.self: return unsafeBitCast(number, to: D.self)
        default: return try D(from: SQLiteValueDecoder(value: value, column: column))
        }
    }
    private func value(_ column: String) -> SQLiteValue {
        columns.index[column].map { values[$0] } ?? .null
    }
}

/// What the writer's and the readers' `SQLDatabase`s share: SQLite's dialect, and SQLKit's
/// query serialized with its binds as SQLite values.
protocol CSQLiteDatabase: SQLDatabase {}

extension CSQLiteDatabase {
    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { SQLiteSQLDialect() }
    var queryLogLevel: Logger.Level? { nil }

    /// The statement's SQL and its binds as SQLite values.
    func statement(_ query: any SQLExpression) throws -> (sql: String, binds: [SQLiteValue]) {
        if let template = query as? SQLTemplate.Statement {
            return (template.template.text, try SQLiteValue.binds(template.binds))
        }
        let (sql, binds) = serialize(query)
        return (sql, try SQLiteValue.binds(binds))
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
