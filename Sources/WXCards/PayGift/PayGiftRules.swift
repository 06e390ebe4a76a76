/// The rules of Member card 8.4 (pay-gift rules) and Member card 8.5 (paying by member card), as pure functions.
public enum PayGiftRules {
    public static let memberCardRuleType = "RULE_TYPE_PAY_MEMBER_CARD"
    /// Member card 8.4: "A maximum of 10 merchant IDs are supported in the setting at a time".
    public static let maxMchidsPerCall = 10
    public static let maxMchidBytes = 32
    /// `paygiftcard/batchget`'s largest page (WeChat's is not documented).
    public static let maxBatchCount = 100
    /// The largest amount wxcards takes, in fen (100 million yuan): keeps every product far from overflow.
    public static let maxFee: Int64 = Ranges.fen.upperBound

    /// `paygiftcard/add` as checked before anything is read: what the rule asks for.
    public struct NewRule: Sendable, Equatable {
        public let mchids: [String]
        public let beginTime: Int64
        public let endTime: Int64
        public let cardID: String
        public let leastCost: Int64
        public let maxCost: Int64
        public let jumpURL: String?
        public let appBrandID: String?
        public let appBrandPass: String?
    }

    static let addSchema: [String: Field] = [
        "rule_info": .required(.object([
            "type": .required(.enumeration([memberCardRuleType])),
            "base_info": .required(.object([
                "mchid_list": .required(.array(of: .any)),
                "begin_time": .required(.int),
                "end_time": .required(.int),
            ])),
            "member_rule": .optional(.object([
                "card_id": .required(.string(maxBytes: 32)),
                "least_cost": .required(.int),
                "max_cost": .required(.int),
                "jump_url": .optional(.string(maxBytes: 128)),
                "app_brand_id": .optional(.string(maxBytes: 32)),
                "app_brand_pass": .optional(.string(maxBytes: 128)),
            ])),
        ])),
    ]

    /// The checks of `paygiftcard/add` that hold for the call as a whole (nothing is taken when
    /// one fails): the fields, 1 to 10 merchant ids (72005), begin before end, least ≤ max.
    public static func validateAdd(_ body: [String: JSONValue]) throws -> NewRule {
        try FieldSchema.check(body, against: addSchema, path: "", allowUnknown: true)
        let info = body.object("rule_info") ?? [:]
        guard info.string("type") == memberCardRuleType else {
            throw WeChatError.invalidArgs.detail("rule_info.type must be \(memberCardRuleType)")
        }
        guard let rule = info.object("member_rule") else {
            throw WeChatError.missingRequiredFields.detail("missing rule_info.member_rule")
        }
        let base = info.object("base_info") ?? [:]
        let mchids = try mchidList(base["mchid_list"]?.arrayValue ?? [])
        let begin = try Ranges.check(base.int("begin_time") ?? 0, in: Ranges.timestamp, field: "begin_time", error: .invalidTime)
        let end = try Ranges.check(base.int("end_time") ?? 0, in: Ranges.timestamp, field: "end_time", error: .invalidTime)
        guard begin < end else { throw WeChatError.invalidTime.detail("begin_time must be earlier than end_time") }
        let least = rule.int("least_cost") ?? 0, most = rule.int("max_cost") ?? 0
        guard least >= 0, most <= maxFee else {
            throw WeChatError.invalidArgs.detail("least_cost and max_cost must be from 0 to \(maxFee) fen")
        }
        guard least <= most else { throw WeChatError.invalidArgs.detail("least_cost must not be more than max_cost") }
        let cardID = rule.string("card_id") ?? ""
        guard !cardID.isEmpty else { throw WeChatError.missingCardID }
        func text(_ key: String) -> String? { rule.string(key).flatMap { $0.isEmpty ? nil : $0 } }
        return NewRule(mchids: mchids, beginTime: begin, endTime: end, cardID: cardID, leastCost: least, maxCost: most,
                       jumpURL: text("jump_url"), appBrandID: text("app_brand_id"), appBrandPass: text("app_brand_pass"))
    }

    /// Merchant ids are strings; SDKs that send them as numbers are understood. A repeated id
    /// counts once.
    static func mchidList(_ items: [JSONValue]) throws -> [String] {
        var seen = Set<String>(), mchids: [String] = []
        for (index, item) in items.enumerated() {
            let mchid: String
            switch item {
            case .string(let text): mchid = text
            case .int(let number) where number >= 0: mchid = String(number)
            default: throw WeChatError.dataFormat.detail("rule_info.base_info.mchid_list[\(index)] must be a string")
            }
            try checkMchid(mchid, field: "rule_info.base_info.mchid_list[\(index)]")
            if seen.insert(mchid).inserted { mchids.append(mchid) }
        }
        guard !mchids.isEmpty else { throw WeChatError.missingRequiredFields.detail("rule_info.base_info.mchid_list is empty") }
        guard mchids.count <= maxMchidsPerCall else {
            throw WeChatError.mchidSizeLimit.detail("at most \(maxMchidsPerCall) merchant ids per call")
        }
        return mchids
    }

    /// A merchant id: 1 to 32 bytes.
    @discardableResult
    public static func checkMchid(_ mchid: String?, field: String = "mchid") throws -> String {
        guard let mchid, !mchid.isEmpty else { throw WeChatError.missingRequiredFields.detail("missing \(field)") }
        guard mchid.utf8.count <= maxMchidBytes else {
            throw WeChatError.outOfLengthLimit.detail("\(field) is longer than \(maxMchidBytes) bytes")
        }
        return mchid
    }

    /// `paygiftcard/batchget`: the type (when sent) is the member-card rule type; a page of 1 to 100.
    public static func batchPage(type: String?, offset: Int?, count: Int?) throws -> (offset: Int, count: Int) {
        if let type, type != memberCardRuleType { throw WeChatError.invalidArgs.detail("type must be \(memberCardRuleType)") }
        let offset = try Ranges.check(offset ?? 0, in: Ranges.offset, field: "offset")
        let count = try Ranges.check(count ?? 10, in: 1...maxBatchCount, field: "count")
        return (offset, count)
    }

    /// `delete` and `getbyid` name a rule: 41011 without one.
    public static func requireRuleID(_ ruleID: Int64?) throws -> Int64 {
        guard let ruleID else { throw WeChatError.missingRequiredFields.detail("missing rule_id") }
        return ruleID
    }

    /// An unknown, deleted or other app's rule (no documented code; see docs/compatibility.md).
    public static func unknownRule(_ ruleID: Int64) -> WeChatError {
        WeChatError.invalidArgs.detail("rule_id \(ruleID) is unknown or deleted")
    }

    /// A rule gifts its card on a payment inside its time window whose amount is within
    /// [least_cost, max_cost], both ends included.
    public static func gifts(_ rule: PayGiftRule, totalFee: Int64, now: Int64) -> Bool {
        rule.status == .ok && rule.beginTime <= now && now <= rule.endTime
            && rule.leastCost <= totalFee && totalFee <= rule.maxCost
    }

    /// Rule ids look like WeChat's: a positive number that fits 32 bits (SDKs type it as int).
    public static func makeRuleID() -> Int64 { Int64.random(in: 10_000_000...2_147_483_647) }

    /// WeChat Pay transaction ids are 28 digits starting with 4200.
    public static func makeTransactionID() -> String { "4200" + RandomString.make(length: 24, alphabet: RandomString.digits) }

    public static func giftText(card: CardDefinition) -> String {
        "感谢您的支付，点击领取\(card.baseInfo.string("title") ?? "会员卡")"
    }
}

extension WeChatError {
    public static let noMatchCard = WeChatError(72001, "no match card")
    public static let mchidNotBindAppid = WeChatError(72002, "mchid is not bind appid")
    public static let needMemberCard = WeChatError(72003, "invalid card type, need member card")
    public static let mchidOccupied = WeChatError(72004, "mchid is occupied by the other appid")
    public static let mchidSizeLimit = WeChatError(72005, "out of mchid size limit")
}
