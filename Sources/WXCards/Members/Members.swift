import SQLKit

/// Codes held by users: what the member routes and the sandbox's user side call.
/// Rules come from `UserCardRules` and `MessageRules`, SQL from `MemberStore`.
public struct Members: Sendable {
    public let store: MemberStore
    let db: Store
    let cards: CardService
    let clock: ServerClock
    public let cipher: CodeCipher

    public init(store: Store, cards: CardService, clock: ServerClock, cipher: CodeCipher) {
        self.store = MemberStore(store: store)
        self.db = store
        self.cards = cards
        self.clock = clock
        self.cipher = cipher
    }

    /// The code with its card, or 41013 / 40056. A code given away (GIFT_SUCC) is unknown, as in WeChat.
    public func held(appid: String, cardID: String?, code: String?) async throws -> HeldCard {
        guard let code, !code.isEmpty else { throw WeChatError.missingCode }
        guard let held = try await store.held(appid: appid, cardID: cardID.flatMap { $0.isEmpty ? nil : $0 }, code: code),
              held.userCard.status != .giftSucc
        else { throw WeChatError.invalidSerialCode }
        return held
    }

    /// A member card's code, for the member APIs (card_id required): 41012, 40073, 40071, 40056.
    /// One read on the hot path: the code with its card; the card alone only to tell 40073 from 40056.
    /// A code given away (GIFT_SUCC) is 40056, except for `userinfo/get` (`giftedAway`), which
    /// shows the sender's member data as it was at the gift (Member card 8.1 lists GIFT_SUCC).
    public func member(appid: String, cardID: String?, code: String?, giftedAway: Bool = false) async throws -> HeldCard {
        guard let cardID, !cardID.isEmpty else { throw WeChatError.missingCardID }
        guard let code, !code.isEmpty else { throw WeChatError.missingCode }
        guard let held = try await store.held(appid: appid, cardID: cardID, code: code) else {
            _ = try await cards.card(appid: appid, cardID: cardID)
            throw WeChatError.invalidSerialCode
        }
        guard held.card.isMemberCard else { throw WeChatError.invalidCardType.detail("\(cardID) is not a member card") }
        guard giftedAway || held.userCard.status != .giftSucc else { throw WeChatError.invalidSerialCode }
        return held
    }

    /// Activates inside the caller's transaction: sets the member's data, writes the ledger,
    /// and sends the activation message with the card's `activate_msg_operation` cell.
    func activate(
        _ db: any SQLDatabase, held: HeldCard, activation: Activation, source: String, now: Int64
    ) async throws {
        let userCard = held.userCard
        guard try await MemberStore.activate(db, userCard, activation, now: now) else {
            throw WeChatError.invalidArgs.detail("the card is already activated")
        }
        try await CardActivity.record(db, card: held.card, openid: userCard.openid, kind: .active, now: now)

        let entries = [("bonus", activation.bonus, activation.bonusRecord), ("balance", activation.balance, nil as String?)]
            .filter { $0.1 != 0 }
        if !entries.isEmpty {
            var seq = try await MemberStore.reserveLedger(db, appid: userCard.appid, ucid: userCard.ucid, count: Int64(entries.count))
            for (kind, amount, record) in entries {
                try await MemberStore.appendLedger(db, appid: userCard.appid, ucid: userCard.ucid, seq: seq, cardID: userCard.cardID,
                                                   code: userCard.code, kind: kind, delta: amount, result: amount,
                                                   record: record, source: source, time: now)
                seq += 1
            }
        }
        try await MemberStore.appendMessage(db, appid: userCard.appid, openid: userCard.openid, UserMessage(
            time: now, kind: "activate", text: MessageRules.activationText(card: held.card), card_id: userCard.cardID,
            code: userCard.code, cell: MessageRules.cell(held.card.body.object("activate_msg_operation"), now: now)))
    }

    public struct Activation: Sendable {
        var membershipNumber: String
        var bonus: Int64 = 0
        var bonusRecord: String?
        var balance: Int64 = 0
        var customFieldValues: [String?] = [nil, nil, nil]
        var backgroundPicURL: String?
        var beginTime: Int64?
        var endTime: Int64?
    }
}

/// The sandbox user's side that is only data: profiles and the messages WeChat showed them.
extension Members {
    /// `/sandbox/user`: sets the user's profile (unset fields take the defaults).
    public func setProfile(appid: String, openid: String?, nickname: String?, sex: String?) async throws {
        let profile = try UserProfile.validated(openid: try UserCardRules.checkOpenid(openid), nickname: nickname, sex: sex)
        try await store.setProfile(appid: appid, profile)
    }

    /// `/sandbox/user/messages`: a page of the user's messages, newest first.
    public func messages(appid: String, openid: String?, page: ListPage) async throws -> (messages: [UserMessage], hasMore: Bool) {
        try await store.messages(appid: appid, openid: try UserCardRules.checkOpenid(openid), page: page)
    }
}
