/// The code APIs: get, consume, decrypt, update, unavailable, and a user's card list.
extension Members {
    public struct CodeInfo: Encodable, Sendable {
        public struct Card: Encodable, Sendable {
            public let card_id: String
            public let begin_time: Int64
            public let end_time: Int64
        }
        public let card: Card
        public let openid: String
        public let can_consume: Bool
        public let outer_str: String?
        public let user_card_status: String
    }

    /// `code/get`. With `check_consume` (the default) a code that can not be used is an error:
    /// 40099 once consumed, 40127 otherwise; without it the real status is answered.
    public func codeInfo(appid: String, cardID: String?, code: String?, checkConsume: Bool) async throws -> CodeInfo {
        let held = try await self.held(appid: appid, cardID: cardID, code: code)
        let now = try await clock.now()
        let status = UserCardRules.effectiveStatus(held.userCard, card: held.card, now: now)
        if checkConsume, !status.isUsable { throw UserCardRules.unusableError(status) }
        let validity = UserCardRules.validity(held.userCard, card: held.card)
        return CodeInfo(
            card: .init(card_id: held.card.cardID, begin_time: validity.begin, end_time: validity.end),
            openid: held.userCard.openid, can_consume: UserCardRules.canConsume(held.userCard, card: held.card, now: now),
            outer_str: held.userCard.outerStr, user_card_status: status.rawValue)
    }

    /// `code/consume`: the code becomes CONSUMED; a second consume is 40099.
    public func consume(appid: String, cardID: String?, code: String?) async throws -> (cardID: String, openid: String) {
        let held = try await self.held(appid: appid, cardID: cardID, code: code)
        let now = try await clock.now()
        let status = UserCardRules.effectiveStatus(held.userCard, card: held.card, now: now)
        guard status.isUsable else { throw UserCardRules.unusableError(status) }
        guard UserCardRules.canConsume(held.userCard, card: held.card, now: now) else {
            throw WeChatError.invalidUserCardStatus.detail("the code is not valid yet")
        }
        try await db.write { db in
            guard try await MemberStore.transition(db, appid: appid, ucid: held.userCard.ucid, from: held.userCard.status, to: .consumed,
                                                   set: ", consume_time = \(bind: now)", now: now)
            else { throw WeChatError.codeConsumed }
            try await CardActivity.record(db, card: held.card, openid: held.userCard.openid, kind: .verify, hold: -1, now: now)
            try await Pushes.record(db, appid: appid, .userConsumeCard(
                openid: held.userCard.openid, cardID: held.card.cardID, code: held.userCard.code, outerStr: held.userCard.outerStr), now: now)
        }
        return (held.card.cardID, held.userCard.openid)
    }

    /// `code/update`: a new code for the same holding (after a gift, for custom-code merchants).
    public func updateCode(appid: String, cardID: String?, code: String?, newCode: String?) async throws {
        guard let newCode, !newCode.isEmpty else { throw WeChatError.missingRequiredFields.detail("missing new_code") }
        guard newCode.utf8.count <= UserCardRules.maxCodeBytes, newCode.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw WeChatError.invalidCode.detail("new_code must be 1 to 20 visible ASCII characters")
        }
        let held = try await self.held(appid: appid, cardID: cardID, code: code)
        let status = UserCardRules.effectiveStatus(held.userCard, card: held.card, now: try await clock.now())
        guard status.isUsable || status == .gifting else { throw UserCardRules.unusableError(status) }
        do {
            try await db.write { db in
                guard try await MemberStore.changeCode(db, appid: appid, ucid: held.userCard.ucid, from: held.userCard.code, to: newCode)
                else { throw WeChatError.invalidSerialCode }
            }
        } catch where Store.isUniqueViolation(error) {
            throw WeChatError.invalidCode.detail("new_code \(newCode) is already in use")
        }
    }

    /// `code/unavailable`: irreversible.
    public func makeUnavailable(appid: String, cardID: String?, code: String?, reason: String?) async throws {
        if let reason, reason.utf8.count > 256 { throw WeChatError.outOfLengthLimit.detail("reason is longer than 256 bytes") }
        let held = try await self.held(appid: appid, cardID: cardID, code: code)
        guard held.userCard.status != .unavailable, held.userCard.status != .delete else { throw WeChatError.invalidUserCardStatus }
        let now = try await clock.now()
        try await db.write { db in
            guard try await MemberStore.transition(db, appid: appid, ucid: held.userCard.ucid, from: held.userCard.status, to: .unavailable,
                                                   set: ", unavailable_reason = \(bind: reason)", now: now)
            else { throw WeChatError.invalidUserCardStatus }
            try await CardActivity.record(db, card: held.card, openid: held.userCard.openid, kind: .end,
                                          hold: CardActivity.released(UserCardRules.effectiveStatus(held.userCard, card: held.card, now: now)),
                                          now: now)
        }
    }

    public func decrypt(appid: String, encryptCode: String?) async throws -> String {
        guard let encryptCode, !encryptCode.isEmpty else { throw WeChatError.missingRequiredFields.detail("missing encrypt_code") }
        return try cipher.decrypt(encryptCode, appid: appid).code
    }

    /// `user/getcardlist` lists at most this many codes (WeChat's answer has no paging).
    public static let maxCardList = 1000

    /// `user/getcardlist`: the codes in the user's card bag, usable or being given away, oldest
    /// first, at most `maxCardList`.
    public func cardList(appid: String, openid: String?, cardID: String?) async throws -> [[String: String]] {
        let openid = try UserCardRules.checkOpenid(openid)
        if let cardID, !cardID.isEmpty { _ = try await cards.card(appid: appid, cardID: cardID) }
        let now = try await clock.now()
        return try await store.bag(appid: appid, openid: openid, cardID: cardID.flatMap { $0.isEmpty ? nil : $0 }, limit: Self.maxCardList)
            .filter {
                let status = UserCardRules.effectiveStatus($0.userCard, card: $0.card, now: now)
                return status.isUsable || status == .gifting
            }
            .map { ["code": $0.userCard.code, "card_id": $0.card.cardID] }
    }
}
