/// A page of a sandbox listing (`?offset=&count=`): no request reads a whole inbox or payment
/// history at once, however long it has grown.
public struct ListPage: Sendable, Equatable {
    public let offset: Int
    public let count: Int

    public static let defaultCount = 100
    public static let maxCount = 1000

    public init(offset: Int, count: Int) {
        self.offset = offset
        self.count = count
    }

    /// The page from query-string values: `offset` from 0 (default 0), `count` from 1 to 1,000
    /// (default 100). Anything else is 40097 naming the parameter.
    public static func parse(offset: String?, count: String?) throws -> ListPage {
        ListPage(offset: try number(offset, "offset", default: 0, in: Ranges.offset), count: try Self.count(count, field: "count"))
    }

    /// A page size under another name (`limit` of `/sandbox/events`): 1 to 1,000, default 100.
    public static func count(_ text: String?, field: String) throws -> Int {
        try number(text, field, default: defaultCount, in: 1...maxCount)
    }

    private static func number(_ text: String?, _ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text else { return value }
        guard let number = Int(text) else { throw WeChatError.invalidArgs.detail("\(name) must be an integer") }
        return try Ranges.check(number, in: range, field: name)
    }
}
