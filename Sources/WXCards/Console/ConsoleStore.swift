import SQLKit

/// The reads only the console makes: member search, the app's payments, a card's QR codes.
/// Every query is scoped by appid.
struct ConsoleStore: Sendable {
    let store: Store

    struct MemberRow: Decodable, Sendable {
        let card_id: String
        let code: String
        let openid: String
        let status: String
        let bonus: Int64
        let balance: Int64
        let membership_number: String
    }

    /// Where a page of the member list starts: after this code, in (openid, card_id, code) order.
    struct MemberCursor: Sendable, Equatable {
        let openid: String
        let cardID: String
        let code: String
    }

    /// Codes matching `query` exactly as a code, an openid or a membership number (all codes
    /// when it is nil), in (openid, card_id, code) order after `after`; one more than `limit`
    /// tells there is a next page. Each match is an index lookup (a code by its scopes: the
    /// app's own, or one custom-code card's), and the list walks `user_cards_by_openid` from the
    /// cursor (no OFFSET to skip), so any page costs the same at a million members as at ten.
    func members(appid: String, query: String?, cardIDs: [String], after: MemberCursor?, limit: Int) async throws -> [MemberRow] {
        try await store.read { db in
            let columns: SQLQueryString = "card_id, code, openid, status, bonus, balance, membership_number"
            let start: SQLQueryString = after.map {
                // `openid >=` alone gives the index where to start; the rest drops what precedes
                // the cursor among that one user's codes.
                """
                AND openid >= \(bind: $0.openid)
                AND (openid > \(bind: $0.openid) OR card_id > \(bind: $0.cardID) OR (card_id = \(bind: $0.cardID) AND code > \(bind: $0.code)))
                """
            } ?? ""
            guard let query else {
                return try await db.raw("""
                    SELECT \(columns) FROM user_cards WHERE appid = \(bind: appid) \(start)
                    ORDER BY openid, card_id, code LIMIT \(bind: limit + 1)
                    """).all(decoding: MemberRow.self)
            }
            let scopes = SQLList(([""] + cardIDs).map { SQLBind($0) })
            return try await db.raw("""
                SELECT \(columns) FROM (
                    SELECT \(columns) FROM user_cards WHERE appid = \(bind: appid) AND code_scope IN (\(scopes)) AND code = \(bind: query)
                    UNION
                    SELECT \(columns) FROM user_cards WHERE appid = \(bind: appid) AND openid = \(bind: query)
                    UNION
                    SELECT \(columns) FROM user_cards WHERE appid = \(bind: appid) AND membership_number = \(bind: query)
                      AND membership_number <> ''
                ) matches WHERE 1 = 1 \(start)
                ORDER BY openid, card_id, code LIMIT \(bind: limit + 1)
                """).all(decoding: MemberRow.self)
        }
    }

    /// The app's newest payments.
    func payments(appid: String, limit: Int) async throws -> [Payment] {
        try await store.read { db in
            try await db.raw("""
                SELECT transaction_id, mchid, openid, total_fee, actual_fee, card_id, code, bonus_added, bonus_used,
                       gift_card_id, gift_rule_id, time
                FROM payments WHERE appid = \(bind: appid) ORDER BY seq DESC LIMIT \(bind: limit)
                """).all(decoding: Payment.self)
        }
    }

    struct QRRow: Decodable, Sendable {
        let ticket: String
        let action_name: String
        let cards: String
        let expire_time: Int64?
    }

    /// The app's newest QR codes (the card page keeps those that carry its card).
    func qrCodes(appid: String, limit: Int) async throws -> [QRRow] {
        try await store.read { db in
            try await db.raw("""
                SELECT ticket, action_name, cards, expire_time FROM card_qrcodes
                WHERE appid = \(bind: appid) ORDER BY create_time DESC LIMIT \(bind: limit)
                """).all(decoding: QRRow.self)
        }
    }

    /// The user's sandbox nickname, if one was set (`/sandbox/user`).
    func nickname(appid: String, openid: String) async throws -> String? {
        try await store.read { db in
            try await db.raw("SELECT nickname FROM sandbox_users WHERE appid = \(bind: appid) AND openid = \(bind: openid)")
                .first()?.decode(column: "nickname", as: String?.self)
        }
    }
}
