/// The ranges wxcards accepts for numbers a client sends. Each is checked before the number
/// takes part in any arithmetic, in Swift (where an overflow traps and takes the server down
/// for every tenant) or in SQL (where PostgreSQL raises 22003 and SQLite silently turns the
/// result into a REAL). `docs/compatibility.md` lists them with the code each answers.
public enum Ranges {
    /// WeChat's int32 fields: points and balance, their totals and the size of their deltas.
    public static let int32: ClosedRange<Int64> = 0...2_147_483_647
    /// A change of points or balance, either way.
    public static let int32Delta: ClosedRange<Int64> = -2_147_483_647...2_147_483_647
    /// Unix timestamps: WeChat types them `unsigned int` (up to 2106).
    public static let timestamp: ClosedRange<Int64> = 0...4_294_967_295
    /// Money in fen: up to 100 million yuan, so no sum or product of two amounts overflows.
    public static let fen: ClosedRange<Int64> = 0...10_000_000_000
    /// Where a listing starts: far past any list's end, far from overflowing SQL's OFFSET.
    public static let offset: ClosedRange<Int> = 0...100_000_000
    /// Days of a term card (`fixed_term`, `fixed_begin_term`): up to a hundred years.
    public static let termDays: ClosedRange<Int64> = 0...36_500
    /// The sandbox clock never passes the end of year 9999 (UTC), so `now` plus any accepted
    /// duration stays far inside Int64.
    public static let clock: ClosedRange<Int64> = 0...253_402_300_799

    /// `value` when it lies in `range`; otherwise `error` (40097 unless the spec has a code of
    /// its own), naming the field and the range.
    @discardableResult
    public static func check<T: Comparable>(
        _ value: T, in range: ClosedRange<T>, field: String, error: WeChatError = .invalidArgs
    ) throws -> T {
        try require(value, in: range, field: field, error: error)
    }

    /// The same for a value that may be absent.
    @discardableResult
    public static func check<T: Comparable>(
        _ value: T?, in range: ClosedRange<T>, field: String, error: WeChatError = .invalidArgs
    ) throws -> T? {
        guard let value else { return nil }
        return try require(value, in: range, field: field, error: error)
    }

    private static func require<T: Comparable>(_ value: T, in range: ClosedRange<T>, field: String, error: WeChatError) throws -> T {
        guard range.contains(value) else {
            throw error.detail("\(field) must be from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
