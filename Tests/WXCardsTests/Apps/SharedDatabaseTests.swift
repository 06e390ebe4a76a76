import Foundation
import Testing
@testable import WXCards

/// Several instances on one database behave like one server: tokens and the clock are shared,
/// and the per-instance caches catch up within their refresh interval (1 s of wall time).
@Suite struct SharedDatabaseTests {
    @Test(arguments: TestEngine.available)
    func instancesShareTokensAndClock(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, database in
            let wall = TestWallClock()
            let secondStore = try await database.open()
            let first = try await Services.make(store: store, wallTime: wall.source)
            let second = try await Services.make(store: secondStore, wallTime: wall.source)
            do {
                try await first.apps.upsertApp(testApp, now: 0)
                let grant = try await first.tokens.fetch(grantType: "client_credential", appid: testApp.id, secret: testApp.secret)
                // A token issued by one instance works on the other.
                #expect(try await second.tokens.appid(forToken: grant.access_token) == testApp.id)

                // The second instance moves the clock past expiry; the first sees it within a second.
                _ = try await second.clock.advance(by: 7200)
                await #expect(throws: WeChatError.accessTokenExpired) { try await second.tokens.appid(forToken: grant.access_token) }
                wall.advance(1.5)
                await #expect(throws: WeChatError.accessTokenExpired) { try await first.tokens.appid(forToken: grant.access_token) }
                #expect(try await first.clock.now() == (try await second.clock.now()))

                // A forced refresh on one instance ends the old token on the other once its cache entry ages out.
                let old = try await first.tokens.stable(grantType: "client_credential", appid: testApp.id, secret: testApp.secret, forceRefresh: false)
                #expect(try await first.tokens.appid(forToken: old.access_token) == testApp.id)
                let new = try await second.tokens.stable(grantType: "client_credential", appid: testApp.id, secret: testApp.secret, forceRefresh: true)
                #expect(new.access_token != old.access_token)
                await #expect(throws: WeChatError.invalidCredential) { try await second.tokens.appid(forToken: old.access_token) }
                wall.advance(1.5)
                await #expect(throws: WeChatError.invalidCredential) { try await first.tokens.appid(forToken: old.access_token) }
                #expect(try await first.tokens.appid(forToken: new.access_token) == testApp.id)
                await secondStore.close()
            } catch {
                await secondStore.close()
                throw error
            }
        }
    }

    @Test(arguments: TestEngine.available)
    func clockSurvivesARestart(engine: TestEngine) async throws {
        try await withMigratedStore(engine) { store, database in
            let wall = TestWallClock()
            let before = try await ServerClock(store: store, wallTime: wall.source).advance(by: 86_400)
            await store.close()
            let reopened = try await database.open()
            let after = try await ServerClock(store: reopened, wallTime: wall.source).now()
            await reopened.close()
            #expect(after == before)
        }
    }
}
