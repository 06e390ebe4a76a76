import Testing
@testable import WXCards

/// `POST /sandbox/clock`.
@Suite struct ClockTests {
    @Test func advanceMovesTheClockAndAnswersNow() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let before = try await server.services.clock.now()
            let answer = try await server.post("/sandbox/clock", token: token, json: ["advance_seconds": 3600])
            #expect(errcode(answer) == 0)
            #expect(answer["now"] as? Int == Int(before) + 3600)
            #expect(try await server.services.clock.now() == before + 3600)
        }
    }

    @Test func negativeOrMissingAdvanceIsRefused() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let before = try await server.services.clock.now()
            #expect(try await errcode(server.post("/sandbox/clock", token: token, json: ["advance_seconds": -1])) == 40097)
            #expect(try await errcode(server.post("/sandbox/clock", token: token, json: [:])) == 41011)
            #expect(try await errcode(server.post("/sandbox/clock", token: token, json: ["advance_seconds": Int64.max])) == 40097)
            #expect(try await server.services.clock.now() == before)
        }
    }

    @Test func wallTimeStillFlows() async throws {
        try await withTestServer { server in
            let before = try await server.services.clock.now()
            server.wall.advance(10)
            #expect(try await server.services.clock.now() == before + 10)
        }
    }
}
