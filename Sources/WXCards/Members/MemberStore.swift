import Foundation
import SQLKit

/// The SQL of codes held by users, their ledger, sandbox users and their messages.
/// Every query is scoped by appid. Functions taking `db` run inside the caller's transaction.
public struct MemberStore: Sendable {
    let store: Store

    public init(store: Store) { self.store = store }

    // MARK: Reading held cards

    /// The code's columns, with its card's and its holder's sandbox profile as correlated
    /// subqueries: SQLite re-prepares a cached statement with a JOIN whenever its bound values
    /// change, but not one with subqueries, and this read is on every member call.
    /// PostgreSQL runs the same read as a JOIN (`heldFromJoined`) in about 85% of the time.
    static let heldColumns = """
        uc.appid, uc.ucid, uc.card_id, uc.code, uc.openid, uc.status, uc.claim_time, uc.begin_time, uc.end_time,
        uc.activated, uc.membership_number, uc.bonus, uc.balance, uc.custom_field_value1, uc.custom_field_value2,
        uc.custom_field_value3, uc.background_pic_url, uc.user_info, uc.outer_str, uc.outer_id, uc.gift_time,
        uc.gift_to_openid, \(cardColumn("card_type")), \(cardColumn("status", as: "card_status")), \(cardColumn("body")),
        \(cardColumn("quantity")), \(cardColumn("total_quantity")), \(cardColumn("create_time")), \(cardColumn("update_time")),
        \(cardColumn("source", as: "card_source")), \(profileColumn("nickname")), \(profileColumn("sex"))
        """

    private static func cardColumn(_ column: String, as name: String? = nil) -> String {
        "(SELECT c.\(column) FROM cards c WHERE c.appid = uc.appid AND c.card_id = uc.card_id) AS \(name ?? column)"
    }

    private static func profileColumn(_ column: String) -> String {
        "(SELECT su.\(column) FROM sandbox_users su WHERE su.appid = uc.appid AND su.openid = uc.openid) AS \(column)"
    }

    struct HeldRow {
        let appid: String, ucid: String, card_id: String, code: String, openid: String, status: String
        let claim_time: Int64, begin_time: Int64?, end_time: Int64?, activated: Bool, membership_number: String
        let bonus: Int64, balance: Int64
        let custom_field_value1: String?, custom_field_value2: String?, custom_field_value3: String?
        let background_pic_url: String?, user_info: String, outer_str: String?, outer_id: Int64?
        let gift_time: Int64?, gift_to_openid: String?
        let card_type: String, card_status: String, body: String, quantity: Int64, total_quantity: Int64
        let create_time: Int64, update_time: Int64, card_source: Int64
        let nickname: String?, sex: String?

        /// Read column by column: this row is on every member call, and Codable's keyed
        /// machinery over 33 columns cost more than the query.
        init(_ row: any SQLRow) throws {
            func value<T: Decodable>(_ column: String) throws -> T { try row.decode(column: column, as: T.self) }
            func optional<T: Decodable>(_ column: String) throws -> T? {
                try row.decodeNil(column: column) ? nil : row.decode(column: column, as: T.self)
            }
            appid = try value("appid"); ucid = try value("ucid"); card_id = try value("card_id"); code = try value("code")
            openid = try value("openid"); status = try value("status"); claim_time = try value("claim_time")
            begin_time = try optional("begin_time"); end_time = try optional("end_time"); activated = try value("activated")
            membership_number = try value("membership_number"); bonus = try value("bonus"); balance = try value("balance")
            custom_field_value1 = try optional("custom_field_value1"); custom_field_value2 = try optional("custom_field_value2")
            custom_field_value3 = try optional("custom_field_value3"); background_pic_url = try optional("background_pic_url")
            user_info = try value("user_info"); outer_str = try optional("outer_str"); outer_id = try optional("outer_id")
            gift_time = try optional("gift_time"); gift_to_openid = try optional("gift_to_openid")
            card_type = try value("card_type"); card_status = try value("card_status"); body = try value("body")
            quantity = try value("quantity"); total_quantity = try value("total_quantity")
            create_time = try value("create_time"); update_time = try value("update_time"); card_source = try value("card_source")
            nickname = try optional("nickname"); sex = try optional("sex")
        }

        func held() throws -> HeldCard {
            let card = try CardStore.Row(
                appid: appid, card_id: card_id, card_type: card_type, status: card_status, body: body,
                quantity: quantity, total_quantity: total_quantity, create_time: create_time, update_time: update_time,
                source: card_source
            ).definition()
            guard let status = UserCardStatus(rawValue: status) else { throw InternalError("stored user card status \(status) is unknown") }
            let userCard = UserCard(
                appid: appid, ucid: ucid, cardID: card_id, code: code, openid: openid, status: status,
                claimTime: claim_time, beginTime: begin_time, endTime: end_time, activated: activated,
                membershipNumber: membership_number, bonus: bonus, balance: balance,
                customFieldValues: [custom_field_value1, custom_field_value2, custom_field_value3],
                backgroundPicURL: background_pic_url,
                userInfo: user_info == "{}" ? [:] : (try? JSONValue.parse(user_info))?.objectValue ?? [:],
                outerStr: outer_str, outerID: outer_id, giftTime: gift_time, giftToOpenid: gift_to_openid)
            let defaults = UserProfile.defaults(openid: openid)
            return HeldCard(userCard: userCard, card: card,
                            profile: UserProfile(openid: openid, nickname: nickname ?? defaults.nickname, sex: sex ?? defaults.sex))
        }
    }

    /// The code with its card. Without a card_id the code must name one code of the app
    /// (custom codes are only unique per card, so they need their card_id when they repeat).
    public func held(appid: String, cardID: String?, code: String) async throws -> HeldCard? {
        try await store.read { db in try await Self.held(db, appid: appid, cardID: cardID, code: code) }
    }

    /// `heldColumns` and its FROM as one JOIN, for PostgreSQL: the same columns under the same
    /// names, and NULLs where a subquery would find nothing (LEFT JOINs on primary keys).
    static let heldFromJoined = """
        uc.appid, uc.ucid, uc.card_id, uc.code, uc.openid, uc.status, uc.claim_time, uc.begin_time, uc.end_time,
        uc.activated, uc.membership_number, uc.bonus, uc.balance, uc.custom_field_value1, uc.custom_field_value2,
        uc.custom_field_value3, uc.background_pic_url, uc.user_info, uc.outer_str, uc.outer_id, uc.gift_time,
        uc.gift_to_openid, c.card_type, c.status AS card_status, c.body, c.quantity, c.total_quantity,
        c.create_time, c.update_time, c.source AS card_source, su.nickname, su.sex
        FROM user_cards uc LEFT JOIN cards c ON c.appid = uc.appid AND c.card_id = uc.card_id
        LEFT JOIN sandbox_users su ON su.appid = uc.appid AND su.openid = uc.openid
        """

    /// One code's read, in each engine's faster form.
    private struct HeldRead {
        let byCardAndCode: SQLTemplate
        let byCode: SQLTemplate

        init(_ selectFrom: String) {
            byCardAndCode = SQLTemplate("SELECT \(selectFrom) WHERE uc.appid = ? AND uc.card_id = ? AND uc.code = ?")
            byCode = SQLTemplate("SELECT \(selectFrom) WHERE uc.appid = ? AND uc.code = ? LIMIT 2")
        }
    }

    private static let heldRead = HeldRead("\(heldColumns) FROM user_cards uc")
    private static let heldReadJoined = HeldRead(heldFromJoined)

    static func held(_ db: any SQLDatabase, appid: String, cardID: String?, code: String) async throws -> HeldCard? {
        let read = db.dialect.name == "postgresql" ? heldReadJoined : heldRead
        let rows = try await db.template(cardID.map { read.byCardAndCode(appid, $0, code) } ?? read.byCode(appid, code)).all()
        guard rows.count == 1 else { return nil }
        return try HeldRow(rows[0]).held()
    }

    /// The codes a user holds or is giving away (stored NORMAL or GIFTING; the caller applies
    /// the clock), oldest first, at most `limit` of them.
    public func bag(appid: String, openid: String, cardID: String?, limit: Int) async throws -> [HeldCard] {
        try await store.read { db in
            let filter: SQLQueryString = cardID.map { "AND uc.card_id = \(bind: $0)" } ?? ""
            return try await db.raw("""
                SELECT \(unsafeRaw: Self.heldColumns) FROM user_cards uc
                WHERE uc.appid = \(bind: appid) AND uc.openid = \(bind: openid) \(filter)
                  AND uc.status IN (\(bind: UserCardStatus.normal.rawValue), \(bind: UserCardStatus.gifting.rawValue))
                ORDER BY uc.claim_time, uc.ucid LIMIT \(bind: limit)
                """).all().map { try HeldRow($0).held() }
        }
    }

    /// How many codes of the card the user has ever claimed (for get_limit).
    static func claimCount(_ db: any SQLDatabase, appid: String, cardID: String, openid: String) async throws -> Int64 {
        try await db.raw("""
            SELECT COUNT(*) AS n FROM user_cards
            WHERE appid = \(bind: appid) AND card_id = \(bind: cardID) AND openid = \(bind: openid) AND gift_from_ucid IS NULL
            """).first()?.decode(column: "n", as: Int64.self) ?? 0
    }

    /// Has the user ever held this card, by claim or by gift (deleted, consumed or given away since included)?
    public static func hasEverHeld(_ db: any SQLDatabase, appid: String, cardID: String, openid: String) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS hit FROM user_cards WHERE appid = \(bind: appid) AND card_id = \(bind: cardID) AND openid = \(bind: openid) LIMIT 1
            """).first() != nil
    }

    // MARK: Writing held cards

    /// Takes one from stock, atomically; false when none is left.
    /// A card's stock: what is left, and what it has had in all (`total_quantity`).
    struct Stock: Sendable {
        let quantity: Int64
        let total: Int64
    }

    /// Takes one from the card's stock; nil when none is left.
    static func takeStock(_ db: any SQLDatabase, appid: String, cardID: String) async throws -> Stock? {
        try await db.raw("""
            UPDATE cards SET quantity = quantity - 1
            WHERE appid = \(bind: appid) AND card_id = \(bind: cardID) AND quantity > 0
            RETURNING quantity, total_quantity
            """).first().map { Stock(quantity: try $0.decode(column: "quantity", as: Int64.self),
                                     total: try $0.decode(column: "total_quantity", as: Int64.self)) }
    }

    static func stock(_ db: any SQLDatabase, appid: String, cardID: String) async throws -> Stock? {
        try await db.raw("""
            SELECT quantity, total_quantity FROM cards WHERE appid = \(bind: appid) AND card_id = \(bind: cardID)
            """).first().map { Stock(quantity: try $0.decode(column: "quantity", as: Int64.self),
                                     total: try $0.decode(column: "total_quantity", as: Int64.self)) }
    }

    struct NewUserCard: Sendable {
        var appid: String, ucid: String, cardID: String, code: String, codeScope: String, openid: String
        var claimTime: Int64, beginTime: Int64?, endTime: Int64?
        var activated: Bool, membershipNumber: String, bonus: Int64
        var outerStr: String?, outerID: Int64?, giftFromUcid: String?
    }

    static func insert(_ db: any SQLDatabase, _ card: NewUserCard) async throws {
        try await db.raw("""
            INSERT INTO user_cards (appid, ucid, card_id, code, code_scope, openid, status, claim_time, begin_time, end_time,
                                    activated, membership_number, bonus, outer_str, outer_id, gift_from_ucid, update_time)
            VALUES (\(bind: card.appid), \(bind: card.ucid), \(bind: card.cardID), \(bind: card.code), \(bind: card.codeScope),
                    \(bind: card.openid), \(bind: UserCardStatus.normal.rawValue), \(bind: card.claimTime), \(bind: card.beginTime),
                    \(bind: card.endTime), \(bind: card.activated), \(bind: card.membershipNumber), \(bind: card.bonus),
                    \(bind: card.outerStr), \(bind: card.outerID), \(bind: card.giftFromUcid), \(bind: card.claimTime))
            """).run()
    }

    /// Activates a code that is not yet activated; false when it already is.
    static func activate(_ db: any SQLDatabase, _ userCard: UserCard, _ activation: Members.Activation, now: Int64) async throws -> Bool {
        let values = activation.customFieldValues
        return try await db.raw("""
            UPDATE user_cards SET activated = \(bind: true), membership_number = \(bind: activation.membershipNumber),
                bonus = \(bind: activation.bonus), balance = \(bind: activation.balance),
                custom_field_value1 = COALESCE(\(bind: values[0]), custom_field_value1),
                custom_field_value2 = COALESCE(\(bind: values[1]), custom_field_value2),
                custom_field_value3 = COALESCE(\(bind: values[2]), custom_field_value3),
                background_pic_url = COALESCE(\(bind: activation.backgroundPicURL), background_pic_url),
                begin_time = COALESCE(\(bind: activation.beginTime), begin_time),
                end_time = COALESCE(\(bind: activation.endTime), end_time),
                update_time = \(bind: now)
            WHERE appid = \(bind: userCard.appid) AND ucid = \(bind: userCard.ucid) AND activated = \(bind: false)
            RETURNING ucid
            """).first() != nil
    }

    /// Gives the holding a new code (`code/update`); false when its code changed meanwhile.
    static func changeCode(_ db: any SQLDatabase, appid: String, ucid: String, from code: String, to newCode: String) async throws -> Bool {
        try await db.raw("""
            UPDATE user_cards SET code = \(bind: newCode)
            WHERE appid = \(bind: appid) AND ucid = \(bind: ucid) AND code = \(bind: code)
            RETURNING ucid
            """).first() != nil
    }

    /// Keeps what the user submitted on the activation form.
    static func setUserInfo(_ db: any SQLDatabase, appid: String, ucid: String, info: String, now: Int64) async throws {
        try await db.raw("""
            UPDATE user_cards SET user_info = \(bind: info), update_time = \(bind: now)
            WHERE appid = \(bind: appid) AND ucid = \(bind: ucid)
            """).run()
    }

    /// Moves a code from the status it was read in to another, with the columns that go with
    /// the change; false when a concurrent change came first.
    static func transition(
        _ db: any SQLDatabase, appid: String, ucid: String, from: UserCardStatus, to: UserCardStatus,
        set extra: SQLQueryString = "", now: Int64
    ) async throws -> Bool {
        try await db.raw("""
            UPDATE user_cards SET status = \(bind: to.rawValue), update_time = \(bind: now) \(extra)
            WHERE appid = \(bind: appid) AND ucid = \(bind: ucid) AND status = \(bind: from.rawValue)
            RETURNING ucid
            """).first() != nil
    }

    // MARK: Ledger

    public struct LedgerEntry: Sendable, Equatable, Decodable {
        public let seq: Int64
        public let card_id: String
        public let code: String
        public let kind: String
        public let delta: Int64
        public let result: Int64
        public let record: String?
        public let source: String
        public let time: Int64
    }

    /// The columns a ledger line is written with, here and in `applyPointsAtOnce`.
    static let ledgerColumns = "appid, ucid, seq, card_id, code, kind, delta, result, record, source, time"

    private static let insertLedger = SQLTemplate("""
        INSERT INTO member_ledger (\(ledgerColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """)

    static func appendLedger(
        _ db: any SQLDatabase, appid: String, ucid: String, seq: Int64, cardID: String, code: String,
        kind: String, delta: Int64, result: Int64, record: String?, source: String, time: Int64
    ) async throws {
        try await db.template(insertLedger(appid, ucid, seq, cardID, code, kind, delta, result, record, source, time)).run()
    }

    /// Reserves `count` ledger sequence numbers for the code; answers the first.
    static func reserveLedger(_ db: any SQLDatabase, appid: String, ucid: String, count: Int64) async throws -> Int64 {
        let last = try await db.raw("""
            UPDATE user_cards SET ledger_seq = ledger_seq + \(bind: count) WHERE appid = \(bind: appid) AND ucid = \(bind: ucid)
            RETURNING ledger_seq
            """).first()?.decode(column: "ledger_seq", as: Int64.self) ?? count
        return last - count + 1
    }

    public func ledger(appid: String, cardID: String, code: String) async throws -> [LedgerEntry] {
        try await store.read { db in
            try await db.raw("""
                SELECT l.seq, l.card_id, l.code, l.kind, l.delta, l.result, l.record, l.source, l.time
                FROM member_ledger l JOIN user_cards uc ON uc.appid = l.appid AND uc.ucid = l.ucid
                WHERE l.appid = \(bind: appid) AND uc.card_id = \(bind: cardID) AND uc.code = \(bind: code)
                ORDER BY l.seq
                """).all(decoding: LedgerEntry.self)
        }
    }

    // MARK: Users and messages

    /// Appends a message to the user's chat. Messages sent in one sandbox second are ordered by
    /// `MessageSequence`, so this is one statement.
    public static func appendMessage(_ db: any SQLDatabase, appid: String, openid: String, _ message: UserMessage) async throws {
        let (cell, link) = try storedColumns(message)
        // Another instance may have used the same number for this user in the same microsecond
        // (1 in 1024): then the next number goes. A conflict leaves the transaction usable.
        for _ in 0..<4 {
            let seq = MessageSequence.next()
            if try await db.template(insertMessage(appid, openid, seq, message.time, message.kind, message.text, message.card_id,
                                                   message.code, cell, link)).first() != nil { return }
        }
        throw InternalError("four message numbers in a row were taken for \(openid)")
    }

    /// A message's cell and link as stored: JSON text, or NULL.
    static func storedColumns(_ message: UserMessage) throws -> (cell: String?, link: String?) {
        (try message.cell.map { try $0.jsonText() },
         try message.link.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) })
    }

    /// The columns a message is written with, here and in `applyPointsAtOnce`.
    static let messageColumns = "appid, openid, seq, time, kind, text, card_id, code, cell, link"

    private static let insertMessage = SQLTemplate("""
        INSERT INTO user_messages (\(messageColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (appid, openid, seq) DO NOTHING
        RETURNING seq
        """)

    /// A page of the user's messages, newest first, and whether more follow (one row more is read
    /// to tell).
    public func messages(appid: String, openid: String, page: ListPage) async throws -> (messages: [UserMessage], hasMore: Bool) {
        struct Row: Decodable { let time: Int64, kind: String, text: String, card_id: String, code: String?, cell: String?, link: String? }
        let rows = try await store.read { db in
            try await db.raw("""
                SELECT time, kind, text, card_id, code, cell, link FROM user_messages
                WHERE appid = \(bind: appid) AND openid = \(bind: openid) ORDER BY seq DESC
                LIMIT \(bind: page.count + 1) OFFSET \(bind: page.offset)
                """).all(decoding: Row.self)
        }
        let messages = try rows.prefix(page.count).map { row in
                UserMessage(time: row.time, kind: row.kind, text: row.text, card_id: row.card_id, code: row.code,
                            cell: try row.cell.map { try JSONValue.parse($0) },
                            link: try row.link.map { try JSONDecoder().decode(MessageLink.self, from: Data($0.utf8)) })
        }
        return (messages, rows.count > page.count)
    }

    public func setProfile(appid: String, _ profile: UserProfile) async throws {
        try await store.write { db in
            try await db.raw("""
                INSERT INTO sandbox_users (appid, openid, nickname, sex) VALUES (\(bind: appid), \(bind: profile.openid), \(bind: profile.nickname), \(bind: profile.sex))
                ON CONFLICT (appid, openid) DO UPDATE SET nickname = excluded.nickname, sex = excluded.sex
                """).run()
        }
    }

    // MARK: Server keys

    /// The stored key of that name; `candidate` becomes it when there is none yet (the first
    /// instance to start wins, and every other uses its key).
    func serverKey(named name: String, candidate: String) async throws -> String? {
        try await store.write { db in
            try await db.raw("""
                INSERT INTO server_keys (name, value) VALUES (\(bind: name), \(bind: candidate)) ON CONFLICT (name) DO NOTHING
                """).run()
            return try await db.raw("SELECT value FROM server_keys WHERE name = \(bind: name)").first()?
                .decode(column: "value", as: String.self)
        }
    }

    // MARK: Activation forms and tickets

    public func setForm(appid: String, cardID: String, form: [String: JSONValue], now: Int64) async throws {
        let text = try JSONValue.object(form).jsonText()
        try await store.write { db in
            try await db.raw("""
                INSERT INTO activate_forms (appid, card_id, form, update_time) VALUES (\(bind: appid), \(bind: cardID), \(bind: text), \(bind: now))
                ON CONFLICT (appid, card_id) DO UPDATE SET form = excluded.form, update_time = excluded.update_time
                """).run()
        }
    }

    public func form(appid: String, cardID: String) async throws -> [String: JSONValue]? {
        let text = try await store.read { db in
            try await db.raw("SELECT form FROM activate_forms WHERE appid = \(bind: appid) AND card_id = \(bind: cardID)")
                .first()?.decode(column: "form", as: String.self)
        }
        return try text.flatMap { try JSONValue.parse($0).objectValue }
    }

    static func insertTicket(_ db: any SQLDatabase, appid: String, ticket: String, held: UserCard, info: [String: JSONValue], now: Int64) async throws {
        let text = try JSONValue.object(info).jsonText()
        try await db.raw("""
            INSERT INTO activate_tickets (appid, ticket, card_id, code, openid, info, create_time)
            VALUES (\(bind: appid), \(bind: ticket), \(bind: held.cardID), \(bind: held.code), \(bind: held.openid), \(bind: text), \(bind: now))
            """).run()
    }

    public func ticketInfo(appid: String, ticket: String) async throws -> [String: JSONValue]? {
        let text = try await store.read { db in
            try await db.raw("SELECT info FROM activate_tickets WHERE appid = \(bind: appid) AND ticket = \(bind: ticket)")
                .first()?.decode(column: "info", as: String.self)
        }
        return try text.flatMap { try JSONValue.parse($0).objectValue }
    }
}
