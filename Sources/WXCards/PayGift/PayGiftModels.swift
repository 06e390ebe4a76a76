/// "Become member upon payment" (Member card 8.4): a rule gifts a member card to users who pay at
/// its merchant ids, within its time window and amount range.
public struct PayGiftRule: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// A rule in force: it holds its merchant ids.
        case ok = "RULE_STATUS_OK"
        /// Deleted: its merchant ids are free; only `batchget` with `effective: false` shows it.
        case deleted = "RULE_STATUS_DELETE"
    }

    public let appid: String
    public let ruleID: Int64
    public let type: String
    /// The merchant ids this rule took when it was added.
    public let mchidList: [String]
    public let beginTime: Int64
    public let endTime: Int64
    public let cardID: String
    public let leastCost: Int64
    public let maxCost: Int64
    public let jumpURL: String?
    public let appBrandID: String?
    public let appBrandPass: String?
    public let status: Status
    public let createTime: Int64
    public let updateTime: Int64

    /// The link of the message the rule sends.
    public var link: MessageLink { MessageLink(jump_url: jumpURL, app_brand_id: appBrandID, app_brand_pass: appBrandPass) }
}

/// What `paygiftcard/add` answers for one merchant id it could not take.
public struct MchidFailure: Sendable, Equatable, Encodable {
    public let mchid: String
    public let errcode: Int
    public let errmsg: String
    public let occupy_rule_id: Int64?
    public let occupy_appid: String?

    init(mchid: String, error: WeChatError, occupyRuleID: Int64? = nil, occupyAppID: String? = nil) {
        self.mchid = mchid
        self.errcode = error.code
        self.errmsg = error.message
        self.occupy_rule_id = occupyRuleID
        self.occupy_appid = occupyAppID
    }
}

/// A simulated WeChat Pay payment and what it triggered; `/sandbox/pay` answers it and
/// `/sandbox/payments` lists it.
public struct Payment: Sendable, Equatable, Codable {
    public let transaction_id: String
    public let mchid: String
    public let openid: String
    public let total_fee: Int64
    /// What the user paid after the member discount and the points used.
    public let actual_fee: Int64
    /// The member card paid with, if any.
    public let card_id: String?
    public let code: String?
    public let bonus_added: Int64
    public let bonus_used: Int64
    /// The member card the payment gifted (pay-gift message sent), if any.
    public let gift_card_id: String?
    public let gift_rule_id: Int64?
    public let time: Int64
}
