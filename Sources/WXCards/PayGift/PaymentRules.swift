/// What a payment by member card costs and earns (Member card 8.5, Member card 8.2's `bonus_rule`), as pure functions.
public enum PaymentRules {
    /// `/sandbox/pay`'s body.
    public struct Request: Decodable, Sendable {
        public let mchid: String?
        public let openid: String?
        public let total_fee: Int64?
        public let card_id: String?
        public let code: String?
        public let use_bonus: Int64?

        public init(mchid: String?, openid: String?, total_fee: Int64?, card_id: String? = nil, code: String? = nil, use_bonus: Int64? = nil) {
            self.mchid = mchid
            self.openid = openid
            self.total_fee = total_fee
            self.card_id = card_id
            self.code = code
            self.use_bonus = use_bonus
        }

        /// Paying with a member card needs both its card_id and its code.
        public var paysByCard: Bool { card_id != nil || code != nil }
    }

    /// The checks that need nothing stored: merchant id, amount from 1 fen, points only with a card.
    public static func check(_ request: Request) throws -> (mchid: String, openid: String, totalFee: Int64, useBonus: Int64) {
        let mchid = try PayGiftRules.checkMchid(request.mchid)
        let openid = try UserCardRules.checkOpenid(request.openid)
        guard let totalFee = request.total_fee else { throw WeChatError.missingRequiredFields.detail("missing total_fee") }
        guard (1...PayGiftRules.maxFee).contains(totalFee) else {
            throw WeChatError.invalidArgs.detail("total_fee must be from 1 to \(PayGiftRules.maxFee) fen")
        }
        let useBonus = try Ranges.check(request.use_bonus ?? 0, in: Ranges.int32, field: "use_bonus")
        if useBonus > 0, !request.paysByCard { throw WeChatError.invalidArgs.detail("use_bonus needs the card_id and code of a member card") }
        return (mchid, openid, totalFee, useBonus)
    }

    public struct Terms: Sendable, Equatable {
        public let actualFee: Int64
        public let bonusAdded: Int64
        public let bonusUsed: Int64
    }

    /// The card's `discount` (10 means 10% off) comes off first; then `use_bonus` points pay in
    /// whole steps of `cost_bonus_unit`, each worth `reduce_money`, when the payment reaches
    /// `least_money_to_use_bonus`, at most `max_reduce_bonus` points and never below zero;
    /// points earned are `floor(total_fee / cost_money_unit) × increase_bonus`, at most
    /// `max_increase_bonus`. A limit of 0 or none is no limit.
    /// Asking for more points than the member has is 45022; points on a card without
    /// `supply_bonus` are 43011.
    public static func terms(totalFee: Int64, useBonus: Int64, memberBonus: Int64, card: CardDefinition) throws -> Terms {
        let discount = min(max(card.body.int("discount") ?? 0, 0), 99)
        let discounted = totalFee - totalFee * discount / 100
        guard card.supplyBonus else {
            if useBonus > 0 { throw WeChatError.cannotUseBonus.detail("the card has no points (supply_bonus)") }
            return Terms(actualFee: discounted, bonusAdded: 0, bonusUsed: 0)
        }
        guard useBonus <= memberBonus else {
            throw WeChatError.bonusOutOfLimit.detail("use_bonus \(useBonus) is more than the member's \(memberBonus) points")
        }
        let rule = card.body.object("bonus_rule") ?? [:]
        func value(_ key: String) -> Int64 { max(rule.int(key) ?? 0, 0) }

        var added: Int64 = 0
        if value("cost_money_unit") > 0, value("increase_bonus") > 0 {
            let (product, overflow) = (totalFee / value("cost_money_unit")).multipliedReportingOverflow(by: value("increase_bonus"))
            added = overflow ? Int64(Int32.max) : product
            if value("max_increase_bonus") > 0 { added = min(added, value("max_increase_bonus")) }
        }

        var steps: Int64 = 0
        let step = value("cost_bonus_unit"), worth = value("reduce_money")
        if useBonus > 0, step > 0, worth > 0, totalFee >= value("least_money_to_use_bonus") {
            steps = useBonus / step
            if value("max_reduce_bonus") > 0 { steps = min(steps, value("max_reduce_bonus") / step) }
            steps = min(steps, discounted / worth)
        }
        // Points are an int32: a payment by a member whose points are full earns what still
        // fits, rather than failing.
        let room = max(0, Ranges.int32.upperBound - max(0, memberBonus - steps * step))
        return Terms(actualFee: discounted - steps * worth, bonusAdded: min(added, room), bonusUsed: steps * step)
    }
}
