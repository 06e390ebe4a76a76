/// Card definitions: what the routes call. Rules come from `CardRules`, SQL from `CardStore`.
public struct CardService: Sendable {
    public let cards: CardStore
    let apps: AppStore
    let clock: ServerClock
    public let reviewMode: ReviewMode
    /// Checks that a card may be made for a sub-merchant (代制): given by the component feature,
    /// which owns sub-merchants (cards do not depend on it).
    let subMerchantCheck: SubMerchantCheck?

    public typealias SubMerchantCheck = @Sendable (_ appid: String, _ merchantID: Int64, _ cardType: String) async throws -> Void

    public init(store: Store, apps: AppStore, clock: ServerClock, reviewMode: ReviewMode, subMerchantCheck: SubMerchantCheck? = nil) {
        self.cards = CardStore(store: store)
        self.apps = apps
        self.clock = clock
        self.reviewMode = reviewMode
        self.subMerchantCheck = subMerchantCheck
    }

    func app(_ appid: String) async throws -> AppRecord {
        guard let app = try await apps.app(appid) else { throw WeChatError.invalidCredential }
        return app
    }

    /// The app's card, or 41012 / 40073.
    public func card(appid: String, cardID: String?) async throws -> CardDefinition {
        guard let cardID, !cardID.isEmpty else { throw WeChatError.missingCardID }
        guard let card = try await cards.card(appid: appid, cardID: cardID) else { throw WeChatError.invalidCardID }
        return card
    }

    /// `source`: where it was made, as the statistics' `cond_source` counts it (the console's
    /// create form passes `.console`).
    public func create(appid: String, card: [String: JSONValue]?, source: CardSource = .api) async throws -> String {
        let app = try await app(appid)
        let now = try await clock.now()
        // A card for a sub-merchant: the sub-merchant is checked first, with the type as sent,
        // so that a type sub-merchants may not have (a special ticket) answers 45042 as WeChat
        // does, though wxcards makes no special tickets at all (40071).
        if let typeName = card?["card_type"]?.stringValue,
           let merchantID = card?.object(typeName.lowercased()).flatMap(CardRules.subMerchantID) {
            guard let subMerchantCheck else { throw WeChatError.invalidSubMerchantID }
            try await subMerchantCheck(appid, merchantID, typeName)
        }
        let newCard = try CardRules.validateCreate(card, payEnabled: app.payEnabled, now: now)
        try await requireOwnCards(appid: appid, newCard.referencedCardIDs)
        let cardID = CardIDs.make()
        try await cards.insert(appid: appid, cardID: cardID, card: newCard, status: CardRules.statusAfterReviewableChange(reviewMode), source: source,
                               push: reviewMode == .auto ? .review(cardID: cardID, pass: true, reason: nil) : nil, now: now)
        return cardID
    }

    /// Answers `send_check`.
    public func update(appid: String, request: [String: JSONValue]) async throws -> Bool {
        let app = try await app(appid)
        // The body's shape first (the schema `/openapi.json` shows); which fields the card's type
        // may change is checked once the card is read.
        try FieldSchema.check(request, against: CardSchema.updateRequest, path: "", allowUnknown: true)
        guard let cardID = request["card_id"]?.stringValue else { throw WeChatError.missingCardID }
        // A concurrent change to the same card makes the write miss; read and check again.
        for _ in 0..<5 {
            let card = try await self.card(appid: appid, cardID: cardID)
            guard card.status != .delete else { throw WeChatError.invalidCardStatus.detail("the card is deleted") }
            let update = try CardRules.validateUpdate(request, card: card, payEnabled: app.payEnabled)
            try await requireOwnCards(appid: appid, update.referencedCardIDs)
            let status = update.sendCheck ? CardRules.statusAfterReviewableChange(reviewMode) : card.status
            // Auto review approves a change that needs review at once, and says so.
            let push: PushEvent? = update.sendCheck && reviewMode == .auto ? .review(cardID: cardID, pass: true, reason: nil) : nil
            if try await cards.update(appid: appid, cardID: cardID, body: update.body, status: status,
                                      expectedUpdateTime: card.updateTime, push: push, now: try await clock.now()) {
                return update.sendCheck
            }
        }
        throw InternalError("card \(cardID) kept changing under 5 updates in a row")
    }

    /// `/card/batchget`: a page of the app's card ids and how many there are.
    public func list(appid: String, offset: Int?, count: Int?, statusList: [String]?) async throws -> (ids: [String], total: Int) {
        let page = try CardRules.batchPage(offset: offset, count: count, statusList: statusList)
        return try await cards.list(appid: appid, statuses: page.statuses, offset: page.offset, count: page.count)
    }

    /// `/card/testwhitelist/set`: replaces the app's test users.
    public func setWhitelist(appid: String, openids: [String], usernames: [String]) async throws {
        try CardRules.checkWhitelist(openids: openids, usernames: usernames)
        try await cards.setWhitelist(appid: appid, openids: openids, usernames: usernames)
    }

    public func delete(appid: String, cardID: String?) async throws {
        let card = try await self.card(appid: appid, cardID: cardID)
        guard card.status != .delete else { return }
        _ = try await cards.setStatus(appid: appid, cardID: card.cardID, status: .delete, now: try await clock.now())
    }

    public func review(appid: String, cardID: String?, pass: Bool, reason: String? = nil) async throws {
        if let reason, reason.utf8.count > 256 { throw WeChatError.outOfLengthLimit.detail("reason is longer than 256 bytes") }
        let card = try await self.card(appid: appid, cardID: cardID)
        guard card.status != .delete,
              try await cards.setStatus(appid: appid, cardID: card.cardID, status: pass ? .verifyOK : .verifyFail,
                                        push: .review(cardID: card.cardID, pass: pass, reason: reason), now: try await clock.now())
        else { throw WeChatError.invalidCardStatus.detail("a deleted card can not be reviewed") }
    }

    public func modifyStock(appid: String, cardID: String?, increase: Int64?, reduce: Int64?) async throws {
        let (increase, reduce) = try CardRules.checkStockChange(increase: increase, reduce: reduce)
        let card = try await self.card(appid: appid, cardID: cardID)
        // The rules name the reason; the store applies the change atomically.
        _ = try CardRules.modifiedStock(quantity: card.quantity, total: card.totalQuantity, increase: increase, reduce: reduce)
        guard try await cards.modifyStock(appid: appid, cardID: card.cardID, increase: increase, reduce: reduce,
                                          now: try await clock.now()) != nil
        else {
            // Stock moved between the read and the write (a claim, another change): judge again.
            let now = try await self.card(appid: appid, cardID: cardID)
            _ = try CardRules.modifiedStock(quantity: now.quantity, total: now.totalQuantity, increase: increase, reduce: reduce)
            throw WeChatError.invalidCardQuantity
        }
    }

    public func createQRCode(appid: String, body: [String: JSONValue]) async throws -> (CardQRCode, Int64?) {
        let request = try QRCodeRules.validate(body)
        for entry in request.cards {
            let card = try await self.card(appid: appid, cardID: entry.string("card_id"))
            try QRCodeRules.check(entry, against: card)
        }
        let now = try await clock.now()
        let code = CardQRCode(appid: appid, ticket: QRCodeRules.makeTicket(), actionName: request.actionName,
                              cards: request.cards, expireTime: request.expireSeconds.map { now + $0 }, createTime: now)
        try await cards.insertQRCode(code)
        return (code, request.expireSeconds)
    }

    /// Recommendation cells may only name cards of the same app (Member card 8.3).
    func requireOwnCards(appid: String, _ cardIDs: [String]) async throws {
        let unknown = try await cards.unknownCardIDs(appid: appid, cardIDs)
        if let first = unknown.first { throw WeChatError.invalidCardID.detail("card_id_list names \(first)") }
    }
}
