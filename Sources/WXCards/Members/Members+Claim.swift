import SQLKit

/// The user's side of a card (simulated under /sandbox/): claim, gift, delete.
extension Members {
    public struct Claimed: Sendable {
        public let cardID: String
        public let code: String
        public let encryptCode: String
    }

    /// Claims a card by card_id or by QR ticket, as the user scanning it would.
    public func claim(appid: String, cardID: String?, ticket: String?, openid: String?, code: String?, outerStr: String?) async throws -> Claimed {
        let openid = try UserCardRules.checkOpenid(openid)
        let now = try await clock.now()
        var entry: [String: JSONValue] = [:]
        var chosenCardID = cardID
        if let ticket, !ticket.isEmpty {
            guard let qr = try await cards.cards.qrCode(appid: appid, ticket: ticket) else {
                throw WeChatError.invalidArgs.detail("unknown ticket")
            }
            guard !qr.isExpired(at: now) else { throw WeChatError.invalidArgs.detail("the QR code has expired") }
            // A code for several cards: claim the one named, or the first.
            guard let found = qr.cards.first(where: { cardID == nil || $0.string("card_id") == cardID }) else {
                throw WeChatError.invalidCardID.detail("the QR code does not carry that card")
            }
            entry = found
            chosenCardID = found.string("card_id")
        }
        let card = try await cards.card(appid: appid, cardID: chosenCardID)
        let whitelisted = card.status == .verifyOK ? false : try await cards.cards.isWhitelisted(appid: appid, openid: openid)
        try UserCardRules.checkClaimable(card, whitelisted: whitelisted)
        if card.baseInfo.bool("bind_openid") == true, let bound = entry.string("openid"), bound != openid {
            throw WeChatError.invalidOpenid.detail("this QR code is for another user")
        }
        let requested = try UserCardRules.requestedCode(entry.string("code") ?? code, card: card)
        let outerStr = entry.string("outer_str") ?? outerStr
        if let outerStr, outerStr.utf8.count > 128 { throw WeChatError.outOfLengthLimit.detail("outer_str is longer than 128 bytes") }
        let window = UserCardRules.termWindow(card: card, claimTime: now)

        // A generated code may collide with one the app already has: try again with another.
        for _ in 0..<5 {
            let newCode = requested ?? UserCardRules.makeCode()
            let userCard = MemberStore.NewUserCard(
                appid: appid, ucid: RandomString.make(length: 20), cardID: card.cardID, code: newCode,
                codeScope: UserCardRules.codeScope(card: card), openid: openid, claimTime: now,
                beginTime: window?.begin, endTime: window?.end, activated: false, membershipNumber: "", bonus: 0,
                outerStr: outerStr, outerID: entry.int("outer_id"), giftFromUcid: nil)
            do {
                try await db.write { db in
                    // Taking stock first locks the card's row: claims of one card queue here, so
                    // the get_limit count below can not race.
                    guard let stock = try await MemberStore.takeStock(db, appid: appid, cardID: card.cardID) else { throw WeChatError.stockOutOfLimit }
                    let claimed = try await MemberStore.claimCount(db, appid: appid, cardID: card.cardID, openid: openid)
                    guard claimed < UserCardRules.getLimit(card) else { throw WeChatError.getLimitReached }
                    try await MemberStore.insert(db, userCard)
                    try await CardActivity.record(db, card: card, openid: openid, kind: .receive, hold: 1, now: now)
                    try await Pushes.record(db, appid: appid, .userGetCard(
                        openid: openid, cardID: card.cardID, code: newCode, outerStr: outerStr, friend: nil, oldCode: nil), now: now)
                    try await self.remindStockIfLow(db, appid: appid, cardID: card.cardID, stock: stock, now: now)
                    if card.isMemberCard, card.body.bool("auto_activate") == true {
                        try await self.activate(db, held: try await self.heldInTransaction(db, appid: appid, card: card, code: newCode),
                                                activation: Activation(membershipNumber: newCode, bonus: UserCardRules.initialBonus(card)),
                                                source: "auto_activate", now: now)
                    }
                }
                return Claimed(cardID: card.cardID, code: newCode,
                               encryptCode: try cipher.encrypt(appid: appid, cardID: card.cardID, code: newCode))
            } catch where Store.isUniqueViolation(error) {
                if requested != nil { throw WeChatError.invalidCode.detail("code \(newCode) is already taken on this card") }
            } catch let error as WeChatError where error.code == WeChatError.stockOutOfLimit.code {
                // A claim attempt on an empty card still reminds the merchant (its own transaction:
                // the claim's was rolled back).
                try await db.write { db in
                    if let stock = try await MemberStore.stock(db, appid: appid, cardID: card.cardID) {
                        try await self.remindStockIfLow(db, appid: appid, cardID: card.cardID, stock: stock, now: now)
                    }
                }
                throw error
            }
        }
        throw InternalError("no free code after 5 draws")
    }

    /// `card_sku_remind`, as WeChat sends it: on a claim attempt, when a card that started with
    /// more than 200 has 100 or fewer left, at most once every 12 hours.
    func remindStockIfLow(_ db: any SQLDatabase, appid: String, cardID: String, stock: MemberStore.Stock, now: Int64) async throws {
        guard UserCardRules.stockIsLow(quantity: stock.quantity, total: stock.total),
              try await PushStore.takeSkuReminder(db, appid: appid, cardID: cardID, now: now)
        else { return }
        try await Pushes.record(db, appid: appid, .cardSkuRemind(cardID: cardID, left: stock.quantity), now: now)
    }

    func heldInTransaction(_ db: any SQLDatabase, appid: String, card: CardDefinition, code: String) async throws -> HeldCard {
        guard let held = try await MemberStore.held(db, appid: appid, cardID: card.cardID, code: code) else {
            throw InternalError("the code \(code) just written is not there")
        }
        return held
    }

    /// Gives the card to a friend. Accepted: the friend holds a new code and the sender's ends
    /// GIFT_SUCC. Not accepted: it stays GIFTING and comes back (GIFT_TIMEOUT) after 24 hours.
    public func gift(appid: String, cardID: String?, code: String?, openid: String?, toOpenid: String?, accept: Bool) async throws -> String? {
        let openid = try UserCardRules.checkOpenid(openid)
        let friend = try UserCardRules.checkOpenid(toOpenid)
        guard friend != openid else { throw WeChatError.invalidOpenid.detail("to_openid is the sender") }
        let held = try await self.held(appid: appid, cardID: cardID, code: code)
        guard held.userCard.openid == openid else { throw WeChatError.invalidSerialCode.detail("the code is not this user's") }
        guard held.card.baseInfo.bool("can_give_friend") ?? true else {
            throw WeChatError.cardFunctionNotSupported.detail("the card can not be given to friends (can_give_friend)")
        }
        let now = try await clock.now()
        let status = UserCardRules.effectiveStatus(held.userCard, card: held.card, now: now)
        guard status.isUsable || status == .gifting else { throw WeChatError.invalidUserCardStatus }
        let userCard = held.userCard
        guard accept else {
            try await db.write { db in
                guard try await MemberStore.transition(db, appid: appid, ucid: userCard.ucid, from: userCard.status, to: .gifting,
                                                       set: ", gift_time = \(bind: now), gift_to_openid = \(bind: friend)", now: now)
                else { throw WeChatError.invalidUserCardStatus }
                // Sent again while it waits for the friend: one gift, counted once. The sender
                // still holds it until the friend takes it.
                if status.isUsable { try await CardActivity.record(db, card: held.card, openid: openid, kind: .given, now: now) }
                try await Pushes.record(db, appid: appid, .userGiftingCard(
                    openid: openid, cardID: userCard.cardID, code: userCard.code, friend: friend), now: now)
            }
            return nil
        }
        for _ in 0..<5 {
            let newCode = UserCardRules.makeCode()
            do {
                try await db.write { db in
                    guard try await MemberStore.transition(db, appid: appid, ucid: userCard.ucid, from: userCard.status, to: .giftSucc,
                                                           set: ", gift_time = \(bind: now), gift_to_openid = \(bind: friend)", now: now)
                    else { throw WeChatError.invalidUserCardStatus }
                    let validity = UserCardRules.validity(userCard, card: held.card)
                    try await MemberStore.insert(db, MemberStore.NewUserCard(
                        appid: appid, ucid: RandomString.make(length: 20), cardID: userCard.cardID, code: newCode,
                        codeScope: UserCardRules.codeScope(card: held.card), openid: friend, claimTime: now,
                        beginTime: userCard.beginTime == nil ? nil : validity.begin, endTime: userCard.endTime == nil ? nil : validity.end,
                        activated: false, membershipNumber: "", bonus: 0, outerStr: userCard.outerStr, outerID: userCard.outerID,
                        giftFromUcid: userCard.ucid))
                    // A gift sent earlier and taken now was counted when it was sent.
                    try await CardActivity.record(db, card: held.card, openid: openid, kind: status.isUsable ? .given : .end, hold: -1, now: now)
                    try await CardActivity.record(db, card: held.card, openid: friend, kind: .receive, hold: 1, now: now)
                    try await Pushes.record(db, appid: appid, .userGiftingCard(
                        openid: openid, cardID: userCard.cardID, code: userCard.code, friend: friend), now: now)
                    try await Pushes.record(db, appid: appid, .userGetCard(
                        openid: friend, cardID: userCard.cardID, code: newCode, outerStr: nil, friend: openid, oldCode: userCard.code), now: now)
                    if held.card.isMemberCard, held.card.body.bool("auto_activate") == true {
                        try await self.activate(db, held: try await self.heldInTransaction(db, appid: appid, card: held.card, code: newCode),
                                                activation: Activation(membershipNumber: newCode, bonus: UserCardRules.initialBonus(held.card)),
                                                source: "auto_activate", now: now)
                    }
                }
                return newCode
            } catch where Store.isUniqueViolation(error) {
                continue
            }
        }
        throw InternalError("no free code after 5 draws")
    }

    /// The user deletes the card from their card bag.
    public func userDelete(appid: String, cardID: String?, code: String?, openid: String?) async throws {
        let held = try await userHeld(appid: appid, cardID: cardID, code: code, openid: openid)
        let now = try await clock.now()
        try await db.write { db in
            guard try await MemberStore.transition(db, appid: appid, ucid: held.userCard.ucid, from: held.userCard.status, to: .delete, now: now)
            else { throw WeChatError.invalidUserCardStatus }
            try await CardActivity.record(db, card: held.card, openid: held.userCard.openid, kind: .end,
                                          hold: CardActivity.released(UserCardRules.effectiveStatus(held.userCard, card: held.card, now: now)),
                                          now: now)
            try await Pushes.record(db, appid: appid, .userDelCard(
                openid: held.userCard.openid, cardID: held.card.cardID, code: held.userCard.code), now: now)
        }
    }

    /// The user opens the card in WeChat: a view for the statistics, and `user_view_card` when
    /// the card asks for it (`need_push_on_view`). Answers whether a push was written.
    public func view(appid: String, cardID: String?, code: String?, openid: String?, outerStr: String?) async throws -> Bool {
        if let outerStr, outerStr.utf8.count > 128 { throw WeChatError.outOfLengthLimit.detail("outer_str is longer than 128 bytes") }
        let held = try await userHeld(appid: appid, cardID: cardID, code: code, openid: openid)
        let pushed = held.card.body.bool("need_push_on_view") == true
        let now = try await clock.now()
        try await db.write { db in
            try await CardActivity.record(db, card: held.card, openid: held.userCard.openid, kind: .view, now: now)
            guard pushed else { return }
            try await Pushes.record(db, appid: appid, .userViewCard(
                openid: held.userCard.openid, cardID: held.card.cardID, code: held.userCard.code, outerStr: outerStr), now: now)
        }
        return pushed
    }

    /// The user taps through from the card to the Official Account's chat.
    public func enterSession(appid: String, cardID: String?, code: String?, openid: String?) async throws {
        let held = try await userHeld(appid: appid, cardID: cardID, code: code, openid: openid)
        let now = try await clock.now()
        try await db.write { db in
            try await Pushes.record(db, appid: appid, .userEnterSessionFromCard(
                openid: held.userCard.openid, cardID: held.card.cardID, code: held.userCard.code), now: now)
        }
    }

    /// A code the user holds in their card bag (not deleted, not given away).
    private func userHeld(appid: String, cardID: String?, code: String?, openid: String?) async throws -> HeldCard {
        let openid = try UserCardRules.checkOpenid(openid)
        let held = try await self.held(appid: appid, cardID: cardID, code: code)
        guard held.userCard.openid == openid else { throw WeChatError.invalidSerialCode.detail("the code is not this user's") }
        guard held.userCard.status != .delete else { throw WeChatError.invalidUserCardStatus.detail("the card was deleted") }
        return held
    }
}
