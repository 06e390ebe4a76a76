/// The names of the card definition APIs and WeChat's enum tables, as WeChat spells them.
public enum CardType: String, Sendable, CaseIterable, Codable {
    case memberCard = "MEMBER_CARD"
    case groupon = "GROUPON"
    case cash = "CASH"
    case discount = "DISCOUNT"
    case gift = "GIFT"
    case generalCoupon = "GENERAL_COUPON"

    /// The key of the type's object in create, get and update bodies (`member_card`, `cash`, …).
    public var bodyKey: String { rawValue.lowercased() }
}

public enum CardStatus: String, Sendable, CaseIterable, Codable {
    case notVerify = "CARD_STATUS_NOT_VERIFY"
    case verifyFail = "CARD_STATUS_VERIFY_FAIL"
    case verifyOK = "CARD_STATUS_VERIFY_OK"
    case delete = "CARD_STATUS_DELETE"
    case dispatch = "CARD_STATUS_DISPATCH"
}

public enum DateInfoType: String, Sendable, CaseIterable {
    case fixTimeRange = "DATE_TYPE_FIX_TIME_RANGE"
    case fixTerm = "DATE_TYPE_FIX_TERM"
    case permanent = "DATE_TYPE_PERMANENT"

    /// Accepts the string names and the legacy numbers 1 and 2 (Creating a Card).
    public init?(_ value: JSONValue?) {
        switch value {
        case .string(let text): self.init(rawValue: text)
        case .int(1): self = .fixTimeRange
        case .int(2): self = .fixTerm
        default: return nil
        }
    }
}

/// How new and changed cards are reviewed: `auto` approves at once, `manual` waits for
/// `POST /sandbox/card/review`.
public enum ReviewMode: String, Sendable, CaseIterable {
    case auto, manual
}

/// Where a card was made, as datacube's `cond_source` numbers it.
public enum CardSource: Int64, Sendable, CaseIterable {
    /// In the web console (mp.weixin.qq.com for WeChat; the console of wxcards).
    case console = 0
    /// Through `/card/create`.
    case api = 1
}

/// A stored card definition.
public struct CardDefinition: Sendable, Equatable {
    public let appid: String
    public let cardID: String
    public let type: CardType
    public let status: CardStatus
    /// The type's object (`member_card`, …) as the merchant set it, `base_info` included,
    /// without the fields the server keeps itself (id, status, times, stock).
    public let body: [String: JSONValue]
    /// Stock left to claim.
    public let quantity: Int64
    /// Stock ever made available: what was created, plus increases, minus reductions.
    public let totalQuantity: Int64
    public let createTime: Int64
    public let updateTime: Int64
    /// Where the card was made: datacube's `cond_source`.
    public var source: CardSource = .api

    public var baseInfo: [String: JSONValue] { body.object("base_info") ?? [:] }
    public var isMemberCard: Bool { type == .memberCard }
    public var supplyBonus: Bool { body.bool("supply_bonus") ?? false }
    public var supplyBalance: Bool { body.bool("supply_balance") ?? false }
}

/// 14 colours of WeChat's enum tables.
public enum CardColor {
    public static let names: Set<String> = [
        "Color010", "Color020", "Color030", "Color040", "Color050", "Color060", "Color070",
        "Color080", "Color081", "Color082", "Color090", "Color100", "Color101", "Color102",
    ]
}

public enum CodeType {
    public static let names: Set<String> = [
        "CODE_TYPE_TEXT", "CODE_TYPE_BARCODE", "CODE_TYPE_QRCODE", "CODE_TYPE_ONLY_QRCODE",
        "CODE_TYPE_ONLY_BARCODE", "CODE_TYPE_NONE",
    ]
}

public enum CustomFieldNameType {
    public static let names: Set<String> = [
        "FIELD_NAME_TYPE_LEVEL", "FIELD_NAME_TYPE_COUPON", "FIELD_NAME_TYPE_STAMP", "FIELD_NAME_TYPE_DISCOUNT",
        "FIELD_NAME_TYPE_ACHIEVEMEN", "FIELD_NAME_TYPE_MILEAGE", "FIELD_NAME_TYPE_SET_POINTS", "FIELD_NAME_TYPE_TIMS",
    ]
}
