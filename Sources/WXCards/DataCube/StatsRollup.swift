/// How one closed China day turns into the statistics rows of every scope, as a pure
/// computation: the store reads the day's acts and the state they change, this counts, and the
/// store writes the result. Nothing here reads a clock or a database.
public enum StatsRollup {
    /// One act of the day, with the card's source and kind copied in.
    public struct Act: Sendable, Equatable {
        public let cardID: String
        public let source: CardSource
        public let member: Bool
        public let openid: String
        public let kind: CardActivity.Kind
        public let hold: Int64
        public let fee: Int64
        public let originalFee: Int64

        public init(cardID: String, source: CardSource, member: Bool, openid: String, kind: CardActivity.Kind,
                    hold: Int64 = 0, fee: Int64 = 0, originalFee: Int64 = 0) {
            self.cardID = cardID; self.source = source; self.member = member; self.openid = openid
            self.kind = kind; self.hold = hold; self.fee = fee; self.originalFee = originalFee
        }
    }

    /// A scope is what one report row adds up: one card, all cards of a source, or the member
    /// cards of a source.
    public static func cardScope(_ cardID: String) -> String { "card:\(cardID)" }
    public static func allScope(_ source: CardSource) -> String { "all:\(source.rawValue)" }
    public static func memberScope(_ source: CardSource) -> String { "member:\(source.rawValue)" }

    /// The scopes an act counts in.
    static func scopes(of act: Act) -> [String] {
        var scopes = [cardScope(act.cardID), allScope(act.source)]
        if act.member { scopes.append(memberScope(act.source)) }
        return scopes
    }

    public struct Counter: Sendable, Equatable {
        public var count: Int64 = 0
        public var users: Int64 = 0
    }

    /// One scope's row for the day.
    public struct Row: Sendable, Equatable {
        public var counters: [CardActivity.Kind: Counter] = [:]
        public var newUser: Int64 = 0
        public var fee: Int64 = 0
        public var originalFee: Int64 = 0
        public var totalUser: Int64 = 0
        public var totalReceiveUser: Int64 = 0

        public func count(_ kind: CardActivity.Kind) -> Int64 { counters[kind]?.count ?? 0 }
        public func users(_ kind: CardActivity.Kind) -> Int64 { counters[kind]?.users ?? 0 }
    }

    public struct Totals: Sendable, Equatable {
        public var totalUser: Int64 = 0
        public var totalReceiveUser: Int64 = 0
        public init(totalUser: Int64 = 0, totalReceiveUser: Int64 = 0) {
            self.totalUser = totalUser; self.totalReceiveUser = totalReceiveUser
        }
    }

    public struct ScopedUser: Hashable, Sendable {
        public let scope: String
        public let openid: String
        public init(scope: String, openid: String) { self.scope = scope; self.openid = openid }
    }

    /// What the statistics keep of one user in one member scope: the codes they hold, and
    /// whether they ever claimed one. One row for both, so a day writes each user once.
    public struct Member: Sendable, Equatable {
        public var codes: Int64 = 0
        public var claimed = false
        public init(codes: Int64 = 0, claimed: Bool = false) { self.codes = codes; self.claimed = claimed }
    }

    /// What the day changes besides its rows.
    public struct Result: Sendable {
        public var rows: [String: Row] = [:]
        /// Every (scope, user) the day touched, as it stands after the day.
        public var members: [ScopedUser: Member] = [:]
        /// Running totals after the day, for every scope that has a row.
        public var totals: [String: Totals] = [:]
    }

    /// The (scope, user) pairs of member scopes whose holdings or first claims the day changes:
    /// what must be known of them before it.
    public static func touched(_ acts: [Act]) -> Set<ScopedUser> {
        var touched: Set<ScopedUser> = []
        for act in acts where act.member && (act.hold != 0 || act.kind == .receive) {
            for scope in scopes(of: act) where scope != allScope(act.source) {
                touched.insert(ScopedUser(scope: scope, openid: act.openid))
            }
        }
        return touched
    }

    /// Counts the day. `members` is what was known before it (for the pairs of `touched`;
    /// a pair not there is a user the scope has never seen), `totals` the scopes' running
    /// totals before it.
    public static func roll(_ acts: [Act], members: [ScopedUser: Member], totals: [String: Totals]) -> Result {
        var result = Result()
        var users: [String: [CardActivity.Kind: Set<String>]] = [:]
        var delta: [ScopedUser: Int64] = [:]
        var firstClaims: [String: Set<String>] = [:]
        for act in acts {
            for scope in scopes(of: act) {
                var row = result.rows[scope] ?? Row()
                row.counters[act.kind, default: Counter()].count += 1
                if act.kind == .pay { row.fee += act.fee; row.originalFee += act.originalFee }
                result.rows[scope] = row
                users[scope, default: [:]][act.kind, default: []].insert(act.openid)
                guard act.member, scope != allScope(act.source), act.hold != 0 || act.kind == .receive else { continue }
                let key = ScopedUser(scope: scope, openid: act.openid)
                delta[key, default: 0] += act.hold
                if act.kind == .receive, members[key]?.claimed != true { firstClaims[scope, default: []].insert(act.openid) }
            }
        }
        for (scope, kinds) in users {
            for (kind, openids) in kinds { result.rows[scope]?.counters[kind]?.users = Int64(openids.count) }
        }

        // Holdings: a user counts in total_user while holding at least one code. A code
        // held from before the statistics began can make a count go below zero; it stays at 0.
        var running = totals
        for (key, change) in delta {
            let before = members[key] ?? Member()
            var after = before
            after.codes = max(0, before.codes + change)
            if firstClaims[key.scope]?.contains(key.openid) == true { after.claimed = true }
            result.members[key] = after
            if before.codes == 0, after.codes > 0 { running[key.scope, default: Totals()].totalUser += 1 }
            if before.codes > 0, after.codes == 0 { running[key.scope, default: Totals()].totalUser -= 1 }
        }
        for (scope, openids) in firstClaims {
            running[scope, default: Totals()].totalReceiveUser += Int64(openids.count)
            result.rows[scope]?.newUser = Int64(openids.count)
        }
        for (scope, _) in result.rows {
            let total = running[scope] ?? Totals()
            result.rows[scope]?.totalUser = total.totalUser
            result.rows[scope]?.totalReceiveUser = total.totalReceiveUser
            result.totals[scope] = total
        }
        return result
    }
}

/// Expiry, which happens by the clock alone: no act is logged, so a day's roll-up finds the
/// codes whose end fell in it and decides which were still held.
extension StatsRollup {
    /// The end of a card's own range (`DATE_TYPE_FIX_TIME_RANGE`), which its codes share unless
    /// they have an end of their own.
    public static func cardEnd(_ card: CardDefinition) -> Int64? {
        guard let end = UserCardRules.cardRange(card).end, end != UserCardRules.forever else { return nil }
        return end
    }

    /// Whether a code was still held when it expired (the second after its end): a usable code
    /// or one being given, or one deleted or made unavailable only afterwards (that act was
    /// logged as releasing nothing). A consumed or given-away code had left before.
    public static func heldAtExpiry(status: String, updateTime: Int64, consumeTime: Int64?, expiredAt: Int64) -> Bool {
        switch UserCardStatus(rawValue: status) {
        case .normal?, .gifting?: return true
        case .delete?, .unavailable?: return consumeTime == nil && updateTime >= expiredAt
        default: return false
        }
    }
}
