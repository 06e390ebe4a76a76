/// A claim QR code from `/card/qrcode/create` (Creating a QR Code for Claiming). Scanning it is simulated by
/// `/sandbox/card/claim` with its ticket.
public struct CardQRCode: Sendable, Equatable {
    public let appid: String
    public let ticket: String
    /// `QR_CARD` or `QR_MULTIPLE_CARD`.
    public let actionName: String
    /// `action_info.card`, or each of `multiple_card.card_list`: card_id, code, openid, outer_str, …
    public let cards: [[String: JSONValue]]
    /// Unix seconds; nil for a long-lived code.
    public let expireTime: Int64?
    public let createTime: Int64

    public func isExpired(at now: Int64) -> Bool { expireTime.map { now >= $0 } ?? false }

    /// What a phone scanning the code opens (the `url` of `/card/qrcode/create`), in WeChat's
    /// shape: `http://weixin.qq.com/q/` and 22 characters of the ticket.
    public var claimURL: String { "http://weixin.qq.com/q/\(ticket.dropFirst(2).prefix(22))" }
}

public enum QRCodeRules {
    public static let expireRange: ClosedRange<Int64> = 60...1800
    public static let maxMultipleCards = 5

    public struct Request: Sendable, Equatable {
        public let actionName: String
        public let cards: [[String: JSONValue]]
        public let expireSeconds: Int64?
    }

    static let cardFields: [String: Field] = [
        "card_id": .required(.string(maxBytes: 32)),
        "code": .optional(.string(maxBytes: 20)),
        "openid": .optional(.string(maxBytes: 64)),
        "is_unique_code": .optional(.bool),
        "outer_id": .optional(.int),
        "outer_str": .optional(.string(maxBytes: 128)),
    ]

    /// The body, as checked first: the action name (40052 when missing), the action info (40053),
    /// and the fields of each card.
    public static let requestSchema: [String: Field] = [
        "action_name": .required(.enumeration(["QR_CARD", "QR_MULTIPLE_CARD"]), missing: .invalidActionName),
        "expire_seconds": .optional(.int),
        "action_info": .required(.object([
            "card": .optional(.object(cardFields)),
            "multiple_card": .optional(.object(["card_list": .optional(.array(of: .object(cardFields)))])),
        ]), missing: .invalidActionInfo),
    ]

    /// Validates the request body: the action name (40052), the action info (40053), the
    /// expiry (60–1800 s) and, for several cards, at most 5 of them (45039).
    public static func validate(_ body: [String: JSONValue]) throws -> Request {
        try FieldSchema.check(body, against: requestSchema, path: "", allowUnknown: true)
        guard let actionName = body.string("action_name"), actionName == "QR_CARD" || actionName == "QR_MULTIPLE_CARD" else {
            throw WeChatError.invalidActionName
        }
        var expireSeconds: Int64?
        if let value = body["expire_seconds"], value != .null {
            guard let seconds = value.intValue, expireRange.contains(seconds) else {
                throw WeChatError.invalidArgs.detail("expire_seconds must be from 60 to 1800")
            }
            expireSeconds = seconds
        }
        guard let info = body.object("action_info") else { throw WeChatError.invalidActionInfo.detail("missing action_info") }
        let cards: [[String: JSONValue]]
        if actionName == "QR_CARD" {
            guard let card = info.object("card") else { throw WeChatError.invalidActionInfo.detail("missing action_info.card") }
            cards = [card]
        } else {
            guard let list = info.object("multiple_card")?["card_list"]?.arrayValue, !list.isEmpty else {
                throw WeChatError.invalidActionInfo.detail("missing action_info.multiple_card.card_list")
            }
            guard list.count <= maxMultipleCards else {
                throw WeChatError.cardListSizeOutOfLimit.detail("card_list holds at most \(maxMultipleCards) cards")
            }
            cards = try list.map { item in
                guard let card = item.objectValue else { throw WeChatError.invalidActionInfo }
                return card
            }
        }
        // Each card's fields were checked with the body (`requestSchema`).
        return Request(actionName: actionName, cards: cards, expireSeconds: expireSeconds)
    }

    /// A card on a code must be claimable by it: a custom-code card names its code, a card
    /// bound to openids names the openid (Creating a QR Code for Claiming).
    public static func check(_ entry: [String: JSONValue], against card: CardDefinition) throws {
        guard card.status != .delete else { throw WeChatError.invalidCardStatus.detail("card \(card.cardID) is deleted") }
        if card.baseInfo.bool("use_custom_code") == true, (entry.string("code") ?? "").isEmpty,
           card.baseInfo.string("get_custom_code_mode") == nil {
            throw WeChatError.invalidActionInfo.detail("card \(card.cardID) uses custom codes: give its code")
        }
        if card.baseInfo.bool("bind_openid") == true, (entry.string("openid") ?? "").isEmpty {
            throw WeChatError.invalidActionInfo.detail("card \(card.cardID) is bound to openids: give the openid")
        }
    }

    /// A ticket shaped like WeChat's (base64 text), unguessable.
    public static func makeTicket() -> String {
        "gQ" + RandomString.make(length: 94, alphabet: Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")) + "=="
    }
}
