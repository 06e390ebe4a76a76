/// The rules of codes held by users (the code APIs, member activation, Member card 8.1), as pure functions.
public enum UserCardRules {
    public static let giftTimeout: Int64 = 86_400
    public static let defaultGetLimit: Int64 = 50
    /// `end_time` of a card that never expires (a permanent member card).
    public static let forever: Int64 = 2_147_483_647
    public static let maxCodeBytes = 20

    /// When the code can be used: the card's range (read live, so an extended range extends its
    /// codes), or from the claim on; replaced by what was fixed for this code, at claim for a term
    /// card or at activation (`activate_begin_time` / `activate_end_time`).
    public static func validity(_ userCard: UserCard, card: CardDefinition) -> (begin: Int64, end: Int64) {
        let range = cardRange(card)
        return (userCard.beginTime ?? range.begin ?? userCard.claimTime, userCard.endTime ?? range.end ?? forever)
    }

    /// The card's own range (`DATE_TYPE_FIX_TIME_RANGE`), which its codes share unless they
    /// have one of their own; nil ends for the other date types.
    public static func cardRange(_ card: CardDefinition) -> (begin: Int64?, end: Int64?) {
        let dateInfo = card.baseInfo.object("date_info") ?? [:]
        guard DateInfoType(dateInfo["type"]) == .fixTimeRange else { return (nil, nil) }
        return (dateInfo.int("begin_timestamp"), dateInfo.int("end_timestamp"))
    }

    /// A term card (`DATE_TYPE_FIX_TERM`) is valid from `fixed_begin_term` days after the claim,
    /// for `fixed_term` days, and never past the card's `end_timestamp` if it has one.
    /// The terms are clamped to `Ranges.termDays` here too: a card stored before that range was
    /// checked must not make every claim of it overflow.
    public static func termWindow(card: CardDefinition, claimTime: Int64) -> (begin: Int64, end: Int64)? {
        let dateInfo = card.baseInfo.object("date_info") ?? [:]
        guard DateInfoType(dateInfo["type"]) == .fixTerm, let storedTerm = dateInfo.int("fixed_term") else { return nil }
        let days = { (value: Int64) in min(max(value, Ranges.termDays.lowerBound), Ranges.termDays.upperBound) }
        let term = max(days(storedTerm), 1)
        let begin = claimTime + days(dateInfo.int("fixed_begin_term") ?? 0) * 86_400
        var end = begin + term * 86_400 - 1
        if let hardEnd = dateInfo.int("end_timestamp") { end = min(end, hardEnd) }
        return (begin, end)
    }

    /// The status as of `now`: an unanswered gift comes back after 24 hours (GIFT_TIMEOUT), and
    /// a usable code past its end is EXPIRE.
    public static func effectiveStatus(_ userCard: UserCard, card: CardDefinition, now: Int64) -> UserCardStatus {
        var status = userCard.status
        if status == .gifting, let giftTime = userCard.giftTime, now >= giftTime + giftTimeout { status = .giftTimeout }
        let end = validity(userCard, card: card).end
        if status.isUsable, end != forever, now > end { status = .expire }
        return status
    }

    public static func canConsume(_ userCard: UserCard, card: CardDefinition, now: Int64) -> Bool {
        effectiveStatus(userCard, card: card, now: now).isUsable && now >= validity(userCard, card: card).begin
    }

    /// `code/get` and `code/consume` on a code that can not be used: 40099 once consumed, else 40127.
    public static func unusableError(_ status: UserCardStatus) -> WeChatError {
        status == .consumed ? .codeConsumed : .invalidUserCardStatus
    }

    /// `userinfo/get` has seven statuses (Member card 8.1); a consumed member card shows as UNAVAILABLE.
    public static func memberStatus(_ status: UserCardStatus) -> UserCardStatus {
        status == .consumed ? .unavailable : status
    }

    // MARK: Claim

    /// May `openid` claim this card now? Approved cards, or any but deleted for whitelisted test users.
    public static func checkClaimable(_ card: CardDefinition, whitelisted: Bool) throws {
        switch card.status {
        case .verifyOK, .dispatch: return
        case .delete: throw WeChatError.invalidCardStatus.detail("the card is deleted")
        case .notVerify, .verifyFail:
            if !whitelisted { throw WeChatError.invalidCardStatus.detail("the card is not approved; only test whitelist users may claim it") }
        }
    }

    public static func getLimit(_ card: CardDefinition) -> Int64 { card.baseInfo.int("get_limit") ?? defaultGetLimit }

    /// The code a claim asks for: required and at most 20 bytes on custom-code cards, ignored on others.
    public static func requestedCode(_ code: String?, card: CardDefinition) throws -> String? {
        guard card.baseInfo.bool("use_custom_code") == true else { return nil }
        guard let code, !code.isEmpty else { throw WeChatError.missingCode.detail("this card uses custom codes: give code") }
        guard code.utf8.count <= maxCodeBytes, code.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw WeChatError.invalidCode.detail("code must be 1 to 20 visible ASCII characters")
        }
        return code
    }

    /// Custom codes are unique per card; WeChat's 12-digit codes are unique per app.
    public static func codeScope(card: CardDefinition) -> String {
        card.baseInfo.bool("use_custom_code") == true ? card.cardID : ""
    }

    public static func makeCode() -> String { RandomString.make(length: 12, alphabet: RandomString.digits) }

    public static func checkOpenid(_ openid: String?) throws -> String {
        guard let openid, !openid.isEmpty, openid.utf8.count <= 64 else { throw WeChatError.invalidOpenid }
        return openid
    }

    /// Points granted when a card activates by itself (auto or one-click activation), within
    /// int32 also for a card stored before `bonus_rule` was range-checked.
    public static func initialBonus(_ card: CardDefinition) -> Int64 {
        let granted = card.body.object("bonus_rule")?.int("init_increase_bonus") ?? 0
        return card.supplyBonus ? min(max(0, granted), Ranges.int32.upperBound) : 0
    }

    /// `card_sku_remind`'s condition: a card that has had more than 200 in stock has 100 or
    /// fewer left.
    public static func stockIsLow(quantity: Int64, total: Int64) -> Bool {
        total > 200 && quantity <= 100
    }
}

extension WeChatError {
    public static let invalidOpenid = WeChatError(40003, "invalid openid")
    public static let invalidSerialCode = WeChatError(40056, "invalid serial code")
    public static let invalidEncryptCode = WeChatError(40075, "invalid encrypt code")
    public static let codeConsumed = WeChatError(40099, "invalid code, this code has consumed.")
    public static let invalidCode = WeChatError(40116, "invalid code")
    public static let invalidUserCardStatus = WeChatError(
        40127, "invalid user-card status! Hint: the card was given to user, but may be deleted or expired or set unavailable !")
    public static let missingCode = WeChatError(41013, "missing code")
    public static let cannotUseBalance = WeChatError(43010, "can not use balance, need authorize")
    public static let cannotUseBonus = WeChatError(43011, "can not use bonus, need authorize")
    public static let bonusOutOfLimit = WeChatError(45022, "bonus is out of limit")
    public static let balanceOutOfLimit = WeChatError(45023, "balance is out of limit")
    public static let cardFunctionNotSupported = WeChatError(45030, "limit cardid, not support this function")
    public static let stockOutOfLimit = WeChatError(45031, "stock is out of limit")
    public static let getLimitReached = WeChatError(45033, "user get card num is out of get_limit")
}
