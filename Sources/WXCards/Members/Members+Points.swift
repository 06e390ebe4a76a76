import SQLKit

/// `POST /card/membercard/updateuser` (Updating Member Information): points, balance and custom values.
extension Members {
    /// The body of `updateuser`, decoded straight into types (a wrong type is 47001): this is
    /// the hottest write path, so it skips the generic JSON tree.
    public struct UpdateUserRequest: SelfCheckedBody, Sendable {
        public struct Notify: Decodable, Sendable {
            let is_notify_bonus: Bool?, is_notify_balance: Bool?
            let is_notify_custom_field1: Bool?, is_notify_custom_field2: Bool?, is_notify_custom_field3: Bool?
        }
        let code: String?, card_id: String?, background_pic_url: String?
        let bonus: Int64?, add_bonus: Int64?, record_bonus: String?
        let balance: Int64?, add_balance: Int64?, record_balance: String?
        let custom_field_value1: String?, custom_field_value2: String?, custom_field_value3: String?
        let notify_optional: Notify?

        /// The fields, with their string(n) limits in bytes. The tables give records string(42), yet
        /// the official example's record_balance is 50 bytes: records are display text, so wxcards
        /// allows 128.
        public static let schema: [String: Field] = [
            "code": .optional(.string(maxBytes: 20)), "card_id": .optional(.string(maxBytes: 32)),
            "background_pic_url": .optional(.string(maxBytes: 128)),
            "bonus": .optional(.int), "add_bonus": .optional(.int), "record_bonus": .optional(.string(maxBytes: 128)),
            "balance": .optional(.int), "add_balance": .optional(.int), "record_balance": .optional(.string(maxBytes: 128)),
            "custom_field_value1": .optional(.string(maxBytes: 12)), "custom_field_value2": .optional(.string(maxBytes: 12)),
            "custom_field_value3": .optional(.string(maxBytes: 12)),
            "notify_optional": .optional(.object([
                "is_notify_bonus": .optional(.bool), "is_notify_balance": .optional(.bool),
                "is_notify_custom_field1": .optional(.bool), "is_notify_custom_field2": .optional(.bool),
                "is_notify_custom_field3": .optional(.bool),
            ])),
        ]

        /// The schema's string limits, checked on the decoded values (types were checked by decoding).
        public func check() throws {
            try FieldSchema.checkStrings([
                ("code", code), ("card_id", card_id), ("background_pic_url", background_pic_url),
                ("record_bonus", record_bonus), ("record_balance", record_balance),
                ("custom_field_value1", custom_field_value1), ("custom_field_value2", custom_field_value2),
                ("custom_field_value3", custom_field_value3),
            ], against: Self.schema)
        }
    }

    public struct PointsChange: Sendable, Equatable {
        public var bonus: Int64?
        public var addBonus: Int64?
        public var recordBonus: String?
        public var balance: Int64?
        public var addBalance: Int64?
        public var recordBalance: String?
        public var customFieldValues: [String?] = [nil, nil, nil]
        public var backgroundPicURL: String?
        public var notify = MessageRules.Notify()
        /// Where the change comes from, in the ledger: `updateuser`, `pay`, …
        public var source = "updateuser"

        public var changesBonus: Bool { bonus != nil || addBonus != nil }
        public var changesBalance: Bool { balance != nil || addBalance != nil }
        /// The ledger lines the change writes: one for points, one for balance.
        var ledgerEntries: Int64 { Int64((changesBonus ? 1 : 0) + (changesBalance ? 1 : 0)) }

        /// Totals and deltas fit WeChat's int32 fields (45022 for points, 45023 for balance),
        /// checked before SQL adds them to what is stored.
        public func checkRanges() throws {
            try Ranges.check(bonus, in: Ranges.int32, field: "bonus", error: .bonusOutOfLimit)
            try Ranges.check(addBonus, in: Ranges.int32Delta, field: "add_bonus", error: .bonusOutOfLimit)
            try Ranges.check(balance, in: Ranges.int32, field: "balance", error: .balanceOutOfLimit)
            try Ranges.check(addBalance, in: Ranges.int32Delta, field: "add_balance", error: .balanceOutOfLimit)
        }

        /// Whether `stored` changed by this change stays in 0 … 2,147,483,647.
        static func fits(total: Int64?, add: Int64?, stored: Int64) -> Bool {
            Members.total(total, add: add, stored: stored) != nil
        }

        public init() {}

        init(_ body: UpdateUserRequest) {
            bonus = body.bonus; addBonus = body.add_bonus; recordBonus = body.record_bonus
            balance = body.balance; addBalance = body.add_balance; recordBalance = body.record_balance
            customFieldValues = [body.custom_field_value1, body.custom_field_value2, body.custom_field_value3]
            backgroundPicURL = body.background_pic_url
            let options = body.notify_optional
            notify = MessageRules.Notify(
                bonus: options?.is_notify_bonus, balance: options?.is_notify_balance,
                customFields: [options?.is_notify_custom_field1, options?.is_notify_custom_field2, options?.is_notify_custom_field3])
        }
    }

    public struct PointsResult: Encodable, Sendable, Equatable {
        public let result_bonus: Int64
        public let result_balance: Int64
        public let openid: String
        /// What really changed (for the `update_member_card` push); not in the answer.
        public var bonusDelta: Int64 = 0
        public var balanceDelta: Int64 = 0

        enum CodingKeys: String, CodingKey { case result_bonus, result_balance, openid }
    }

    /// Validates and applies `updateuser`.
    /// The member is read before the transaction, on a reader connection, so SQLite's one
    /// writer only runs the change itself; the UPDATE re-checks the status it was read in.
    /// The body's schema was checked as it was decoded (`SelfCheckedBody`).
    public func updateUser(appid: String, body: UpdateUserRequest) async throws -> PointsResult {
        let change = PointsChange(body)
        try change.checkRanges()
        let held = try await member(appid: appid, cardID: body.card_id, code: body.code)
        let now = try await clock.now()
        try checkPointsChange(held: held, change, now: now)
        if db.engine == .postgres, let result = try await updateAtOnce(appid: appid, held: held, change, now: now) {
            return result
        }
        return try await db.write { db in
            let result = try await self.applyPoints(db, held: held, change, now: now)
            try await Pushes.record(db, appid: appid, .updateMemberCard(
                openid: result.openid, cardID: held.card.cardID, code: held.userCard.code,
                bonus: result.bonusDelta, balance: result.balanceDelta), now: now)
            return result
        }
    }

    /// PostgreSQL: the whole change in one statement (`MemberStore.applyPointsAtOnce`), computed
    /// from the row as read: two round trips (the read and the statement) instead of seven. Nil
    /// when the row changed since it was read, a message number was taken, or the result would
    /// leave the range: the transactional path then does it, or says why not.
    func updateAtOnce(appid: String, held: HeldCard, _ change: PointsChange, now: Int64) async throws -> PointsResult? {
        let stored = held.userCard
        guard let bonus = Self.total(change.bonus, add: change.addBonus, stored: stored.bonus),
              let balance = Self.total(change.balance, add: change.addBalance, stored: stored.balance)
        else { return nil }
        let effects = Self.pointsEffects(held: held, change, bonus: (stored.bonus, bonus), balance: (stored.balance, balance), now: now)
        // The push's XML is built even for an app without a message server (a few µs): the
        // statement writes it only if the app has one, and only it can tell.
        let push = PushEvent.updateMemberCard(openid: stored.openid, cardID: held.card.cardID, code: stored.code,
                                              bonus: bonus - stored.bonus, balance: balance - stored.balance)
        let statement = MemberStore.PointsAtOnce(
            held: held, change: change, bonus: bonus, balance: balance, effects: effects,
            push: push, pushXML: push.xml(originalID: OriginalIDs.shared.id(appid), createTime: now), now: now,
            wallMilliseconds: Pushes.wallMilliseconds)
        let outcome: MemberStore.PointsAtOnceOutcome
        do {
            outcome = try await db.writeOneStatement { db in try await MemberStore.applyPointsAtOnce(db, statement) }
        } catch where Store.isUniqueViolation(error) {
            return nil
        }
        guard outcome.changed else { return nil }
        if outcome.pushed { Pushes.written.store(true, ordering: .releasing) }
        return PointsResult(result_bonus: bonus, result_balance: balance, openid: stored.openid,
                            bonusDelta: bonus - stored.bonus, balanceDelta: balance - stored.balance)
    }

    /// What a total or a delta makes of `stored`, when it stays in 0 … 2,147,483,647.
    static func total(_ total: Int64?, add: Int64?, stored: Int64) -> Int64? {
        if let total { return Ranges.int32.contains(total) ? total : nil }
        let (sum, overflow) = stored.addingReportingOverflow(add ?? 0)
        return !overflow && Ranges.int32.contains(sum) ? sum : nil
    }

    func checkPointsChange(held: HeldCard, _ change: PointsChange, now: Int64) throws {
        guard UserCardRules.effectiveStatus(held.userCard, card: held.card, now: now).isUsable else { throw WeChatError.invalidUserCardStatus }
        if change.changesBonus, !held.card.supplyBonus { throw WeChatError.cannotUseBonus }
        if change.changesBalance, !held.card.supplyBalance { throw WeChatError.cannotUseBalance }
    }

    /// The change and its result in one statement. An absolute value wins over a delta (spec
    /// Updating Member Information: `bonus` is the total shown on the card); the WHERE refuses a result outside
    /// 0 … 2,147,483,647. The values bound are in range (`checkRanges`) and so is what is
    /// stored, so no sum here can overflow on either engine.
    /// Binds: bonus, add_bonus, balance, add_balance, the three custom values, the background,
    /// the ledger rows, now, appid, ucid, the status read, then the four amounts again.
    static let updatePoints = SQLTemplate("""
        UPDATE user_cards SET prev_bonus = bonus, prev_balance = balance,
            bonus = COALESCE(CAST(? AS BIGINT), bonus + ?), balance = COALESCE(CAST(? AS BIGINT), balance + ?),
            custom_field_value1 = COALESCE(?, custom_field_value1), custom_field_value2 = COALESCE(?, custom_field_value2),
            custom_field_value3 = COALESCE(?, custom_field_value3), background_pic_url = COALESCE(?, background_pic_url),
            ledger_seq = ledger_seq + ?, update_time = ?
        WHERE appid = ? AND ucid = ? AND status = ?
          AND COALESCE(CAST(? AS BIGINT), bonus + ?) BETWEEN 0 AND 2147483647
          AND COALESCE(CAST(? AS BIGINT), balance + ?) BETWEEN 0 AND 2147483647
        RETURNING openid, bonus, balance, prev_bonus, prev_balance, ledger_seq
        """)

    /// `updatePoints`' row, read column by column (cheaper than Codable's keyed decoding).
    struct UpdatedPoints {
        let openid: String, bonus: Int64, balance: Int64, prev_bonus: Int64, prev_balance: Int64, ledger_seq: Int64
        init(_ row: any SQLRow) throws {
            openid = try row.decode(column: "openid", as: String.self)
            bonus = try row.decode(column: "bonus", as: Int64.self)
            balance = try row.decode(column: "balance", as: Int64.self)
            prev_bonus = try row.decode(column: "prev_bonus", as: Int64.self)
            prev_balance = try row.decode(column: "prev_balance", as: Int64.self)
            ledger_seq = try row.decode(column: "ledger_seq", as: Int64.self)
        }
    }

    /// Changes a member's points and balance inside the caller's transaction, with their ledger
    /// rows and messages. The new values come from one `UPDATE … RETURNING`, so concurrent
    /// changes never lose one another, and a result out of range changes nothing.
    func applyPoints(_ db: any SQLDatabase, held: HeldCard, _ change: PointsChange, now: Int64) async throws -> PointsResult {
        try change.checkRanges()
        let userCard = held.userCard
        let values = change.customFieldValues
        let entries = change.ledgerEntries
        let (bonus, addBonus) = (change.bonus, change.addBonus ?? 0)
        let (balance, addBalance) = (change.balance, change.addBalance ?? 0)
        guard let updated = try await db.template(Self.updatePoints(
            bonus, addBonus, balance, addBalance, values[0], values[1], values[2], change.backgroundPicURL, entries, now,
            userCard.appid, userCard.ucid, userCard.status.rawValue, bonus, addBonus, balance, addBalance)).first()
        else {
            // Refused: say why, from the row as it is now.
            guard let now = try await MemberStore.held(db, appid: userCard.appid, cardID: userCard.cardID, code: userCard.code),
                  now.userCard.status == userCard.status
            else { throw WeChatError.invalidUserCardStatus }
            if change.changesBonus, !PointsChange.fits(total: change.bonus, add: change.addBonus, stored: now.userCard.bonus) {
                throw WeChatError.bonusOutOfLimit.detail("the points would leave 0 to 2147483647")
            }
            throw WeChatError.balanceOutOfLimit.detail("the balance would leave 0 to 2147483647")
        }
        let row = try UpdatedPoints(updated)
        let effects = Self.pointsEffects(held: held, change, bonus: (row.prev_bonus, row.bonus),
                                         balance: (row.prev_balance, row.balance), now: now)
        var seq = row.ledger_seq - entries + 1
        for line in effects.ledger {
            try await MemberStore.appendLedger(db, appid: userCard.appid, ucid: userCard.ucid, seq: seq, cardID: userCard.cardID,
                                               code: userCard.code, kind: line.kind, delta: line.delta, result: line.result,
                                               record: line.record, source: change.source, time: now)
            seq += 1
        }
        for message in effects.messages {
            try await MemberStore.appendMessage(db, appid: userCard.appid, openid: row.openid, message)
        }
        return PointsResult(result_bonus: row.bonus, result_balance: row.balance, openid: row.openid,
                            bonusDelta: row.bonus - row.prev_bonus, balanceDelta: row.balance - row.prev_balance)
    }

    /// What a points change leaves besides the row: its ledger lines (points first, then
    /// balance) and the user's messages. `bonus` and `balance` are (before, after) as stored.
    struct PointsEffects: Sendable {
        struct LedgerLine: Sendable { let kind: String, delta: Int64, result: Int64, record: String? }
        var ledger: [LedgerLine] = []
        var messages: [UserMessage] = []
    }

    static func pointsEffects(held: HeldCard, _ change: PointsChange, bonus: (Int64, Int64), balance: (Int64, Int64),
                              now: Int64) -> PointsEffects {
        let userCard = held.userCard
        var effects = PointsEffects()
        let cell = MessageRules.cell(held.card.body.object("modify_msg_operation"), now: now)
        if change.changesBonus {
            let delta = bonus.1 - bonus.0
            effects.ledger.append(.init(kind: "bonus", delta: delta, result: bonus.1, record: change.recordBonus))
            let shown = change.addBonus ?? delta
            if change.notify.bonus, shown != 0 || delta != 0 {
                effects.messages.append(UserMessage(
                    time: now, kind: "bonus", text: MessageRules.bonusText(shownDelta: shown, total: bonus.1, record: change.recordBonus),
                    card_id: userCard.cardID, code: userCard.code, cell: cell))
            }
        }
        if change.changesBalance {
            let delta = balance.1 - balance.0
            effects.ledger.append(.init(kind: "balance", delta: delta, result: balance.1, record: change.recordBalance))
            let shown = change.addBalance ?? delta
            if change.notify.balance, shown != 0 || delta != 0 {
                effects.messages.append(UserMessage(
                    time: now, kind: "balance",
                    text: MessageRules.balanceText(shownDelta: shown, total: balance.1, record: change.recordBalance),
                    card_id: userCard.cardID, code: userCard.code, cell: cell))
            }
        }
        for (index, value) in change.customFieldValues.enumerated() {
            guard let value, change.notify.customFields[index] else { continue }
            let name = held.card.body.object("custom_field\(index + 1)")?.string("name") ?? "custom_field\(index + 1)"
            effects.messages.append(UserMessage(time: now, kind: "custom_field", text: "\(name)变更为\(value)",
                                                card_id: userCard.cardID, code: userCard.code, cell: cell))
        }
        return effects
    }
}
