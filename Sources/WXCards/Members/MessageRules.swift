/// What the user is shown when their card activates or their points and balance change
/// (Member card 8.3, Updating Member Information), as pure functions.
public enum MessageRules {
    /// The recommendation cell of `activate_msg_operation` / `modify_msg_operation`, while it has
    /// not passed its `end_time`. A URL or a Mini Program wins over the card list (Member card 8.3).
    public static func cell(_ operation: [String: JSONValue]?, now: Int64) -> JSONValue? {
        guard var cell = operation?.object("url_cell") else { return nil }
        if let end = cell.int("end_time"), end > 0, now > end { return nil }
        if !(cell.string("url") ?? "").isEmpty || !(cell.string("app_brand_id") ?? "").isEmpty {
            cell["card_id_list"] = nil
        }
        return .object(cell)
    }

    /// `notify_optional`: points and balance changes notify unless turned off; custom fields only when turned on.
    public struct Notify: Sendable, Equatable {
        public var bonus = true
        public var balance = true
        public var customFields = [false, false, false]

        /// What is not said takes the defaults above.
        public init(bonus: Bool? = nil, balance: Bool? = nil, customFields: [Bool?] = [nil, nil, nil]) {
            self.bonus = bonus ?? true
            self.balance = balance ?? true
            self.customFields = customFields.map { $0 ?? false }
        }

        public init(_ options: [String: JSONValue]?) {
            self.init(bonus: options?.bool("is_notify_bonus"), balance: options?.bool("is_notify_balance"),
                      customFields: (1...3).map { options?.bool("is_notify_custom_field\($0)") })
        }
    }

    public static func activationText(card: CardDefinition) -> String {
        "\(card.baseInfo.string("title") ?? "会员卡")已激活"
    }

    /// The change shown is what the merchant said (`add_bonus`), else the actual difference.
    public static func bonusText(shownDelta: Int64, total: Int64, record: String?) -> String {
        "积分变动\(signed(shownDelta))，当前积分\(total)" + (record.map { "（\($0)）" } ?? "")
    }

    public static func balanceText(shownDelta: Int64, total: Int64, record: String?) -> String {
        "余额变动\(yuan(shownDelta, signed: true))元，当前余额\(yuan(total, signed: false))元" + (record.map { "（\($0)）" } ?? "")
    }

    static func signed(_ value: Int64) -> String { value >= 0 ? "+\(value)" : "\(value)" }

    static func yuan(_ fen: Int64, signed: Bool) -> String {
        let sign = fen < 0 ? "-" : (signed ? "+" : "")
        let magnitude = fen.magnitude
        let cents = magnitude % 100
        return "\(sign)\(magnitude / 100).\(cents < 10 ? "0" : "")\(cents)"
    }
}
