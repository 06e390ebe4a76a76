/// The rules of the card statistics requests (`/datacube/getcard*`), as pure functions: which
/// days a request may ask for, and how stored days become one row per day.
public enum DataCubeRules {
    /// The longest range one request may ask for, in days, both ends included.
    public static let maxDays: Int64 = 62

    /// The bodies of the reports, checked before their rules (`DataCube`) and shown by
    /// `/openapi.json`: the two overviews, the coupon report, the member card detail.
    public static let overviewSchema = schema(condSource: true, cardID: nil)
    public static let couponsSchema = schema(condSource: true, cardID: .optional(.text))
    public static let detailSchema = schema(condSource: false, cardID: .required(.text))

    /// Dates as text, `cond_source` (all but the member card detail) and `card_id`.
    static func schema(condSource: Bool, cardID: Field?) -> [String: Field] {
        // The spec's codes: a date that is not `YYYY-MM-DD` text is 61500, a `cond_source` that is
        // not 0 or 1 is 40097, whatever JSON type it has.
        var fields: [String: Field] = [
            "begin_date": .required(.text, wrongType: .dateFormat), "end_date": .required(.text, wrongType: .dateFormat),
        ]
        if condSource { fields["cond_source"] = .required(.int, wrongType: .invalidArgs) }
        if let cardID { fields["card_id"] = cardID }
        return fields
    }

    /// `begin_date` and `end_date` as China days. Both are required (41011) and must be
    /// `YYYY-MM-DD` dates (61500). The range must be in order, at most 62 days, and closed: WeChat
    /// reports whole past days only, so a range that reaches today (of the server clock) is
    /// refused like any other bad range (61501).
    public static func dateRange(_ body: [String: JSONValue], today: Int64) throws -> ClosedRange<Int64> {
        func date(_ name: String) throws -> Int64 {
            guard let value = body[name], value != .null else { throw WeChatError.missingRequiredFields.detail("missing \(name)") }
            guard case .string(let text) = value, let day = ChinaDay.parse(text) else {
                throw WeChatError.dateFormat.detail("\(name) must be a date as YYYY-MM-DD")
            }
            return day
        }
        let first = try date("begin_date"), last = try date("end_date")
        guard first <= last else { throw WeChatError.dateRange.detail("begin_date is after end_date") }
        guard last - first < maxDays else { throw WeChatError.dateRange.detail("the range is longer than \(maxDays) days") }
        guard last < today else {
            throw WeChatError.dateRange.detail("end_date must be a day before today (\(ChinaDay.format(today)), China time)")
        }
        return first...last
    }

    /// `cond_source`: 0 for cards made in the console, 1 for cards made through the API.
    public static func condSource(_ body: [String: JSONValue]) throws -> CardSource {
        guard let value = body["cond_source"], value != .null else { throw WeChatError.missingRequiredFields.detail("missing cond_source") }
        guard case .int(let number) = value, let source = CardSource(rawValue: number) else {
            throw WeChatError.invalidArgs.detail("cond_source must be 0 (console cards) or 1 (API cards)")
        }
        return source
    }

    /// `card_id`: required for the member card detail, optional for the coupon report.
    public static func cardID(_ body: [String: JSONValue], required: Bool) throws -> String? {
        switch body["card_id"] {
        case nil, .null?:
            if required { throw WeChatError.missingRequiredFields.detail("missing card_id") }
            return nil
        case .string(let text)?:
            if text.isEmpty, required { throw WeChatError.missingRequiredFields.detail("missing card_id") }
            return text.isEmpty ? nil : text
        default:
            throw WeChatError.dataFormat.detail("card_id must be a string")
        }
    }

    /// `card_type` of the coupon report, as datacube numbers it. Member cards are not coupons.
    public static func couponType(_ type: CardType) -> Int64? {
        switch type {
        case .discount: return 0
        case .cash: return 1
        case .gift: return 2
        case .generalCoupon: return 3
        case .groupon: return 4
        case .memberCard: return nil
        }
    }

    /// One row per day of `range`, zeros where nothing happened. Totals carry over from the
    /// last day that has a row (`before`, the scope's last row before the range, for the first).
    public static func days(
        _ range: ClosedRange<Int64>, stored: [Int64: StatsRollup.Row], before: StatsRollup.Totals
    ) -> [(day: Int64, row: StatsRollup.Row)] {
        var carried = before
        return range.map { day in
            if let row = stored[day] {
                carried = StatsRollup.Totals(totalUser: row.totalUser, totalReceiveUser: row.totalReceiveUser)
                return (day, row)
            }
            var empty = StatsRollup.Row()
            empty.totalUser = carried.totalUser
            empty.totalReceiveUser = carried.totalReceiveUser
            return (day, empty)
        }
    }
}

extension WeChatError {
    public static let dateFormat = WeChatError(61500, "date format error")
    public static let dateRange = WeChatError(61501, "date range error")
}
