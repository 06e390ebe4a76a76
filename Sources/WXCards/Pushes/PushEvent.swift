/// One card event as WeChat pushes it to the merchant's message server (api §7.2's elements, in
/// its order). Pure: the XML is built from the event and the account's `original_id`.
public struct PushEvent: Sendable {
    public let event: String
    /// The user the event is about (`FromUserName` and the `openid` parameter); for WeChat's own
    /// events (reviews, stock reminders) `PushEvent.weChatSender`.
    public let openid: String
    public let cardID: String
    /// The elements after `Event`.
    public let elements: [(name: String, value: EventXML.Value)]

    /// `FromUserName` of events no user caused.
    public static let weChatSender = "WeChat"

    /// Pushes of one user, or of one card for WeChat's own events, are delivered in order.
    public var orderKey: String { openid == Self.weChatSender ? "card:" + cardID : "user:" + openid }

    public func xml(originalID: String, createTime: Int64) -> String {
        EventXML([
            ("ToUserName", .text(originalID)), ("FromUserName", .text(openid)), ("CreateTime", .number(createTime)),
            ("MsgType", .text("event")), ("Event", .text(event)),
        ] + elements).text
    }

    private init(_ event: String, openid: String, cardID: String, _ elements: [(name: String, value: EventXML.Value)]) {
        self.event = event
        self.openid = openid
        self.cardID = cardID
        self.elements = [("CardId", .text(cardID))] + elements
    }

    /// Without CardId: a merchant's review is not about a card.
    private init(_ event: String, withoutCard elements: [(name: String, value: EventXML.Value)]) {
        self.event = event
        self.openid = Self.weChatSender
        self.cardID = ""
        self.elements = elements
    }

    /// A sub-merchant's review (代制).
    public static func merchantCheckResult(merchantID: Int64, pass: Bool, reason: String) -> PushEvent {
        PushEvent("card_merchant_check_result", withoutCard: [
            ("MerchantId", .number(merchantID)), ("IsPass", flag(pass)), ("Reason", .text(reason)),
        ])
    }

    private static func flag(_ value: Bool) -> EventXML.Value { .number(value ? 1 : 0) }

    public static func review(cardID: String, pass: Bool, reason: String?) -> PushEvent {
        PushEvent(pass ? "card_pass_check" : "card_not_pass_check", openid: weChatSender, cardID: cardID,
                  [("RefuseReason", .text(pass ? "" : reason ?? ""))])
    }

    /// A claim; for a gift's receiver, `friend` is the sender and `oldCode` the sender's code.
    public static func userGetCard(openid: String, cardID: String, code: String, outerStr: String?, friend: String?, oldCode: String?) -> PushEvent {
        PushEvent("user_get_card", openid: openid, cardID: cardID, [
            ("IsGiveByFriend", flag(friend != nil)), ("UserCardCode", .text(code)), ("FriendUserName", .text(friend ?? "")),
            ("OuterId", .number(0)), ("OldUserCardCode", .text(oldCode ?? "")), ("OuterStr", .text(outerStr ?? "")),
            ("IsRestoreMemberCard", .number(0)), ("IsRecommendByFriend", .number(0)),
        ])
    }

    public static func userGiftingCard(openid: String, cardID: String, code: String, friend: String) -> PushEvent {
        PushEvent("user_gifting_card", openid: openid, cardID: cardID, [
            ("UserCardCode", .text(code)), ("IsReturnBack", .number(0)), ("FriendUserName", .text(friend)), ("IsChatRoom", .number(0)),
        ])
    }

    public static func userDelCard(openid: String, cardID: String, code: String) -> PushEvent {
        PushEvent("user_del_card", openid: openid, cardID: cardID, [("UserCardCode", .text(code))])
    }

    public static func userConsumeCard(openid: String, cardID: String, code: String, outerStr: String?) -> PushEvent {
        PushEvent("user_consume_card", openid: openid, cardID: cardID, [
            ("UserCardCode", .text(code)), ("ConsumeSource", .text("FROM_API")), ("LocationName", .text("")),
            ("StaffOpenId", .text("")), ("VerifyCode", .text("")), ("RemarkAmount", .text("")), ("OuterStr", .text(outerStr ?? "")),
        ])
    }

    public static func updateMemberCard(openid: String, cardID: String, code: String, bonus: Int64, balance: Int64) -> PushEvent {
        PushEvent("update_member_card", openid: openid, cardID: cardID, [
            ("UserCardCode", .text(code)), ("ModifyBonus", .number(bonus)), ("ModifyBalance", .number(balance)),
        ])
    }

    public static func submitMemberCardUserInfo(openid: String, cardID: String, code: String) -> PushEvent {
        PushEvent("submit_membercard_user_info", openid: openid, cardID: cardID, [("UserCardCode", .text(code))])
    }

    public static func userPayFromPayCell(openid: String, cardID: String, code: String, transactionID: String, fee: Int64, originalFee: Int64) -> PushEvent {
        PushEvent("user_pay_from_pay_cell", openid: openid, cardID: cardID, [
            ("UserCardCode", .text(code)), ("TransId", .text(transactionID)), ("LocationId", .number(0)),
            ("Fee", .number(fee)), ("OriginalFee", .number(originalFee)),
        ])
    }

    public static func userViewCard(openid: String, cardID: String, code: String, outerStr: String?) -> PushEvent {
        PushEvent("user_view_card", openid: openid, cardID: cardID, [("UserCardCode", .text(code)), ("OuterStr", .text(outerStr ?? ""))])
    }

    public static func userEnterSessionFromCard(openid: String, cardID: String, code: String) -> PushEvent {
        PushEvent("user_enter_session_from_card", openid: openid, cardID: cardID, [("UserCardCode", .text(code))])
    }

    public static func cardSkuRemind(cardID: String, left: Int64) -> PushEvent {
        PushEvent("card_sku_remind", openid: weChatSender, cardID: cardID, [("Detail", .text("the card's quantity is equal to \(left)"))])
    }
}
