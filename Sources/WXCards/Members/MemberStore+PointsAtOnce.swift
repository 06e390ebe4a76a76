import SQLKit

/// A points change as one PostgreSQL statement: the row, its ledger lines, the user's messages
/// and the push, through data-modifying CTEs. Every value is computed beforehand in Swift by the
/// same rules as the transactional path (`Members.pointsEffects`), from the row as it was read;
/// the UPDATE only happens if the row still holds exactly what was read (status, points,
/// balance), and every INSERT takes its row from the UPDATE's, so a row changed in between
/// changes nothing, and the caller goes the transactional way. A message number already taken
/// (23505) fails the whole statement the same way. PostgreSQL only: SQLite has no
/// data-modifying CTEs, and needs none (its one writer commits in groups).
extension MemberStore {
    struct PointsAtOnce: Sendable {
        let held: HeldCard
        let change: Members.PointsChange
        /// What the statement stores; the row must still hold `held`'s.
        let bonus: Int64
        let balance: Int64
        let effects: Members.PointsEffects
        let push: PushEvent
        let pushXML: String
        let now: Int64
        let wallMilliseconds: Int64
    }

    /// Whether the row held what was read (and so everything was written), and whether a push
    /// was written.
    struct PointsAtOnceOutcome: Sendable {
        let changed: Bool
        let pushed: Bool
    }

    static func applyPointsAtOnce(_ db: any SQLDatabase, _ change: PointsAtOnce) async throws -> PointsAtOnceOutcome {
        let userCard = change.held.userCard
        let (appid, ucid) = (userCard.appid, userCard.ucid)
        let values = change.change.customFieldValues
        let entries = Int64(change.effects.ledger.count)
        var sql: SQLQueryString = """
            WITH u AS (
                UPDATE user_cards SET prev_bonus = bonus, prev_balance = balance,
                    bonus = \(bind: change.bonus), balance = \(bind: change.balance),
                    custom_field_value1 = COALESCE(\(bind: values[0]), custom_field_value1),
                    custom_field_value2 = COALESCE(\(bind: values[1]), custom_field_value2),
                    custom_field_value3 = COALESCE(\(bind: values[2]), custom_field_value3),
                    background_pic_url = COALESCE(\(bind: change.change.backgroundPicURL), background_pic_url),
                    ledger_seq = ledger_seq + \(bind: entries), update_time = \(bind: change.now)
                WHERE appid = \(bind: appid) AND ucid = \(bind: ucid) AND status = \(bind: userCard.status.rawValue)
                  AND bonus = \(bind: userCard.bonus) AND balance = \(bind: userCard.balance)
                RETURNING openid, ledger_seq
            )
            """
        for (index, line) in change.effects.ledger.enumerated() {
            sql = sql + """
                , l\(unsafeRaw: String(index)) AS (
                    INSERT INTO member_ledger (\(unsafeRaw: ledgerColumns))
                    SELECT \(bind: appid), \(bind: ucid), u.ledger_seq - \(bind: entries - 1 - Int64(index)), \(bind: userCard.cardID),
                           \(bind: userCard.code), \(bind: line.kind), \(bind: line.delta), \(bind: line.result),
                           \(bind: line.record), \(bind: change.change.source), \(bind: change.now)
                    FROM u
                )
                """
        }
        for (index, message) in change.effects.messages.enumerated() {
            let (cell, link) = try storedColumns(message)
            sql = sql + """
                , m\(unsafeRaw: String(index)) AS (
                    INSERT INTO user_messages (\(unsafeRaw: messageColumns))
                    SELECT \(bind: appid), u.openid, \(bind: MessageSequence.next()), \(bind: message.time), \(bind: message.kind),
                           \(bind: message.text), \(bind: message.card_id), \(bind: message.code), \(bind: cell), \(bind: link)
                    FROM u
                )
                """
        }
        let (pushID, pushSeq) = PushStore.newID()
        let outbox = PushStore.outboxInsert(appid: appid, id: pushID, seq: pushSeq, event: change.push, createTime: change.now,
                                            wallMilliseconds: change.wallMilliseconds, from: "FROM u")
        sql = sql + """
            , p AS (\(outbox)), b AS (
                INSERT INTO push_bodies (appid, id, xml) SELECT appid, id, \(bind: change.pushXML) FROM p
            )
            SELECT (SELECT COUNT(*) FROM u) AS changed, (SELECT COUNT(*) FROM p) AS pushed
            """
        guard let row = try await db.raw(sql).first() else { return PointsAtOnceOutcome(changed: false, pushed: false) }
        return PointsAtOnceOutcome(changed: try row.decode(column: "changed", as: Int64.self) > 0,
                                   pushed: try row.decode(column: "pushed", as: Int64.self) > 0)
    }
}
