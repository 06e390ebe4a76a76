import Foundation
import Testing
@testable import WXCards

/// `/sandbox/faults` through the router: what a fault answers, that it changes nothing, its
/// count and rate, and that it stays within its app.
@Suite struct FaultTests {
    func addFault(_ server: TestServer, token: String, _ body: [String: Any]) async throws -> String {
        let answer = try await server.post("/sandbox/faults", token: token, json: body)
        #expect(errcode(answer) == 0, "\(answer)")
        return try #require(answer["id"] as? String)
    }

    func bonus(_ server: TestServer, _ cardID: String, _ code: String, token: String) async throws -> Int {
        try #require(try await server.userInfo(cardID, code, token: token)["bonus"] as? Int)
    }

    @Test(arguments: TestEngine.available)
    func anInjectedErrorAnswersAsWeChatAndChangesNothing(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let (cardID, code) = try await server.member(token: token)
            let add: [String: Any] = ["card_id": cardID, "code": code, "add_bonus": 10]
            for (fault, text) in [(-1, "system error"), (45009, "reach max api daily quota limit"),
                                  (40001, "invalid credential, access_token is invalid or not latest")] {
                _ = try await addFault(server, token: token, ["path": "/card/membercard/updateuser", "errcode": fault, "count": 1])
                let answer = try await server.post("/card/membercard/updateuser", token: token, json: add)
                #expect(errcode(answer) == fault && (answer["errmsg"] as? String)?.hasPrefix("\(text) rid: ") == true, "\(answer)")
                #expect(try await bonus(server, cardID, code, token: token) == 100)
            }
            // The count is spent: the next call goes through.
            #expect(try await errcode(server.post("/card/membercard/updateuser", token: token, json: add)) == 0)
            #expect(try await bonus(server, cardID, code, token: token) == 110)
            // An errmsg of its own; a prefix with *; a method.
            _ = try await addFault(server, token: token, ["path": "/card/membercard/*", "method": "POST", "errcode": 61000, "errmsg": "custom"])
            let custom = try await server.post("/card/membercard/userinfo/get", token: token, json: ["card_id": cardID, "code": code])
            #expect(errcode(custom) == 61000 && (custom["errmsg"] as? String)?.hasPrefix("custom rid:") == true)
            #expect(try await errcode(server.post("/card/get", token: token, json: ["card_id": cardID])) == 0)
        }
    }

    @Test func countExpiresAndTheListShowsHits() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let (cardID, _) = try await server.member(token: token)
            let id = try await addFault(server, token: token, ["path": "/card/get", "errcode": -1, "count": 2])
            var codes: [Int] = []
            for _ in 0..<4 { codes.append(errcode(try await server.post("/card/get", token: token, json: ["card_id": cardID])) ?? 99) }
            #expect(codes == [-1, -1, 0, 0])
            let listed = try await server.get("/sandbox/faults?access_token=\(token)")
            let fault = try #require((listed["faults"] as? [[String: Any]])?.first)
            #expect(fault["id"] as? String == id && fault["hits"] as? Int == 2 && fault["remaining"] as? Int == 0)
            #expect(try await errcode(server.post("/sandbox/faults/delete", token: token, json: ["id": id])) == 0)
            #expect((try await server.get("/sandbox/faults?access_token=\(token)")["faults"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func rateAffectsAboutItsShare() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let (cardID, _) = try await server.member(token: token)
            _ = try await addFault(server, token: token, ["path": "/card/get", "errcode": 45009, "rate": 0.5])
            var faulted = 0
            for _ in 0..<200 where errcode(try await server.post("/card/get", token: token, json: ["card_id": cardID])) == 45009 {
                faulted += 1
            }
            // Binomial(200, 0.5): outside 60...140 has a probability below 1e-8.
            #expect((60...140).contains(faulted), "\(faulted) of 200")
            let hits = (try await server.get("/sandbox/faults?access_token=\(token)")["faults"] as? [[String: Any]])?.first?["hits"] as? Int
            #expect(hits == faulted)
        }
    }

    @Test func latencyDelaysAtLeastThatLong() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let (cardID, code) = try await server.member(token: token)
            _ = try await addFault(server, token: token, ["path": "/card/membercard/userinfo/get", "latency_ms": 300, "count": 1])
            let start = ContinuousClock.now
            let answer = try await server.userInfo(cardID, code, token: token)
            #expect(ContinuousClock.now - start >= .milliseconds(300))
            #expect(errcode(answer) == 0 && answer["bonus"] as? Int == 100)
        }
    }

    @Test(arguments: TestEngine.available)
    func faultsStayWithinTheirApp(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            try await server.addPlatforms()
            let token = try await server.token(), other = try await server.token(for: merchantB)
            let mine = try await server.createMemberCard(token: token), theirs = try await server.createMemberCard(token: other)
            let id = try await addFault(server, token: token, ["path": "/*", "errcode": -1])
            #expect(try await errcode(server.post("/card/get", token: token, json: ["card_id": mine])) == -1)
            #expect(try await errcode(server.post("/card/get", token: other, json: ["card_id": theirs])) == 0)
            #expect((try await server.get("/sandbox/faults?access_token=\(other)")["faults"] as? [Any])?.isEmpty == true)
            #expect(try await errcode(server.post("/sandbox/faults/delete", token: other, json: ["id": id])) == 40097)
            // "/*" never reaches /sandbox, /healthz or /metrics: the test can clean up.
            #expect(try await errcode(server.get("/healthz")) == nil)
            #expect(try await errcode(server.post("/sandbox/faults/delete", token: token, json: ["all": true])) == 0)
            #expect(try await errcode(server.post("/card/get", token: token, json: ["card_id": mine])) == 0)
        }
    }

    @Test func badFaultsAreRefused() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cases: [([String: Any], Int)] = [
                ([:], 41011), (["path": "/card/get"], 40097), (["path": "/sandbox/clock", "errcode": -1], 40097),
                (["path": "/healthz", "errcode": -1], 40097), (["path": "card/get", "errcode": -1], 40097),
                (["path": "/card/get", "errcode": 0], 40097), (["path": "/card/get", "latency_ms": 60_001], 40097),
                (["path": "/card/get", "errcode": -1, "rate": 1.5], 40097), (["path": "/card/get", "errcode": -1, "count": 0], 40097),
                (["path": "/card/get", "errcode": -1, "drop": true], 40097), (["path": "/card/get", "errmsg": "x"], 40097),
                (["path": "/card/get", "errcode": -1, "method": "PUT"], 40097), (["path": "/card/*/get", "errcode": -1], 40097),
                (["path": "/card/get", "errcode": 99_999_999_999_999], 40097), (["path": "/card/get", "user": 1], 40097),
                (["path": "/card/get", "latency_ms": 1e30], 47001),
            ]
            for (body, expected) in cases {
                let answer = try await server.post("/sandbox/faults", token: token, json: body)
                #expect(errcode(answer) == expected, "\(body): \(answer)")
            }
            #expect((try await server.get("/sandbox/faults?access_token=\(token)")["faults"] as? [Any])?.isEmpty == true)
            #expect(try await errcode(server.post("/sandbox/faults/delete", token: token, json: [:])) == 41011)
        }
    }
}
