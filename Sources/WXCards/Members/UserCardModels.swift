import Foundation
import Synchronization

/// `user_card_status` as stored (the code statuses). EXPIRE and GIFT_TIMEOUT are not stored: they follow
/// from the clock (see `UserCardRules.effectiveStatus`).
public enum UserCardStatus: String, Sendable, CaseIterable, Codable {
    case normal = "NORMAL"
    case consumed = "CONSUMED"
    case expire = "EXPIRE"
    case gifting = "GIFTING"
    case giftSucc = "GIFT_SUCC"
    case giftTimeout = "GIFT_TIMEOUT"
    case delete = "DELETE"
    case unavailable = "UNAVAILABLE"

    /// The holder has the card and may use it.
    public var isUsable: Bool { self == .normal || self == .giftTimeout }
}

/// One user's instance of a card (a "code"), as stored.
public struct UserCard: Sendable, Equatable {
    public let appid: String
    /// Internal id that never changes, even when `/card/code/update` changes the code.
    public let ucid: String
    public let cardID: String
    public let code: String
    public let openid: String
    public let status: UserCardStatus
    public let claimTime: Int64
    /// Validity fixed at claim (a term card) or at activation (`activate_begin_time` / `_end_time`).
    public let beginTime: Int64?
    public let endTime: Int64?
    public let activated: Bool
    public let membershipNumber: String
    public let bonus: Int64
    public let balance: Int64
    public let customFieldValues: [String?]
    public let backgroundPicURL: String?
    public let userInfo: [String: JSONValue]
    public let outerStr: String?
    public let outerID: Int64?
    public let giftTime: Int64?
    public let giftToOpenid: String?
}

/// A user's card with its card definition, read together.
public struct HeldCard: Sendable, Equatable {
    public let userCard: UserCard
    public let card: CardDefinition
    /// The holder's sandbox profile (or its defaults).
    public let profile: UserProfile
}

/// Orders what is listed newest first (a user's messages and payments, pay-gift rules) and the
/// pushes of one user: wall-clock microseconds times 1024, plus this process's slot (0 to 1023,
/// drawn at start), made strictly increasing within the process.
///
/// Several instances share one database: the slot keeps their numbers apart in the same
/// microsecond (and where a number is part of a key, `user_messages`, an insert that still meets
/// one is retried with the next number). Order across instances is the order of their wall
/// clocks, which on one host are the same clock. Numbers only grow, like the sandbox clock, so
/// they order events as the server clock does. Rows written before the slot existed (bare
/// microseconds) sort before every newer one.
public enum MessageSequence {
    private static let last = Atomic<Int64>(0)
    static let slot = Int64.random(in: 0..<1024)

    public static func next() -> Int64 {
        let now = Int64(Date().timeIntervalSince1970 * 1_000_000) * 1024 + slot
        var current = last.load(ordering: .relaxed)
        while true {
            // The next number of this process: past `current`, in this process's slot.
            let candidate = max(now, current + 1024)
            let (exchanged, original) = last.compareExchange(expected: current, desired: candidate, ordering: .relaxed)
            if exchanged { return candidate }
            current = original
        }
    }

    /// A number as 16 hex digits: ids that start with it sort as the numbers do (pushes, the
    /// request journal), and an age threshold is the same text.
    public static func hex(_ value: Int64) -> String {
        Hex.encode(withUnsafeBytes(of: UInt64(bitPattern: value).bigEndian) { Array($0) })
    }

    /// The first number of the given wall-clock millisecond, for thresholds by age.
    public static func first(ofMillisecond milliseconds: Int64) -> Int64 {
        let (value, overflow) = milliseconds.multipliedReportingOverflow(by: 1_000 * 1024)
        return overflow ? Int64.max : value
    }
}

/// A sandbox user's profile, as `userinfo/get` shows it.
public struct UserProfile: Sendable, Equatable {
    public let openid: String
    public let nickname: String
    public let sex: String

    public static let sexes: Set<String> = ["MALE", "FEMALE", "UNKNOWN"]

    /// A profile as `/sandbox/user` sets it: unset fields take the defaults; sex is MALE, FEMALE
    /// or UNKNOWN; the nickname 1 to 64 bytes.
    public static func validated(openid: String, nickname: String?, sex: String?) throws -> UserProfile {
        let defaults = defaults(openid: openid)
        let sex = sex ?? defaults.sex
        guard sexes.contains(sex) else { throw WeChatError.invalidArgs.detail("sex must be MALE, FEMALE or UNKNOWN") }
        let nickname = nickname ?? defaults.nickname
        guard !nickname.isEmpty, nickname.utf8.count <= 64 else { throw WeChatError.invalidArgs.detail("nickname must be 1 to 64 bytes") }
        return UserProfile(openid: openid, nickname: nickname, sex: sex)
    }

    /// Users without a profile get stable defaults derived from their openid.
    public static func defaults(openid: String) -> UserProfile {
        UserProfile(openid: openid, nickname: "用户" + String(openid.suffix(6)), sex: "UNKNOWN")
    }
}

/// What WeChat would show the user in their chat with the Official Account.
public struct UserMessage: Sendable, Equatable, Encodable {
    public let time: Int64
    /// `activate`, `bonus`, `balance`, `custom_field`, `pay_gift`.
    public let kind: String
    public let text: String
    public let card_id: String
    public let code: String?
    /// The recommendation cell (Member card 8.3), when the card has one that has not ended.
    public let cell: JSONValue?
    /// Where tapping the message leads, when it leads somewhere of the merchant's own: the
    /// pay-gift message's `jump_url`, `app_brand_id` and `app_brand_pass` (Member card 8.4).
    public var link: MessageLink? = nil

    /// The link's fields sit beside the others (`jump_url`, …), as the rule names them.
    public func encode(to encoder: any Encoder) throws {
        enum Key: String, CodingKey { case time, kind, text, card_id, code, cell, jump_url, app_brand_id, app_brand_pass }
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(time, forKey: .time)
        try container.encode(kind, forKey: .kind)
        try container.encode(text, forKey: .text)
        try container.encode(card_id, forKey: .card_id)
        try container.encodeIfPresent(code, forKey: .code)
        try container.encodeIfPresent(cell, forKey: .cell)
        try container.encodeIfPresent(link?.jump_url, forKey: .jump_url)
        try container.encodeIfPresent(link?.app_brand_id, forKey: .app_brand_id)
        try container.encodeIfPresent(link?.app_brand_pass, forKey: .app_brand_pass)
    }
}

/// The merchant's own claim page of a pay-gift message: a web page or a Mini Program.
public struct MessageLink: Sendable, Equatable, Codable {
    public let jump_url: String?
    public let app_brand_id: String?
    public let app_brand_pass: String?

    public init(jump_url: String?, app_brand_id: String?, app_brand_pass: String?) {
        self.jump_url = jump_url
        self.app_brand_id = app_brand_id
        self.app_brand_pass = app_brand_pass
    }
}
