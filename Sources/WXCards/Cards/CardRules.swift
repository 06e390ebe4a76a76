/// The rules of card definitions (the card definition APIs, Member card 8.2, 8.3, 8.5) as pure functions:
/// no I/O, so each rule is tested on its own.
public enum CardRules {
    public static let maxQuantity: Int64 = 100_000_000
    public static let maxRecommendedCards = 10

    // MARK: Create

    /// A card to create: its type, its body as it will be stored, its stock, and the card ids its
    /// recommendation cells name (the caller checks they exist).
    public struct NewCard: Sendable, Equatable {
        public let type: CardType
        public let body: [String: JSONValue]
        public let quantity: Int64
        public let referencedCardIDs: [String]
    }

    /// `base_info.sub_merchant_info.merchant_id` of a card body (its type's object): the
    /// sub-merchant the card is made for (代制), if it names one.
    public static func subMerchantID(_ body: [String: JSONValue]) -> Int64? {
        body["base_info"]?["sub_merchant_info"]?["merchant_id"]?.intValue
    }

    /// Validates `/card/create`'s `card` object as WeChat does, in its order: required fields
    /// (41011), types (47001), lengths (45021), then the rules of each field.
    public static func validateCreate(_ card: [String: JSONValue]?, payEnabled: Bool, now: Int64) throws -> NewCard {
        guard let card else { throw WeChatError.missingRequiredFields.detail("missing card") }
        guard let typeName = card["card_type"] else { throw WeChatError.missingRequiredFields.detail("missing card.card_type") }
        guard let type = typeName.stringValue.flatMap(CardType.init(rawValue:)) else { throw WeChatError.invalidCardType }
        guard let body = card.object(type.bodyKey) else {
            throw WeChatError.missingRequiredFields.detail("missing card.\(type.bodyKey)")
        }
        let fields = CardSchema.createFields(type)
        try FieldSchema.check(body, against: fields, path: type.bodyKey, allowUnknown: true)

        let base = body.object("base_info") ?? [:]
        try checkBaseInfo(base, type: type, payEnabled: payEnabled)
        let dateInfo = try checkNewDateInfo(base.object("date_info") ?? [:], type: type, now: now)

        let quantity = base.object("sku")?.int("quantity") ?? 0
        let depositMode = base.string("get_custom_code_mode") != nil
        if let mode = base.string("get_custom_code_mode") {
            guard mode == "GET_CUSTOM_CODE_MODE_DEPOSIT" else {
                throw WeChatError.invalidArgs.detail("get_custom_code_mode must be GET_CUSTOM_CODE_MODE_DEPOSIT")
            }
            guard base.bool("use_custom_code") == true else {
                throw WeChatError.invalidArgs.detail("get_custom_code_mode needs use_custom_code")
            }
        }
        // Deposit mode starts empty (codes deposited later add stock); any other card needs stock.
        guard depositMode ? quantity == 0 : (1...maxQuantity).contains(quantity) else {
            throw WeChatError.invalidCardQuantity.detail("sku.quantity must be from 1 to \(maxQuantity)")
        }
        let referenced = try checkTypeFields(body, type: type, payEnabled: payEnabled)

        var stored = body
        var storedBase = base
        storedBase["date_info"] = .object(dateInfo)
        storedBase["sku"] = nil  // the server keeps stock itself
        for runtime in ["id", "status", "create_time", "update_time"] { storedBase[runtime] = nil }
        stored["base_info"] = .object(storedBase)
        return NewCard(type: type, body: stored, quantity: quantity, referencedCardIDs: referenced)
    }

    /// Rules of base_info fields shared by create and update.
    static func checkBaseInfo(_ base: [String: JSONValue], type: CardType, payEnabled: Bool) throws {
        if let color = base.string("color"), !CardColor.names.contains(color) { throw WeChatError.invalidColor }
        if let codeType = base.string("code_type"), !CodeType.names.contains(codeType) {
            throw WeChatError.invalidArgs.detail("code_type must be one of \(CodeType.names.sorted().joined(separator: ", "))")
        }
        try Ranges.check(base.int("get_limit"), in: 1...maxQuantity, field: "get_limit")
        try Ranges.check(base.int("use_limit"), in: 1...maxQuantity, field: "use_limit")
        if base.object("pay_info")?.object("swipe_card")?.bool("is_swipe_card") == true, !payEnabled {
            throw WeChatError.requireBizPayAuth
        }
    }

    /// A new card's `date_info`, normalised so `type` is the string form.
    static func checkNewDateInfo(_ dateInfo: [String: JSONValue], type: CardType, now: Int64) throws -> [String: JSONValue] {
        guard let dateType = DateInfoType(dateInfo["type"]) else {
            throw WeChatError.invalidTime.detail("date_info.type must be DATE_TYPE_FIX_TIME_RANGE, DATE_TYPE_FIX_TERM or DATE_TYPE_PERMANENT")
        }
        var normalized = dateInfo
        normalized["type"] = .string(dateType.rawValue)
        let begin = try Ranges.check(dateInfo.int("begin_timestamp"), in: Ranges.timestamp, field: "date_info.begin_timestamp", error: .invalidTime)
        let end = try Ranges.check(dateInfo.int("end_timestamp"), in: Ranges.timestamp, field: "date_info.end_timestamp", error: .invalidTime)
        switch dateType {
        case .permanent:
            guard type == .memberCard else { throw WeChatError.invalidTime.detail("DATE_TYPE_PERMANENT is for member cards") }
        case .fixTimeRange:
            guard let begin, let end, begin >= 0, begin < end else {
                throw WeChatError.invalidTime.detail("date_info needs begin_timestamp < end_timestamp")
            }
            guard end > now else { throw WeChatError.invalidTime.detail("date_info.end_timestamp is in the past") }
        case .fixTerm:
            guard let term = dateInfo.int("fixed_term") else {
                throw WeChatError.invalidTime.detail("date_info.fixed_term must be at least 1")
            }
            try Ranges.check(term, in: 1...Ranges.termDays.upperBound, field: "date_info.fixed_term", error: .invalidTime)
            try Ranges.check(dateInfo.int("fixed_begin_term"), in: Ranges.termDays, field: "date_info.fixed_begin_term", error: .invalidTime)
            if let end, end <= now { throw WeChatError.invalidTime.detail("date_info.end_timestamp is in the past") }
        }
        return normalized
    }

    /// Rules of the type's own fields, shared by create and update. Answers the card ids that
    /// recommendation cells name, for the caller to check.
    static func checkTypeFields(_ body: [String: JSONValue], type: CardType, payEnabled: Bool) throws -> [String] {
        switch type {
        case .memberCard:
            if body.bool("wx_activate") == true, let url = body.string("activate_url"), !url.isEmpty {
                throw WeChatError.invalidArgs.detail("wx_activate and activate_url are mutually exclusive")
            }
            for name in ["custom_field1", "custom_field2", "custom_field3"] {
                guard let field = body.object(name) else { continue }
                if let nameType = field.string("name_type"), !CustomFieldNameType.names.contains(nameType) {
                    throw WeChatError.invalidArgs.detail("\(name).name_type must be one of \(CustomFieldNameType.names.sorted().joined(separator: ", "))")
                }
                if field.string("name_type") == nil && field.string("name") == nil {
                    throw WeChatError.missingRequiredFields.detail("\(name) needs name_type or name")
                }
            }
            if let rule = body.object("bonus_rule") { try checkBonusRule(rule) }
            if let discount = body.int("discount"), !(0...99).contains(discount) {
                throw WeChatError.invalidArgs.detail("discount must be from 0 to 99")
            }
            var referenced: [String] = []
            for name in ["activate_msg_operation", "modify_msg_operation"] {
                guard let cell = body.object(name)?.object("url_cell") else { continue }
                referenced += try checkURLCell(cell, name: name, payEnabled: payEnabled)
            }
            return referenced
        case .discount:
            if let discount = body.int("discount"), !(1...99).contains(discount) {
                throw WeChatError.invalidArgs.detail("discount must be from 1 to 99")
            }
        case .cash:
            try Ranges.check(body.int("reduce_cost"), in: 1...Ranges.fen.upperBound, field: "reduce_cost")
            try Ranges.check(body.int("least_cost"), in: Ranges.fen, field: "least_cost")
        case .groupon, .gift, .generalCoupon:
            break
        }
        return []
    }

    /// `bonus_rule`: amounts and points are never negative, and fit WeChat's int32 (they become
    /// points and fen in payments); a rule that earns needs a spend unit to earn per, and one
    /// that redeems needs a points step to redeem by.
    static func checkBonusRule(_ rule: [String: JSONValue]) throws {
        for (name, value) in rule.sorted(by: { $0.key < $1.key }) {
            try Ranges.check(value.intValue, in: Ranges.int32, field: "bonus_rule.\(name)")
        }
        if (rule.int("increase_bonus") ?? 0) > 0, (rule.int("cost_money_unit") ?? 0) < 1 {
            throw WeChatError.invalidArgs.detail("bonus_rule.increase_bonus needs cost_money_unit")
        }
        if (rule.int("reduce_money") ?? 0) > 0, (rule.int("cost_bonus_unit") ?? 0) < 1 {
            throw WeChatError.invalidArgs.detail("bonus_rule.reduce_money needs cost_bonus_unit")
        }
    }

    /// Member card 8.3: a recommendation needs WeChat Pay (43008); it is a URL, a Mini Program, or up to
    /// 10 cards of this app. A URL or Mini Program wins over the card list, which is then not checked.
    static func checkURLCell(_ cell: [String: JSONValue], name: String, payEnabled: Bool) throws -> [String] {
        guard payEnabled else { throw WeChatError.requireBizPayAuth }
        let cards = cell["card_id_list"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let hasURL = !(cell.string("url") ?? "").isEmpty || !(cell.string("app_brand_id") ?? "").isEmpty
        if hasURL { return [] }
        guard !cards.isEmpty else {
            throw WeChatError.missingRequiredFields.detail("\(name).url_cell needs card_id_list, url or app_brand_id")
        }
        guard cards.count <= maxRecommendedCards else {
            throw WeChatError.cardListSizeOutOfLimit.detail("\(name).url_cell.card_id_list holds at most \(maxRecommendedCards) cards")
        }
        return cards
    }

    // MARK: Update

    public struct Update: Sendable, Equatable {
        public let body: [String: JSONValue]
        /// A field that needs review changed.
        public let sendCheck: Bool
        public let referencedCardIDs: [String]
    }

    /// Validates `/card/update` against the stored card and answers the card as it will be.
    /// Only the fields of Member card 8.2's tables may be sent; anything else fails the whole update.
    public static func validateUpdate(
        _ request: [String: JSONValue], card: CardDefinition, payEnabled: Bool
    ) throws -> Update {
        for key in request.keys.sorted() where key != "card_id" && key != card.type.bodyKey {
            if CardType.allCases.contains(where: { $0.bodyKey == key }) {
                throw WeChatError.invalidCardType.detail("card \(card.cardID) is a \(card.type.rawValue); send \(card.type.bodyKey)")
            }
            throw notUpdatable(key)
        }
        guard let changes = request.object(card.type.bodyKey) else {
            throw WeChatError.missingRequiredFields.detail("missing \(card.type.bodyKey)")
        }
        let fields = CardSchema.updateFields(card.type)
        try FieldSchema.check(changes, against: fields, path: card.type.bodyKey, allowUnknown: false, unknown: notUpdatable)

        let oldBase = card.baseInfo
        let baseChanges = changes.object("base_info") ?? [:]
        try checkBaseInfo(baseChanges, type: card.type, payEnabled: payEnabled)

        var newBase = oldBase
        for (key, value) in baseChanges where key != "date_info" { newBase[key] = value }
        if let dateChanges = baseChanges.object("date_info") {
            newBase["date_info"] = .object(try updatedDateInfo(old: oldBase.object("date_info") ?? [:], changes: dateChanges))
        }
        var newBody = card.body
        for (key, value) in changes where key != "base_info" { newBody[key] = value }
        newBody["base_info"] = .object(newBase)

        if card.type == .memberCard {
            if card.supplyBonus, changes.bool("supply_bonus") == false { throw WeChatError.cannotUnsupplyBonus }
            if card.supplyBalance, changes.bool("supply_balance") == false {
                throw WeChatError.invalidArgs.detail("supply_balance can only change from false to true")
            }
        }
        // The combination rules apply to the card as it will be.
        var checked = newBody
        for name in ["activate_msg_operation", "modify_msg_operation"] where changes[name] == nil { checked[name] = nil }
        let referenced = try checkTypeFields(checked, type: card.type, payEnabled: payEnabled)

        let baseReviewed = CardSchema.reviewedBaseInfo.contains { baseChanges[$0] != nil && baseChanges[$0] != oldBase[$0] }
        let typeReviewed = CardSchema.reviewedTypeFields(card.type).contains { changes[$0] != nil && changes[$0] != card.body[$0] }
        return Update(body: newBody, sendCheck: baseReviewed || typeReviewed, referencedCardIDs: referenced)
    }

    static func notUpdatable(_ path: String) -> WeChatError {
        WeChatError.invalidArgs.detail("\(path) can not be updated")
    }

    /// Member card 8.2: only a fixed time range may change, it stays one, its begin only moves earlier
    /// and its end only later (40100, WeChat's own text).
    static func updatedDateInfo(old: [String: JSONValue], changes: [String: JSONValue]) throws -> [String: JSONValue] {
        guard DateInfoType(old["type"]) == .fixTimeRange else { throw WeChatError.invalidDateInfo }
        if let newType = changes["type"], DateInfoType(newType) != .fixTimeRange { throw WeChatError.invalidDateInfo }
        guard let oldBegin = old.int("begin_timestamp"), let oldEnd = old.int("end_timestamp") else {
            throw WeChatError.invalidDateInfo
        }
        try Ranges.check(changes.int("begin_timestamp"), in: Ranges.timestamp, field: "date_info.begin_timestamp", error: .invalidTime)
        try Ranges.check(changes.int("end_timestamp"), in: Ranges.timestamp, field: "date_info.end_timestamp", error: .invalidTime)
        let begin = changes.int("begin_timestamp") ?? oldBegin
        let end = changes.int("end_timestamp") ?? oldEnd
        guard begin <= oldBegin, end >= oldEnd, begin >= 0, begin < end else { throw WeChatError.invalidDateInfo }
        var updated = old
        updated["begin_timestamp"] = .int(begin)
        updated["end_timestamp"] = .int(end)
        return updated
    }

    // MARK: Listing and test users

    public static let maxBatchCount = 50
    public static let maxWhitelistEntries = 10

    /// `/card/batchget`'s page (Member card 8.6.5 Querying Coupons in Batch): offset and count required, count at most 50, known statuses only.
    public static func batchPage(offset: Int?, count: Int?, statusList: [String]?) throws -> (offset: Int, count: Int, statuses: [CardStatus]) {
        guard let offset, let count else { throw WeChatError.missingRequiredFields.detail("offset and count are required") }
        try Ranges.check(offset, in: Ranges.offset, field: "offset")
        try Ranges.check(count, in: 1...maxBatchCount, field: "count")
        let statuses = try (statusList ?? []).map { name in
            guard let status = CardStatus(rawValue: name) else { throw WeChatError.invalidArgs.detail("unknown status \(name)") }
            return status
        }
        return (offset, count, statuses)
    }

    /// `/card/testwhitelist/set` (Setting the Test Whitelist): openids and usernames together, at most 10.
    public static func checkWhitelist(openids: [String], usernames: [String]) throws {
        guard openids.count + usernames.count <= maxWhitelistEntries else {
            throw WeChatError.invalidArgs.detail("openid and username hold at most \(maxWhitelistEntries) entries together")
        }
    }

    // MARK: Review and stock

    /// The status after a create or an update that needs review.
    public static func statusAfterReviewableChange(_ mode: ReviewMode) -> CardStatus {
        mode == .auto ? .verifyOK : .notVerify
    }

    /// `/card/modifystock`'s values: each from 0 to 100,000,000 (no stock can hold more).
    public static func checkStockChange(increase: Int64?, reduce: Int64?) throws -> (increase: Int64, reduce: Int64) {
        let increase = try Ranges.check(increase ?? 0, in: 0...maxQuantity, field: "increase_stock_value")
        let reduce = try Ranges.check(reduce ?? 0, in: 0...maxQuantity, field: "reduce_stock_value")
        return (increase, reduce)
    }

    /// The stock after `/card/modifystock`, or the reason it cannot be. The values are checked
    /// first; the sums are checked too, since a stored stock is not a client's to vouch for.
    public static func modifiedStock(quantity: Int64, total: Int64, increase: Int64, reduce: Int64) throws -> (quantity: Int64, total: Int64) {
        let (increase, reduce) = try checkStockChange(increase: increase, reduce: reduce)
        let change = increase - reduce
        let (newQuantity, quantityOverflow) = quantity.addingReportingOverflow(change)
        guard !quantityOverflow, newQuantity >= 0 else { throw WeChatError.invalidCardQuantity.detail("stock can not go below zero") }
        let (newTotal, totalOverflow) = total.addingReportingOverflow(change)
        guard !totalOverflow, newTotal <= maxQuantity else { throw WeChatError.totalSkuQuantityLimit }
        return (newQuantity, newTotal)
    }
}
