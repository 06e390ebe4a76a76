import Testing
@testable import WXCards

/// The day's counting, without a server: holdings, first claims and distinct users.
@Suite struct StatsRollupTests {
    typealias Act = StatsRollup.Act
    static let member = "card:pMEMBER", members = "member:1", all = "all:1"

    static func act(_ openid: String, _ kind: CardActivity.Kind, hold: Int64 = 0, card: String = "pMEMBER", member: Bool = true) -> Act {
        Act(cardID: card, source: .api, member: member, openid: openid, kind: kind, hold: hold)
    }

    @Test func aUserHoldingTwoCodesCountsOnceAndLeavesWithTheLastOne() {
        let first = StatsRollup.roll([Self.act("u1", .receive, hold: 1), Self.act("u1", .receive, hold: 1), Self.act("u2", .receive, hold: 1)],
                                     members: [:], totals: [:])
        #expect(first.rows[Self.member]?.count(.receive) == 3 && first.rows[Self.member]?.users(.receive) == 2)
        #expect(first.rows[Self.member]?.totalUser == 2 && first.rows[Self.member]?.totalReceiveUser == 2)
        #expect(first.rows[Self.member]?.newUser == 2)

        let u1 = StatsRollup.ScopedUser(scope: Self.member, openid: "u1"), u2 = StatsRollup.ScopedUser(scope: Self.member, openid: "u2")
        #expect(first.members[u1] == .init(codes: 2, claimed: true) && first.members[u2] == .init(codes: 1, claimed: true))
        // The next day u1 gives one code away and u2 deletes theirs: u1 still holds one.
        let next = StatsRollup.roll([Self.act("u1", .given, hold: -1), Self.act("u2", .end, hold: -1)],
                                    members: first.members, totals: first.totals)
        #expect(next.rows[Self.member]?.totalUser == 1 && next.rows[Self.member]?.totalReceiveUser == 2)
        #expect(next.members[u1] == .init(codes: 1, claimed: true) && next.members[u2] == .init(codes: 0, claimed: true))
        #expect(next.rows[Self.member]?.newUser == 0 && next.rows[Self.member]?.count(.given) == 1)
    }

    @Test func aReturningClaimerIsNotNewAndCouponsKeepNoMembers() {
        let u1 = StatsRollup.ScopedUser(scope: Self.member, openid: "u1"), all = StatsRollup.ScopedUser(scope: Self.members, openid: "u1")
        let day = StatsRollup.roll([Self.act("u1", .receive, hold: 1), Self.act("u9", .receive, hold: 1, card: "pCOUPON", member: false)],
                                   members: [u1: .init(codes: 0, claimed: true), all: .init(codes: 0, claimed: true)],
                                   totals: [Self.member: .init(totalUser: 0, totalReceiveUser: 1)])
        #expect(day.rows[Self.member]?.newUser == 0 && day.rows[Self.member]?.totalReceiveUser == 1)
        #expect(day.rows[Self.member]?.totalUser == 1)
        // The coupon counts in its own scope and in all cards, never in the member scopes.
        #expect(day.rows["card:pCOUPON"]?.count(.receive) == 1 && day.rows["card:pCOUPON"]?.totalUser == 0)
        #expect(day.rows[Self.all]?.users(.receive) == 2 && day.rows[Self.members]?.users(.receive) == 1)
        #expect(!day.members.keys.contains { $0.openid == "u9" })
    }

    @Test func aCodeFromBeforeTheStatisticsNeverTakesATotalBelowZero() {
        let day = StatsRollup.roll([Self.act("old", .verify, hold: -1)], members: [:], totals: [:])
        #expect(day.rows[Self.member]?.totalUser == 0 && day.rows[Self.member]?.count(.verify) == 1)
        #expect(day.members[StatsRollup.ScopedUser(scope: Self.member, openid: "old")] == .init(codes: 0, claimed: false))
    }

    @Test func onlyCodesStillHeldWhenTheyEndExpire() {
        let expiredAt: Int64 = 1_000
        #expect(StatsRollup.heldAtExpiry(status: "NORMAL", updateTime: 10, consumeTime: nil, expiredAt: expiredAt))
        #expect(StatsRollup.heldAtExpiry(status: "GIFTING", updateTime: 10, consumeTime: nil, expiredAt: expiredAt))
        #expect(StatsRollup.heldAtExpiry(status: "DELETE", updateTime: 1_000, consumeTime: nil, expiredAt: expiredAt))
        #expect(!StatsRollup.heldAtExpiry(status: "DELETE", updateTime: 999, consumeTime: nil, expiredAt: expiredAt))
        #expect(!StatsRollup.heldAtExpiry(status: "UNAVAILABLE", updateTime: 2_000, consumeTime: 500, expiredAt: expiredAt))
        #expect(!StatsRollup.heldAtExpiry(status: "CONSUMED", updateTime: 10, consumeTime: 10, expiredAt: expiredAt))
        #expect(!StatsRollup.heldAtExpiry(status: "GIFT_SUCC", updateTime: 10, consumeTime: nil, expiredAt: expiredAt))
    }
}
