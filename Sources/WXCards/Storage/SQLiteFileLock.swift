#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One process per SQLite file. SQLite itself would let a second `wxcards serve` share the
/// file, but each process batches its writes and caches tokens and the clock on its own, so two
/// servers on one file would disagree. Several instances belong on PostgreSQL.
///
/// The lock is `flock` on the database file itself: the kernel drops it when the process dies,
/// however it dies, so a crash never leaves a stale lock behind. `flock` locks are separate
/// from the `fcntl` locks SQLite takes on the same file. The descriptor must stay open while
/// SQLite has the file open (closing any descriptor of a file drops the process's `fcntl` locks
/// on it), so it is released only after the store has closed.
public final class SQLiteFileLock: Sendable {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Takes the lock, or fails at once when another process holds it. Creates the file when
    /// missing (SQLite takes an empty file as an empty database).
    public static func acquire(path: String) throws -> SQLiteFileLock {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ConfigurationError("cannot open the SQLite file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno
            close(descriptor)
            if reason == EWOULDBLOCK {
                throw ConfigurationError(
                    "sqlite:\(path) is in use by another wxcards process: an SQLite file serves one instance. "
                        + "Stop the other one, pass another --database, or use PostgreSQL for several instances")
            }
            throw ConfigurationError("cannot lock the SQLite file \(path): \(String(cString: strerror(reason)))")
        }
        return SQLiteFileLock(descriptor: descriptor)
    }

    /// Takes the lock when `url` is an SQLite file; PostgreSQL needs none.
    public static func acquire(for url: DatabaseURL) throws -> SQLiteFileLock? {
        guard case .sqlite(let path) = url, path != ":memory:" else { return nil }
        return try acquire(path: path)
    }

    /// Call after the store has closed.
    public func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
