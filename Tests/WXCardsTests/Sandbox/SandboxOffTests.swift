import Foundation
import Testing
@testable import WXCards

/// `--sandbox off`: a production back end, where no API caller drives the simulated side.
@Suite struct SandboxOffTests {
    @Test func everySandboxPathAnswers48001AndTheClockIsTheWallClock() async throws {
        try await withTestServer(sandbox: false) { server in
            let token = try await server.token()
            for (path, body) in [("/sandbox/clock", ["advance_seconds": 86_400]), ("/sandbox/card/claim", ["card_id": "x", "openid": "o"]),
                                 ("/sandbox/reset", [:]), ("/sandbox/no_such", [:])] as [(String, [String: Any])] {
                let answer = try await server.post(path, token: token, json: body)
                #expect(errcode(answer) == 48001, "\(path): \(answer)")
            }
            // Not even a token is looked at first.
            #expect(errcode(try await server.get("/sandbox/app")) == 48001)
            #expect(try await server.services.clock.now() == Int64(server.wall.source()))
            // The card API works as ever.
            #expect(errcode(try await server.post("/card/create", token: token, json: CardPayloads.memberCard())) == 0)
        }
    }
}
