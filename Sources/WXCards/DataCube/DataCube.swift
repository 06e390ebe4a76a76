import SQLKit

/// The card statistics (`/datacube/getcard*`): closes the days that have ended and answers the
/// four reports from the closed days.
///
/// A day is closed (rolled up) the first time a report needs it: its acts are counted once
/// into one row per scope, and a report reads at most 62 of those rows plus one. A request never
/// scans members or ledgers.
public struct DataCube: Sendable {
    let store: Store
    let cards: CardService
    let clock: ServerClock

    public init(store: Store, cards: CardService, clock: ServerClock) {
        self.store = store
        self.cards = cards
        self.clock = clock
    }

    public typealias Day = (day: Int64, row: StatsRollup.Row)

    /// The acts one roll-up transaction counts before it commits (whole days).
    static let actsPerTransaction = 50_000

    /// The request's range, checked against today (the checks come first: a refused request
    /// closes no day).
    /// The body checked against its report's schema first (types, required fields), then its dates.
    func checkedRange(body: [String: JSONValue], schema: [String: Field]) async throws -> (range: ClosedRange<Int64>, today: Int64) {
        try FieldSchema.check(body, against: schema, path: "", allowUnknown: true)
        let today = ChinaDay.of(try await clock.now())
        return (try DataCubeRules.dateRange(body, today: today), today)
    }

    /// All cards of a source (`getcardbizuininfo`) or its member cards (`getcardmembercardinfo`).
    public func overview(appid: String, body: [String: JSONValue], memberCards: Bool) async throws -> [Day] {
        let (range, today) = try await checkedRange(body: body, schema: DataCubeRules.overviewSchema)
        let source = try DataCubeRules.condSource(body)
        try await rollUp(appid: appid, today: today)
        let scope = memberCards ? StatsRollup.memberScope(source) : StatsRollup.allScope(source)
        return try await scopeDays(appid: appid, scope: scope, range: range)
    }

    /// One member card (`getcardmembercarddetail`). A coupon, or another app's card, is unknown.
    public func memberCard(appid: String, body: [String: JSONValue]) async throws -> (card: CardDefinition, days: [Day]) {
        let (range, today) = try await checkedRange(body: body, schema: DataCubeRules.detailSchema)
        let card = try await cards.card(appid: appid, cardID: try DataCubeRules.cardID(body, required: true))
        guard card.isMemberCard else { throw WeChatError.invalidCardID.detail("\(card.cardID) is not a member card") }
        try await rollUp(appid: appid, today: today)
        return (card, try await scopeDays(appid: appid, scope: StatsRollup.cardScope(card.cardID), range: range))
    }

    /// Each coupon of a source (`getcardcardinfo`), or the one named, from the day it was made.
    /// Rows are ordered by day, then by card as they were made.
    public func coupons(appid: String, body: [String: JSONValue]) async throws -> [(card: CardDefinition, day: Int64, row: StatsRollup.Row)] {
        let (range, today) = try await checkedRange(body: body, schema: DataCubeRules.couponsSchema)
        let source = try DataCubeRules.condSource(body)
        let cardID = try DataCubeRules.cardID(body, required: false)
        var coupons: [CardDefinition]
        if let cardID {
            let card = try await cards.card(appid: appid, cardID: cardID)
            guard DataCubeRules.couponType(card.type) != nil else { throw WeChatError.invalidCardID.detail("\(card.cardID) is a member card, not a coupon") }
            coupons = [card]
        } else {
            coupons = try await cards.cards.all(appid: appid)
        }
        try await rollUp(appid: appid, today: today)
        coupons = coupons.filter { DataCubeRules.couponType($0.type) != nil && $0.source == source }
        let filter: DataCubeStore.ScopeFilter = cardID.map { .one(StatsRollup.cardScope($0)) } ?? .cards
        let stored = try await store.read { db in try await DataCubeStore.days(db, appid: appid, scopes: filter, range: range) }
        return range.flatMap { day in
            coupons.filter { ChinaDay.of($0.createTime) <= day }.map { card in
                (card, day, stored[StatsRollup.cardScope(card.cardID)]?[day] ?? StatsRollup.Row())
            }
        }
    }

    private func scopeDays(appid: String, scope: String, range: ClosedRange<Int64>) async throws -> [Day] {
        let (stored, before) = try await store.read { db in
            (try await DataCubeStore.days(db, appid: appid, scopes: .one(scope), range: range)[scope] ?? [:],
             try await DataCubeStore.totals(db, appid: appid, scope: scope, before: range.lowerBound))
        }
        return DataCubeRules.days(range, stored: stored, before: before)
    }

    // MARK: Closing days

    /// Closes every day of the app before `today` that is not closed yet. The common case, all
    /// closed, costs one read. Each day closes in a transaction of its own, so a long backlog
    /// never holds the writer for long; two instances closing one app take turns on its progress
    /// row, and a day is never counted twice.
    public func rollUp(appid: String, today: Int64) async throws {
        let through = try await store.read { db in try await DataCubeStore.rolledThrough(db, appid: appid) }
        if let through, through >= today - 1 { return }
        let (start, days, cardList) = try await store.read { db in
            var start = today - 1
            if let through { start = through } else if let first = try await DataCubeStore.firstActivityDay(db, appid: appid) { start = first - 1 }
            let cardList = try await CardStore.all(db, appid: appid)
            var days = Set(try await DataCubeStore.activityDays(db, appid: appid, after: start, before: today))
            days.formUnion(try await DataCubeStore.codeExpiryDays(db, appid: appid, after: start, before: today))
            for card in cardList {
                guard let end = StatsRollup.cardEnd(card) else { continue }
                let day = ChinaDay.of(end + 1)
                if day > start, day < today { days.insert(day) }
            }
            return (start, days.sorted(), cardList)
        }
        let byID = Dictionary(cardList.map { ($0.cardID, $0) }, uniquingKeysWith: { first, _ in first })
        let forUpdate = store.engine == .postgres
        var next = days[...]
        while !next.isEmpty {
            next = try await store.write { [next] db in
                let rolled = try await DataCubeStore.lockProgress(db, appid: appid, start: start, forUpdate: forUpdate)
                var remaining = next.drop { $0 <= rolled }
                var counted = 0
                // Days close in one transaction until a batch's worth of acts: one day at a
                // time when days close as they end, far fewer commits (and pages written) for
                // a backlog, and never the writer held for long.
                while let day = remaining.first, counted < Self.actsPerTransaction {
                    counted += try await Self.close(db, appid: appid, day: day, cards: byID)
                    try await DataCubeStore.setProgress(db, appid: appid, day: day)
                    remaining = remaining.dropFirst()
                }
                return remaining
            }
        }
        try await store.write { db in
            if try await DataCubeStore.lockProgress(db, appid: appid, start: start, forUpdate: forUpdate) < today - 1 {
                try await DataCubeStore.setProgress(db, appid: appid, day: today - 1)
            }
        }
    }

    /// Counts one day into its rows and the state the next day starts from; answers how many
    /// acts it counted.
    static func close(_ db: any SQLDatabase, appid: String, day: Int64, cards: [String: CardDefinition]) async throws -> Int {
        var acts = try await DataCubeStore.activity(db, appid: appid, day: day)
        // Codes expire the second after their end: an end in [start - 1, next start - 1) expires today.
        let from = ChinaDay.start(day) - 1, before = ChinaDay.start(day + 1) - 1
        var ending = try await DataCubeStore.codesEnding(db, appid: appid, from: from, before: before)
        for card in cards.values.sorted(by: { $0.cardID < $1.cardID }) {
            if let end = StatsRollup.cardEnd(card), end >= from, end < before {
                ending += try await DataCubeStore.codesEndingWithCard(db, appid: appid, cardID: card.cardID)
            }
        }
        for code in ending {
            guard let card = cards[code.cardID] else { continue }
            let end = code.end ?? StatsRollup.cardEnd(card) ?? UserCardRules.forever
            guard StatsRollup.heldAtExpiry(status: code.status, updateTime: code.updateTime, consumeTime: code.consumeTime, expiredAt: end + 1)
            else { continue }
            acts.append(StatsRollup.Act(cardID: card.cardID, source: card.source, member: card.isMemberCard, openid: code.openid,
                                        kind: .expire, hold: -1))
        }
        guard !acts.isEmpty else { return 0 }
        let members = try await DataCubeStore.members(db, appid: appid, StatsRollup.touched(acts))
        let totals = try await DataCubeStore.totals(db, appid: appid, scopes: Set(acts.flatMap(StatsRollup.scopes)))
        try await DataCubeStore.write(db, appid: appid, day: day, StatsRollup.roll(acts, members: members, totals: totals))
        return acts.count
    }
}
