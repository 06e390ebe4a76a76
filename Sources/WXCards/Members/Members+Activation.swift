import Foundation

/// Activation (Activating a Member Card) and member information (Member card 8.1).
extension Members {
    static let activateFields: [String: Field] = [
        "membership_number": .required(.string(maxBytes: 20)),
        "code": .required(.string(maxBytes: 20)),
        "card_id": .optional(.string(maxBytes: 32)),
        "background_pic_url": .optional(.string(maxBytes: 128)),
        "activate_begin_time": .optional(.int),
        "activate_end_time": .optional(.int),
        "init_bonus": .optional(.int),
        "init_bonus_record": .optional(.string(maxBytes: 32)),
        "init_balance": .optional(.int),
        "init_custom_field_value1": .optional(.string(maxBytes: 12)),
        "init_custom_field_value2": .optional(.string(maxBytes: 12)),
        "init_custom_field_value3": .optional(.string(maxBytes: 12)),
    ]

    /// `/sandbox/membercard/submit_form`: what the user fills in on the card's form.
    public static let submitFormFields: [String: Field] = [
        "openid": .required(.text, missing: .invalidOpenid), "card_id": .optional(.text), "code": .optional(.text),
        "common_field_list": .optional(.array(of: .object(ActivationForm.itemFields))),
        "custom_field_list": .optional(.array(of: .object(ActivationForm.itemFields))),
    ]

    /// `POST /card/membercard/activate`.
    public func activateByMerchant(appid: String, body: [String: JSONValue]) async throws {
        try FieldSchema.check(body, against: Self.activateFields, path: "", allowUnknown: true)
        let held = try await self.held(appid: appid, cardID: body.string("card_id"), code: body.string("code"))
        guard held.card.isMemberCard else { throw WeChatError.invalidCardType.detail("\(held.card.cardID) is not a member card") }
        let now = try await clock.now()
        guard UserCardRules.effectiveStatus(held.userCard, card: held.card, now: now).isUsable else { throw WeChatError.invalidUserCardStatus }
        guard !held.userCard.activated else { throw WeChatError.invalidArgs.detail("the card is already activated") }
        let bonus = try Ranges.check(body.int("init_bonus") ?? 0, in: Ranges.int32, field: "init_bonus", error: .bonusOutOfLimit)
        let balance = try Ranges.check(body.int("init_balance") ?? 0, in: Ranges.int32, field: "init_balance", error: .balanceOutOfLimit)
        if bonus != 0, !held.card.supplyBonus { throw WeChatError.cannotUseBonus }
        if balance != 0, !held.card.supplyBalance { throw WeChatError.cannotUseBalance }
        let begin = try Ranges.check(body.int("activate_begin_time"), in: Ranges.timestamp, field: "activate_begin_time", error: .invalidTime)
        let end = try Ranges.check(body.int("activate_end_time"), in: Ranges.timestamp, field: "activate_end_time", error: .invalidTime)
        if let begin, let end, begin >= end { throw WeChatError.invalidTime.detail("activate_begin_time must be before activate_end_time") }
        let activation = Activation(
            membershipNumber: body.string("membership_number") ?? "", bonus: bonus, bonusRecord: body.string("init_bonus_record"),
            balance: balance, customFieldValues: (1...3).map { body.string("init_custom_field_value\($0)") },
            backgroundPicURL: body.string("background_pic_url"), beginTime: begin, endTime: end)
        try await db.write { db in
            try await self.activate(db, held: held, activation: activation, source: "activate", now: now)
        }
    }

    /// `POST /card/membercard/activateuserform/set`.
    public func setForm(appid: String, body: [String: JSONValue]) async throws {
        let form = try ActivationForm.validate(body)
        let card = try await cards.card(appid: appid, cardID: body.string("card_id"))
        guard card.isMemberCard else { throw WeChatError.invalidCardType.detail("\(card.cardID) is not a member card") }
        try await store.setForm(appid: appid, cardID: card.cardID, form: form, now: try await clock.now())
    }

    /// `POST /sandbox/membercard/submit_form`: the user fills the form. Answers the activate_ticket.
    /// With `wx_activate` (and not the jump-type variant) the card activates at once.
    public func submitForm(appid: String, body: [String: JSONValue]) async throws -> String {
        try FieldSchema.check(body, against: Self.submitFormFields, path: "", allowUnknown: true)
        let openid = try UserCardRules.checkOpenid(body.string("openid"))
        let held = try await member(appid: appid, cardID: body.string("card_id"), code: body.string("code"))
        guard held.userCard.openid == openid else { throw WeChatError.invalidSerialCode.detail("the code is not this user's") }
        guard let form = try await store.form(appid: appid, cardID: held.card.cardID) else {
            throw WeChatError.invalidArgs.detail("the card has no activation form (activateuserform/set)")
        }
        let userInfo = try ActivationForm.submission(
            form: form,
            common: body["common_field_list"]?.arrayValue?.compactMap(\.objectValue) ?? [],
            custom: body["custom_field_list"]?.arrayValue?.compactMap(\.objectValue) ?? [])
        let now = try await clock.now()
        guard UserCardRules.effectiveStatus(held.userCard, card: held.card, now: now).isUsable else { throw WeChatError.invalidUserCardStatus }
        let canModify = (form.object("required_form")?.bool("can_modify") ?? false) || (form.object("optional_form")?.bool("can_modify") ?? false)
        if held.userCard.activated, !canModify {
            throw WeChatError.invalidArgs.detail("the card is activated and its form can not be modified")
        }
        let ticket = RandomString.make(length: 48)
        let oneClick = held.card.body.bool("wx_activate") == true && held.card.body.bool("wx_activate_after_submit") != true
        let info = try JSONValue.object(userInfo).jsonText()
        try await db.write { db in
            try await MemberStore.setUserInfo(db, appid: appid, ucid: held.userCard.ucid, info: info, now: now)
            try await MemberStore.insertTicket(db, appid: appid, ticket: ticket, held: held.userCard, info: userInfo, now: now)
            try await Pushes.record(db, appid: appid, .submitMemberCardUserInfo(
                openid: openid, cardID: held.card.cardID, code: held.userCard.code), now: now)
            if oneClick, !held.userCard.activated {
                try await self.activate(db, held: held, activation: Activation(
                    membershipNumber: held.userCard.code, bonus: UserCardRules.initialBonus(held.card)), source: "wx_activate", now: now)
            }
        }
        return ticket
    }

    /// `POST /card/membercard/activatetempinfo/get`: what the user submitted with this ticket.
    public func activateTempInfo(appid: String, ticket: String?) async throws -> [String: JSONValue] {
        guard let ticket, !ticket.isEmpty else { throw WeChatError.missingRequiredFields.detail("missing activate_ticket") }
        // Tickets reach merchants URL-encoded; accept them either way.
        guard let info = try await store.ticketInfo(appid: appid, ticket: ticket.removingPercentEncoding ?? ticket) else {
            throw WeChatError.invalidArgs.detail("unknown activate_ticket")
        }
        return info
    }

    /// `POST /card/membercard/userinfo/get` (Member card 8.1, plus balance and has_active). A code given
    /// away answers GIFT_SUCC with the sender's openid and data; one being given, GIFTING.
    public func userInfo(appid: String, cardID: String?, code: String?) async throws -> MemberInfo {
        let held = try await member(appid: appid, cardID: cardID, code: code, giftedAway: true)
        let profile = held.profile
        let status = UserCardRules.effectiveStatus(held.userCard, card: held.card, now: try await clock.now())
        var info = held.userCard.userInfo
        if info["common_field_list"] == nil { info["common_field_list"] = .array([]) }
        if info["custom_field_list"] == nil { info["custom_field_list"] = .array([]) }
        return MemberInfo(
            openid: held.userCard.openid, nickname: profile.nickname, membership_number: held.userCard.membershipNumber,
            bonus: held.userCard.bonus, balance: held.userCard.balance, sex: profile.sex, user_info: .object(info),
            user_card_status: UserCardRules.memberStatus(status).rawValue, has_active: held.userCard.activated)
    }

    public struct MemberInfo: Encodable, Sendable {
        public let openid: String
        public let nickname: String
        public let membership_number: String
        public let bonus: Int64
        public let balance: Int64
        public let sex: String
        public let user_info: JSONValue
        public let user_card_status: String
        public let has_active: Bool
    }
}
