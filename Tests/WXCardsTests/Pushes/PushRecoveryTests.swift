import Foundation
import Testing
@testable import WXCards

/// Nothing is lost: a push written before a restart is delivered after it, and several
/// instances on one database deliver each push once, each user's in order.
@Suite struct PushRecoveryTests {
    /// Makes `count` pushes for `users` users (claims of one card) without any worker running.
    static func writePushes(_ services: Services, receiver: PushReceiver, users: Int, claimsEach: Int) async throws -> String {
        try await services.apps.upsertApp(testApp, now: 0)
        try await services.pushServers.configureAtStart(appid: testApp.id, PushServer(
            url: receiver.url, token: "pushtoken1", mode: .plain, encodingAESKey: nil))
        let payload = CardPayloads.memberCard(member: ["auto_activate": false], base: ["get_limit": 100])
        let text = String(decoding: try JSONSerialization.data(withJSONObject: payload["card"] as Any), as: UTF8.self)
        guard case .object(let card) = try JSONValue.parse(text) else { throw ConfigurationError("not an object") }
        let cardID = try await services.cards.create(appid: testApp.id, card: card)
        for user in 1...users {
            for _ in 0..<claimsEach {
                _ = try await services.members.claim(appid: testApp.id, cardID: cardID, ticket: nil, openid: openid(user), code: nil, outerStr: nil)
            }
        }
        return cardID
    }

    @Test(arguments: TestEngine.available)
    func pendingPushesAreDeliveredAfterARestart(engine: TestEngine) async throws {
        try await withPushReceiver { receiver in
            let database = try await TestDatabase.make(engine)
            // The first server writes pushes and stops before delivering any.
            let first = try await database.open()
            try await Migrator.migrate(first)
            let cardID = try await Self.writePushes(try await Services.make(store: first), receiver: receiver, users: 3, claimsEach: 2)
            await first.close()
            #expect(receiver.received.isEmpty)
            // The next start delivers them, each user's in order.
            let second = try await database.open()
            let services = try await Services.make(store: second)
            let worker = Task { await services.delivery.run() }
            let received = try await receiver.waitFor(7)
            worker.cancel()
            await worker.value
            await second.close()
            await database.destroy()
            #expect(received.count == 7)
            #expect(received.filter { xmlElements($0.body)["Event"] == "card_pass_check" }.count == 1)
            #expect(received.allSatisfy { xmlElements($0.body)["CardId"] == cardID })
        }
    }

    /// Two instances (two stores, two workers) on one PostgreSQL: each push once, in order.
    @Test(.enabled(if: TestEngine.postgresURL != nil))
    func twoInstancesDeliverEachPushOnce() async throws {
        try await withPushReceiver { receiver in
            let database = try await TestDatabase.make(.postgres)
            let one = try await database.open()
            try await Migrator.migrate(one)
            let two = try await database.open()
            let servicesOne = try await Services.make(store: one)
            let servicesTwo = try await Services.make(store: two)
            _ = try await Self.writePushes(servicesOne, receiver: receiver, users: 20, claimsEach: 5)
            let workers = [Task { await servicesOne.delivery.run() }, Task { await servicesTwo.delivery.run() }]
            let received = try await receiver.waitFor(101)
            try await Task.sleep(for: .milliseconds(500))
            for worker in workers { worker.cancel() }
            for worker in workers { await worker.value }
            let all = receiver.received
            #expect(received.count >= 101)
            #expect(all.count == 101, "each push once")
            var bodiesByUser: [String: [String]] = [:]
            for push in all {
                let elements = xmlElements(push.body)
                guard elements["Event"] == "user_get_card" else { continue }
                bodiesByUser[elements["FromUserName"] ?? "", default: []].append(push.body)
            }
            #expect(bodiesByUser.count == 20)
            // Each user's claims arrived in the order they were made (the journal's, oldest first).
            for (user, bodies) in bodiesByUser {
                let journal = try await servicesOne.pushes.journal(appid: testApp.id, .init(openid: user, limit: 10))
                #expect(bodies == journal.reversed().map(\.xml), "\(user)")
            }
            await one.close()
            await two.close()
            await database.destroy()
        }
    }
}
