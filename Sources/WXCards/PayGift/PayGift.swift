import SQLKit

/// "Become member upon payment" rules (Member card 8.4) and the simulated payments that trigger them
/// (with Member card 8.5's payment by member card): what the routes call. Rules come from
/// `PayGiftRules` and `PaymentRules`, SQL from `PayGiftStore`.
public struct PayGift: Sendable {
    public let store: PayGiftStore
    let db: Store
    let cards: CardService
    let members: Members
    let clock: ServerClock

    public init(store: Store, cards: CardService, members: Members, clock: ServerClock) {
        self.store = PayGiftStore(store: store)
        self.db = store
        self.cards = cards
        self.members = members
        self.clock = clock
    }

    public struct Added: Sendable, Equatable {
        /// nil when no merchant id could be taken: then no rule is made.
        public let ruleID: Int64?
        public let succeeded: [String]
        public let failed: [MchidFailure]
    }

    /// `paygiftcard/add`. The call fails as a whole (nothing taken) on a bad body, an app
    /// without WeChat Pay (43008), a card that is not the caller's (72002) or not a member card
    /// (72003); each merchant id then succeeds or fails on its own: another entity's (72001),
    /// or held by another rule of any app (72004).
    public func add(appid: String, body: [String: JSONValue]) async throws -> Added {
        let request = try PayGiftRules.validateAdd(body)
        let app = try await cards.app(appid)
        guard app.payEnabled else { throw WeChatError.requireBizPayAuth.detail("the app has no WeChat Pay") }
        guard let card = try await cards.cards.card(appid: appid, cardID: request.cardID) else {
            if try await cards.cards.existsInAnyApp(cardID: request.cardID) {
                throw WeChatError.mchidNotBindAppid.detail("the card belongs to another app")
            }
            throw WeChatError.invalidCardID
        }
        guard card.status != .delete else { throw WeChatError.invalidCardStatus.detail("the card is deleted") }
        guard card.isMemberCard else { throw WeChatError.needMemberCard }
        let now = try await clock.now()

        // A rule id that collides with another rule's (a unique index) is drawn again.
        for _ in 0..<5 {
            let ruleID = PayGiftRules.makeRuleID()
            do {
                return try await db.write { db in
                    try await self.takeMchids(db, app: app, request: request, ruleID: ruleID, now: now)
                }
            } catch where Store.isUniqueViolation(error) {
                continue
            }
        }
        throw InternalError("no free pay-gift rule id after 5 draws")
    }

    private func takeMchids(_ db: any SQLDatabase, app: AppRecord, request: PayGiftRules.NewRule, ruleID: Int64, now: Int64) async throws -> Added {
        let entities = try await PayGiftStore.entities(db, mchids: request.mchids)
        var succeeded: [String] = [], failed: [MchidFailure] = []
        for mchid in request.mchids {
            // A merchant id never registered counts as the app's own entity.
            if let entity = entities[mchid], entity != app.entity {
                failed.append(MchidFailure(mchid: mchid, error: .noMatchCard))
                continue
            }
            if try await PayGiftStore.take(db, mchid: mchid, appid: app.appid, ruleID: ruleID) {
                succeeded.append(mchid)
            } else {
                let holder = try await PayGiftStore.holder(db, mchid: mchid)
                failed.append(MchidFailure(mchid: mchid, error: .mchidOccupied, occupyRuleID: holder?.ruleID, occupyAppID: holder?.appid))
            }
        }
        guard !succeeded.isEmpty else { return Added(ruleID: nil, succeeded: [], failed: failed) }
        try await PayGiftStore.insert(db, PayGiftRule(
            appid: app.appid, ruleID: ruleID, type: PayGiftRules.memberCardRuleType, mchidList: succeeded,
            beginTime: request.beginTime, endTime: request.endTime, cardID: request.cardID,
            leastCost: request.leastCost, maxCost: request.maxCost, jumpURL: request.jumpURL,
            appBrandID: request.appBrandID, appBrandPass: request.appBrandPass, status: .ok, createTime: now, updateTime: now))
        return Added(ruleID: ruleID, succeeded: succeeded, failed: failed)
    }

    /// The app's rule in force, or 41011 / 40097 (unknown, another app's, or deleted).
    public func rule(appid: String, ruleID: Int64?) async throws -> PayGiftRule {
        let ruleID = try PayGiftRules.requireRuleID(ruleID)
        guard let rule = try await store.rule(appid: appid, ruleID: ruleID), rule.status == .ok else {
            throw PayGiftRules.unknownRule(ruleID)
        }
        return rule
    }

    /// `paygiftcard/delete`: the rule ends and its merchant ids are free for other rules.
    public func delete(appid: String, ruleID: Int64?) async throws {
        let ruleID = try PayGiftRules.requireRuleID(ruleID)
        guard try await store.delete(appid: appid, ruleID: ruleID, now: try await clock.now()) else {
            throw PayGiftRules.unknownRule(ruleID)
        }
    }

    /// `paygiftcard/batchget`: `effective: true` lists the rules in force only.
    public func list(appid: String, type: String?, effective: Bool?, offset: Int?, count: Int?) async throws -> (rules: [PayGiftRule], total: Int) {
        let page = try PayGiftRules.batchPage(type: type, offset: offset, count: count)
        return try await store.list(appid: appid, effectiveOnly: effective ?? false, offset: page.offset, count: page.count)
    }

    /// `/sandbox/merchant`: registers a merchant id under an entity (or moves it to another).
    public func registerMerchant(mchid: String?, entity: String?) async throws {
        let mchid = try PayGiftRules.checkMchid(mchid)
        guard let entity else { throw WeChatError.missingRequiredFields.detail("missing entity") }
        try AppRecord.checkEntity(entity)
        try await store.setMerchant(mchid: mchid, entity: entity, now: try await clock.now())
    }
}
