import Foundation
import Testing
@testable import WXCards

/// Several instances on one database behave as one server the moment a change answers: no
/// client can observe another instance's cache (read your writes across the cluster).
@Suite struct ClusterConsistencyTests {
    /// Two instances on one database, on the real wall clock (the caches age on it).
    static func withTwoInstances(_ engine: TestEngine, _ body: @Sendable (Services, Services) async throws -> Void) async throws {
        try await withMigratedStore(engine) { store, database in
            let secondStore = try await database.open()
            do {
                let first = try await Services.make(store: store)
                let second = try await Services.make(store: secondStore)
                try await first.apps.upsertApp(testApp, now: try await first.clock.now())
                try await body(first, second)
                await secondStore.close()
            } catch {
                await secondStore.close()
                throw error
            }
        }
    }

    /// PostgreSQL only: several instances need it (one process owns an SQLite file).
    @Test(arguments: TestEngine.available.filter { $0 == .postgres })
    func aClockMoveAndAForcedRefreshHoldEverywhereOnceAnswered(engine: TestEngine) async throws {
        try await Self.withTwoInstances(engine) { first, second in
            let grant = try await first.tokens.fetch(grantType: "client_credential", appid: testApp.id, secret: testApp.secret)
            // Both instances have the token (and the clock) cached now.
            #expect(try await first.tokens.appid(forToken: grant.access_token) == testApp.id)
            #expect(try await second.tokens.appid(forToken: grant.access_token) == testApp.id)
            // The second instance moves the clock past the token's life: once that answers, the
            // first refuses the token at once, with no wait of the client's own.
            _ = try await second.clock.advance(by: 7800)
            await #expect(throws: WeChatError.accessTokenExpired) { try await first.tokens.appid(forToken: grant.access_token) }
            #expect(try await first.clock.now() == (try await second.clock.now()))

            let old = try await first.tokens.stable(grantType: "client_credential", appid: testApp.id, secret: testApp.secret, forceRefresh: false)
            #expect(try await first.tokens.appid(forToken: old.access_token) == testApp.id)
            #expect(try await second.tokens.appid(forToken: old.access_token) == testApp.id)
            let new = try await second.tokens.stable(grantType: "client_credential", appid: testApp.id, secret: testApp.secret, forceRefresh: true)
            await #expect(throws: WeChatError.invalidCredential) { try await first.tokens.appid(forToken: old.access_token) }
            #expect(try await first.tokens.appid(forToken: new.access_token) == testApp.id)

            // A token replaced twice within its hand-over stops at once, everywhere.
            let a = try await first.tokens.fetch(grantType: "client_credential", appid: testApp.id, secret: testApp.secret)
            #expect(try await first.tokens.appid(forToken: a.access_token) == testApp.id)
            _ = try await second.tokens.fetch(grantType: "client_credential", appid: testApp.id, secret: testApp.secret)
            #expect(try await first.tokens.appid(forToken: a.access_token) == testApp.id, "the hand-over keeps the previous token")
            _ = try await second.tokens.fetch(grantType: "client_credential", appid: testApp.id, secret: testApp.secret)
            await #expect(throws: WeChatError.invalidCredential) { try await first.tokens.appid(forToken: a.access_token) }
        }
    }

    /// Concurrent fetches leave exactly one current token (PostgreSQL's READ COMMITTED would
    /// let each miss the others' inserts without the app row's lock).
    @Test(arguments: TestEngine.available)
    func concurrentFetchesLeaveOneCurrentToken(engine: TestEngine) async throws {
        try await Self.withTwoInstances(engine) { first, second in
            for _ in 0..<3 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<16 {
                        let services = index % 2 == 0 ? first : second
                        group.addTask {
                            _ = try await services.tokens.fetch(grantType: "client_credential", appid: testApp.id, secret: testApp.secret)
                        }
                    }
                    try await group.waitForAll()
                }
                let current = try await first.store.read { db in
                    try await db.raw("""
                        SELECT COUNT(*) AS n FROM access_tokens WHERE appid = \(bind: testApp.id) AND revoked_at IS NULL
                        """).first()?.decode(column: "n", as: Int.self)
                }
                #expect(current == 1)
                // And at most one more works for its hand-over.
                let now = try await first.clock.now()
                let working = try await first.store.read { db in
                    try await db.raw("""
                        SELECT COUNT(*) AS n FROM access_tokens WHERE appid = \(bind: testApp.id)
                          AND (revoked_at IS NULL OR revoked_at > \(bind: now)) AND expires_at > \(bind: now)
                        """).first()?.decode(column: "n", as: Int.self)
                }
                #expect(working == 2)
            }
        }
    }

    /// Background work takes a lease: one instance at a time; a lapsed lease passes on.
    @Test(arguments: TestEngine.available)
    func aBackgroundLeaseHasOneHolder(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, _ in
            let lease = BackgroundLease(store: store, name: "test-work")
            #expect(try await lease.take(for: 1000, now: 10_000))
            // Renewed by its holder.
            #expect(try await lease.take(for: 1000, now: 10_500))
            // Another holder (simulated: a row written by another process) waits until it lapses.
            try await store.write { db in
                try await db.raw("UPDATE background_leases SET holder = 'another instance' WHERE name = 'test-work'").run()
            }
            #expect(try await lease.take(for: 1000, now: 11_000) == false)
            #expect(try await lease.take(for: 1000, now: 11_500))
        }
    }
}
