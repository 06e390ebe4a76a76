import Synchronization
import SQLKit

/// The SQL of card definitions, test whitelists and claim QR codes. Every query is scoped by appid.
public struct CardStore: Sendable {
    let store: Store

    public init(store: Store) { self.store = store }

    struct Row: Decodable {
        let appid: String
        let card_id: String
        let card_type: String
        let status: String
        let body: String
        let quantity: Int64
        let total_quantity: Int64
        let create_time: Int64
        let update_time: Int64
        let source: Int64

        func definition() throws -> CardDefinition {
            guard let type = CardType(rawValue: card_type), let status = CardStatus(rawValue: status) else {
                throw InternalError("stored card \(card_id) has type \(card_type) and status \(status)")
            }
            let body = try ParsedBodies.shared.body(cardID: card_id, updateTime: update_time, text: self.body)
            guard let source = CardSource(rawValue: source) else { throw InternalError("stored card \(card_id) has source \(source)") }
            return CardDefinition(appid: appid, cardID: card_id, type: type, status: status, body: body,
                                  quantity: quantity, totalQuantity: total_quantity, createTime: create_time, updateTime: update_time,
                                  source: source)
        }
    }

    /// Parsed card bodies, so the member hot paths do not parse the same JSON on every request.
    /// Every change to a body moves its card's update_time, which is part of the key.
    final class ParsedBodies: Sendable {
        static let shared = ParsedBodies()
        private let cache = Mutex<[String: [String: JSONValue]]>([:])

        func body(cardID: String, updateTime: Int64, text: String) throws -> [String: JSONValue] {
            let key = "\(cardID)@\(updateTime)"
            if let found = cache.withLock({ $0[key] }) { return found }
            guard case .object(let body) = try JSONValue.parse(text) else { throw InternalError("stored card \(cardID) is not an object") }
            cache.withLock { cache in
                if cache.count >= 1024 { cache.removeAll(keepingCapacity: true) }
                cache[key] = body
            }
            return body
        }
    }

    static let columns = "appid, card_id, card_type, status, body, quantity, total_quantity, create_time, update_time, source"

    /// `push`: the review's event, when the card is reviewed at once (`--review auto`).
    public func insert(
        appid: String, cardID: String, card: CardRules.NewCard, status: CardStatus, source: CardSource = .api, push: PushEvent? = nil, now: Int64
    ) async throws {
        let body = try JSONValue.object(card.body).jsonText()
        try await store.write { db in
            try await db.raw("""
                INSERT INTO cards (\(unsafeRaw: Self.columns))
                VALUES (\(bind: appid), \(bind: cardID), \(bind: card.type.rawValue), \(bind: status.rawValue), \(bind: body),
                        \(bind: card.quantity), \(bind: card.quantity), \(bind: now), \(bind: now), \(bind: source.rawValue))
                """).run()
            if let push { try await Pushes.record(db, appid: appid, push, now: now) }
        }
    }

    /// The card, if it is this app's. Another app's card is as unknown as a card that never was.
    public func card(appid: String, cardID: String) async throws -> CardDefinition? {
        try await store.read { db in try await Self.card(db, appid: appid, cardID: cardID) }
    }

    static func card(_ db: any SQLDatabase, appid: String, cardID: String) async throws -> CardDefinition? {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM cards WHERE appid = \(bind: appid) AND card_id = \(bind: cardID)")
            .first(decoding: Row.self)?.definition()
    }

    /// Every card of the app, deleted ones too, oldest first (the statistics count them all).
    public func all(appid: String) async throws -> [CardDefinition] {
        try await store.read { db in try await Self.all(db, appid: appid) }
    }

    static func all(_ db: any SQLDatabase, appid: String) async throws -> [CardDefinition] {
        try await db.raw("SELECT \(unsafeRaw: columns) FROM cards WHERE appid = \(bind: appid) ORDER BY create_time, card_id")
            .all(decoding: Row.self).map { try $0.definition() }
    }

    /// Whether any app has a card of this id: only for the errors that WeChat gives another
    /// app's card on purpose (`paygiftcard/add`'s 72002); nothing else of that card is read.
    public func existsInAnyApp(cardID: String) async throws -> Bool {
        try await store.read { db in
            try await db.raw("SELECT 1 AS found FROM cards WHERE card_id = \(bind: cardID)").first() != nil
        }
    }

    /// Which of `cardIDs` are not this app's cards.
    public func unknownCardIDs(appid: String, _ cardIDs: [String]) async throws -> [String] {
        guard !cardIDs.isEmpty else { return [] }
        let known = try await store.read { db in
            try await db.raw("""
                SELECT card_id FROM cards WHERE appid = \(bind: appid) AND card_id IN (\(binds: cardIDs))
                """).all().map { try $0.decode(column: "card_id", as: String.self) }
        }
        return cardIDs.filter { !known.contains($0) }
    }

    /// Card ids of the app, deleted cards left out, oldest first; with the total matching.
    public func list(appid: String, statuses: [CardStatus], offset: Int, count: Int) async throws -> (ids: [String], total: Int) {
        let wanted = (statuses.isEmpty ? CardStatus.allCases : statuses).filter { $0 != .delete }.map(\.rawValue)
        guard !wanted.isEmpty else { return ([], 0) }
        return try await store.read { db in
            let total = try await db.raw("""
                SELECT COUNT(*) AS n FROM cards WHERE appid = \(bind: appid) AND status IN (\(binds: wanted))
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            let ids = try await db.raw("""
                SELECT card_id FROM cards WHERE appid = \(bind: appid) AND status IN (\(binds: wanted))
                ORDER BY create_time, card_id LIMIT \(bind: count) OFFSET \(bind: offset)
                """).all().map { try $0.decode(column: "card_id", as: String.self) }
            return (ids, total)
        }
    }

    /// A card's `update_time` is its version: every change of its body or status moves it past
    /// the last one, even within one second (it may then run ahead of the clock), never back,
    /// or a later change would reuse an older version's number — and with it that version's
    /// parsed body in `ParsedBodies`, and a stale read's pass through `update`'s check.
    private static func nextVersion(now: Int64) -> SQLQueryString {
        "CASE WHEN update_time >= \(bind: now) THEN update_time + 1 ELSE \(bind: now) END"
    }

    /// Writes an update made by `CardRules.validateUpdate`, if the card is still as it was read
    /// (its update_time); answers false when a concurrent change came first.
    public func update(
        appid: String, cardID: String, body: [String: JSONValue], status: CardStatus, expectedUpdateTime: Int64, push: PushEvent? = nil, now: Int64
    ) async throws -> Bool {
        let text = try JSONValue.object(body).jsonText()
        return try await store.write { db in
            let updated = try await db.raw("""
                UPDATE cards SET body = \(bind: text), status = \(bind: status.rawValue), update_time = \(Self.nextVersion(now: now))
                WHERE appid = \(bind: appid) AND card_id = \(bind: cardID) AND update_time = \(bind: expectedUpdateTime)
                  AND status <> \(bind: CardStatus.delete.rawValue)
                RETURNING card_id
                """).first() != nil
            if updated, let push { try await Pushes.record(db, appid: appid, push, now: now) }
            return updated
        }
    }

    /// A status change is a new version (`nextVersion`).
    public func setStatus(appid: String, cardID: String, status: CardStatus, push: PushEvent? = nil, now: Int64) async throws -> Bool {
        try await store.write { db in
            let updated = try await db.raw("""
                UPDATE cards SET status = \(bind: status.rawValue), update_time = \(Self.nextVersion(now: now))
                WHERE appid = \(bind: appid) AND card_id = \(bind: cardID) AND status <> \(bind: CardStatus.delete.rawValue)
                RETURNING card_id
                """).first() != nil
            if updated, let push { try await Pushes.record(db, appid: appid, push, now: now) }
            return updated
        }
    }

    /// Changes stock in one statement, so concurrent changes and claims never lose one another
    /// and stock never goes below zero; nil when the card is unknown or the change is refused.
    /// Stock is not part of a version (`update` never writes it), so `update_time` only moves
    /// forward to now, never back.
    public func modifyStock(appid: String, cardID: String, increase: Int64, reduce: Int64, now: Int64) async throws -> (quantity: Int64, total: Int64)? {
        let delta = increase - reduce
        return try await store.write { db in
            guard let row = try await db.raw("""
                UPDATE cards SET quantity = quantity + \(bind: delta), total_quantity = total_quantity + \(bind: delta),
                                 update_time = CASE WHEN update_time > \(bind: now) THEN update_time ELSE \(bind: now) END
                WHERE appid = \(bind: appid) AND card_id = \(bind: cardID)
                  AND quantity + \(bind: delta) >= 0 AND total_quantity + \(bind: delta) <= \(bind: CardRules.maxQuantity)
                RETURNING quantity, total_quantity
                """).first()
            else { return nil }
            return (try row.decode(column: "quantity", as: Int64.self), try row.decode(column: "total_quantity", as: Int64.self))
        }
    }

    // MARK: Test whitelist

    /// Replaces the app's test whitelist.
    public func setWhitelist(appid: String, openids: [String], usernames: [String]) async throws {
        try await store.write { db in
            try await db.raw("DELETE FROM card_test_whitelist WHERE appid = \(bind: appid)").run()
            for (kind, values) in [("openid", openids), ("username", usernames)] {
                for value in Set(values).sorted() {
                    try await db.raw("""
                        INSERT INTO card_test_whitelist (appid, kind, value) VALUES (\(bind: appid), \(bind: kind), \(bind: value))
                        """).run()
                }
            }
        }
    }

    public func isWhitelisted(appid: String, openid: String) async throws -> Bool {
        try await store.read { db in
            try await db.raw("""
                SELECT 1 AS hit FROM card_test_whitelist WHERE appid = \(bind: appid) AND kind = 'openid' AND value = \(bind: openid)
                """).first() != nil
        }
    }

    // MARK: QR codes

    public func insertQRCode(_ code: CardQRCode) async throws {
        let cards = try JSONValue.array(code.cards.map { .object($0) }).jsonText()
        try await store.write { db in
            try await db.raw("""
                INSERT INTO card_qrcodes (appid, ticket, action_name, cards, expire_time, create_time)
                VALUES (\(bind: code.appid), \(bind: code.ticket), \(bind: code.actionName), \(bind: cards), \(bind: code.expireTime), \(bind: code.createTime))
                """).run()
        }
    }

    public func qrCode(appid: String, ticket: String) async throws -> CardQRCode? {
        try await qrCode(filter: "appid = \(bind: appid) AND ticket = \(bind: ticket)")
    }

    /// A ticket of any app: `/cgi-bin/showqrcode` is public, as WeChat's is; the ticket is
    /// the secret (`card_qrcodes_by_ticket`).
    public func qrCode(ticket: String) async throws -> CardQRCode? {
        try await qrCode(filter: "ticket = \(bind: ticket)")
    }

    private func qrCode(filter: SQLQueryString) async throws -> CardQRCode? {
        struct QRRow: Decodable {
            let appid: String, ticket: String, action_name: String, cards: String
            let expire_time: Int64?, create_time: Int64
        }
        guard let row = try await store.read({ db in
            try await db.raw("""
                SELECT appid, ticket, action_name, cards, expire_time, create_time FROM card_qrcodes WHERE \(filter)
                """).first(decoding: QRRow.self)
        }) else { return nil }
        let cards = try JSONValue.parse(row.cards).arrayValue?.compactMap(\.objectValue) ?? []
        return CardQRCode(appid: row.appid, ticket: row.ticket, actionName: row.action_name, cards: cards,
                          expireTime: row.expire_time, createTime: row.create_time)
    }
}
