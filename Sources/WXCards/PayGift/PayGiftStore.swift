import Foundation
import SQLKit

/// The SQL of merchant ids, pay-gift rules and payments. Rules and payments are scoped by
/// appid; merchant ids are WeChat Pay's and global. Functions taking `db` run inside the
/// caller's transaction.
public struct PayGiftStore: Sendable {
    let store: Store

    public init(store: Store) { self.store = store }

    // MARK: Merchant ids

    public func setMerchant(mchid: String, entity: String, now: Int64) async throws {
        try await store.write { db in
            try await db.raw("""
                INSERT INTO merchants (mchid, entity, update_time) VALUES (\(bind: mchid), \(bind: entity), \(bind: now))
                ON CONFLICT (mchid) DO UPDATE SET entity = excluded.entity, update_time = excluded.update_time
                """).run()
        }
    }

    /// The entities of the registered merchant ids among `mchids`.
    static func entities(_ db: any SQLDatabase, mchids: [String]) async throws -> [String: String] {
        let rows = try await db.raw("SELECT mchid, entity FROM merchants WHERE mchid IN (\(binds: mchids))").all()
        return try Dictionary(rows.map { (try $0.decode(column: "mchid", as: String.self), try $0.decode(column: "entity", as: String.self)) },
                              uniquingKeysWith: { first, _ in first })
    }

    /// Takes the merchant id for the rule; false when another rule holds it. The primary key
    /// decides, so two concurrent rules can never both take one id.
    static func take(_ db: any SQLDatabase, mchid: String, appid: String, ruleID: Int64) async throws -> Bool {
        try await db.raw("""
            INSERT INTO pay_gift_mchids (mchid, appid, rule_id) VALUES (\(bind: mchid), \(bind: appid), \(bind: ruleID))
            ON CONFLICT (mchid) DO NOTHING RETURNING mchid
            """).first() != nil
    }

    /// The app and rule holding a merchant id.
    static func holder(_ db: any SQLDatabase, mchid: String) async throws -> (appid: String, ruleID: Int64)? {
        guard let row = try await db.raw("SELECT appid, rule_id FROM pay_gift_mchids WHERE mchid = \(bind: mchid)").first() else { return nil }
        return (try row.decode(column: "appid", as: String.self), try row.decode(column: "rule_id", as: Int64.self))
    }

    // MARK: Rules

    static let ruleColumns = """
        r.appid, r.rule_id, r.type, r.mchid_list, r.begin_time, r.end_time, r.card_id, r.least_cost, r.max_cost,
        r.jump_url, r.app_brand_id, r.app_brand_pass, r.status, r.create_time, r.update_time
        """

    struct RuleRow: Decodable {
        let appid: String, rule_id: Int64, type: String, mchid_list: String, begin_time: Int64, end_time: Int64
        let card_id: String, least_cost: Int64, max_cost: Int64
        let jump_url: String?, app_brand_id: String?, app_brand_pass: String?
        let status: String, create_time: Int64, update_time: Int64

        func rule() throws -> PayGiftRule {
            guard let status = PayGiftRule.Status(rawValue: status) else { throw InternalError("stored pay-gift rule status \(status) is unknown") }
            return PayGiftRule(
                appid: appid, ruleID: rule_id, type: type, mchidList: try JSONDecoder().decode([String].self, from: Data(mchid_list.utf8)),
                beginTime: begin_time, endTime: end_time, cardID: card_id, leastCost: least_cost, maxCost: max_cost,
                jumpURL: jump_url, appBrandID: app_brand_id, appBrandPass: app_brand_pass, status: status,
                createTime: create_time, updateTime: update_time)
        }
    }

    static func insert(_ db: any SQLDatabase, _ rule: PayGiftRule) async throws {
        let mchids = String(decoding: try JSONEncoder().encode(rule.mchidList), as: UTF8.self)
        try await db.raw("""
            INSERT INTO pay_gift_rules (appid, rule_id, type, mchid_list, begin_time, end_time, card_id, least_cost, max_cost,
                                        jump_url, app_brand_id, app_brand_pass, status, create_seq, create_time, update_time)
            VALUES (\(bind: rule.appid), \(bind: rule.ruleID), \(bind: rule.type), \(bind: mchids), \(bind: rule.beginTime),
                    \(bind: rule.endTime), \(bind: rule.cardID), \(bind: rule.leastCost), \(bind: rule.maxCost),
                    \(bind: rule.jumpURL), \(bind: rule.appBrandID), \(bind: rule.appBrandPass), \(bind: rule.status.rawValue),
                    \(bind: MessageSequence.next()), \(bind: rule.createTime), \(bind: rule.updateTime))
            """).run()
    }

    /// The app's rule, deleted or not.
    public func rule(appid: String, ruleID: Int64) async throws -> PayGiftRule? {
        try await store.read { db in
            try await db.raw("""
                SELECT \(unsafeRaw: Self.ruleColumns) FROM pay_gift_rules r WHERE r.appid = \(bind: appid) AND r.rule_id = \(bind: ruleID)
                """).first(decoding: RuleRow.self)?.rule()
        }
    }

    /// Marks the rule deleted and frees its merchant ids; false when it is unknown or already deleted.
    public func delete(appid: String, ruleID: Int64, now: Int64) async throws -> Bool {
        try await store.write { db in
            guard try await db.raw("""
                UPDATE pay_gift_rules SET status = \(bind: PayGiftRule.Status.deleted.rawValue), update_time = \(bind: now)
                WHERE appid = \(bind: appid) AND rule_id = \(bind: ruleID) AND status = \(bind: PayGiftRule.Status.ok.rawValue)
                RETURNING rule_id
                """).first() != nil
            else { return false }
            try await db.raw("DELETE FROM pay_gift_mchids WHERE appid = \(bind: appid) AND rule_id = \(bind: ruleID)").run()
            return true
        }
    }

    /// A page of the app's rules, oldest first, with how many there are: rules in force only,
    /// or deleted ones too.
    public func list(appid: String, effectiveOnly: Bool, offset: Int, count: Int) async throws -> (rules: [PayGiftRule], total: Int) {
        let statuses = (effectiveOnly ? [PayGiftRule.Status.ok] : [.ok, .deleted]).map(\.rawValue)
        return try await store.read { db in
            let total = try await db.raw("""
                SELECT COUNT(*) AS n FROM pay_gift_rules WHERE appid = \(bind: appid) AND status IN (\(binds: statuses))
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            let rules = try await db.raw("""
                SELECT \(unsafeRaw: Self.ruleColumns) FROM pay_gift_rules r
                WHERE r.appid = \(bind: appid) AND r.status IN (\(binds: statuses))
                ORDER BY r.create_seq LIMIT \(bind: count) OFFSET \(bind: offset)
                """).all(decoding: RuleRow.self).map { try $0.rule() }
            return (rules, total)
        }
    }

    /// The app's rule in force on a merchant id.
    static func liveRule(_ db: any SQLDatabase, appid: String, mchid: String) async throws -> PayGiftRule? {
        try await db.raw("""
            SELECT \(unsafeRaw: ruleColumns) FROM pay_gift_mchids m
            JOIN pay_gift_rules r ON r.appid = m.appid AND r.rule_id = m.rule_id
            WHERE m.mchid = \(bind: mchid) AND m.appid = \(bind: appid) AND r.status = \(bind: PayGiftRule.Status.ok.rawValue)
            """).first(decoding: RuleRow.self)?.rule()
    }

    // MARK: Gifts and payments

    /// Records that the user was offered the card; false when they already were. The primary
    /// key makes "once per user and card" hold under concurrent payments.
    static func markOffered(
        _ db: any SQLDatabase, appid: String, cardID: String, openid: String, ruleID: Int64, transactionID: String, now: Int64
    ) async throws -> Bool {
        try await db.raw("""
            INSERT INTO pay_gift_sends (appid, card_id, openid, rule_id, transaction_id, time)
            VALUES (\(bind: appid), \(bind: cardID), \(bind: openid), \(bind: ruleID), \(bind: transactionID), \(bind: now))
            ON CONFLICT (appid, card_id, openid) DO NOTHING RETURNING openid
            """).first() != nil
    }

    static func insert(_ db: any SQLDatabase, appid: String, _ payment: Payment) async throws {
        try await db.raw("""
            INSERT INTO payments (appid, transaction_id, seq, mchid, openid, total_fee, actual_fee, card_id, code,
                                  bonus_added, bonus_used, gift_card_id, gift_rule_id, time)
            VALUES (\(bind: appid), \(bind: payment.transaction_id), \(bind: MessageSequence.next()), \(bind: payment.mchid),
                    \(bind: payment.openid), \(bind: payment.total_fee), \(bind: payment.actual_fee), \(bind: payment.card_id),
                    \(bind: payment.code), \(bind: payment.bonus_added), \(bind: payment.bonus_used), \(bind: payment.gift_card_id),
                    \(bind: payment.gift_rule_id), \(bind: payment.time))
            """).run()
    }

    /// The user's payments, newest first.
    /// A page of the user's payments, newest first, and whether more follow.
    public func payments(appid: String, openid: String, page: ListPage) async throws -> (payments: [Payment], hasMore: Bool) {
        let rows = try await store.read { db in
            try await db.raw("""
                SELECT transaction_id, mchid, openid, total_fee, actual_fee, card_id, code, bonus_added, bonus_used,
                       gift_card_id, gift_rule_id, time
                FROM payments WHERE appid = \(bind: appid) AND openid = \(bind: openid) ORDER BY seq DESC
                LIMIT \(bind: page.count + 1) OFFSET \(bind: page.offset)
                """).all(decoding: Payment.self)
        }
        return (Array(rows.prefix(page.count)), rows.count > page.count)
    }
}
