import Foundation
import Testing
@testable import WXCards

/// `GET /sandbox/requests`: the calling app's recent API requests, without tokens or secrets.
@Suite struct JournalTests {
    func requests(_ server: TestServer, token: String, _ query: String = "") async throws -> [[String: Any]] {
        let answer = try await server.get("/sandbox/requests?access_token=\(token)\(query)")
        #expect(errcode(answer) == 0, "\(answer) \(server.logs.all.filter { $0.level == .error }.map(\.text))")
        return answer["requests"] as? [[String: Any]] ?? []
    }

    @Test(arguments: TestEngine.available)
    func theJournalHasEachRequestNewestFirstAndNeverAToken(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            try await server.addPlatforms()
            let token = try await server.token(), other = try await server.token(for: merchantB)
            let (cardID, code) = try await server.member(token: token)
            _ = try await server.post("/card/membercard/updateuser", token: token, json: ["card_id": cardID, "code": code, "add_bonus": 5])
            _ = try await server.post("/card/get", token: token, json: ["card_id": "pNoSuchCard"])
            let faultID = try #require(try await server.post("/sandbox/faults", token: token,
                                                              json: ["path": "/card/get", "errcode": 45009, "count": 1])["id"] as? String)
            _ = try await server.post("/card/get", token: token, json: ["card_id": cardID])
            // A NUL byte in a body (PostgreSQL's text refuses it) is kept escaped.
            _ = try await server.post("/card/get", token: token, raw: "{\"card_id\": \"p\u{0}x\"}")
            let withNul = try #require(try await requests(server, token: token).first)
            #expect(withNul["body"] as? String == #"{"card_id": "p\u0000x"}"#)
            // A body naming a secret: the journal keeps the field, not its value.
            _ = try await server.post("/card/update", token: token, json: ["card_id": cardID, "secret": "s3cr3t-value", "token": "t0ken-value"])
            let entries = try await requests(server, token: token)
            #expect(entries.first?["path"] as? String == "/card/update")
            let paths = entries.map { $0["path"] as? String ?? "" }
            #expect(Array(paths.prefix(5)) == ["/card/update", "/card/get", "/card/get", "/card/get", "/card/membercard/updateuser"])
            let faulted = entries[2]
            #expect(faulted["errcode"] as? Int == 45009 && faulted["faulted"] as? Bool == true && faulted["fault_id"] as? String == faultID)
            #expect(entries[3]["errcode"] as? Int == 40073 && entries[3]["faulted"] as? Bool == false)
            let update = entries[4]
            #expect(update["method"] as? String == "POST" && (update["body"] as? String)?.contains("\"add_bonus\":5") == true
                && update["errcode"] as? Int == 0 && (update["rid"] as? String)?.isEmpty == false && update["latency_ms"] is Int
                && update["time"] is Int)
            // Nothing secret anywhere: not the token, not the secret fields' values, not /sandbox itself.
            let text = String(decoding: try JSONSerialization.data(withJSONObject: entries), as: UTF8.self)
            #expect(!text.contains(token) && !text.contains("s3cr3t-value") && !text.contains("t0ken-value") && text.contains("***"))
            #expect(!paths.contains { $0.hasPrefix("/sandbox") })
            // Filters.
            #expect(try await requests(server, token: token, "&path=/card/get").count == 3)
            #expect(try await requests(server, token: token, "&path=/card/membercard/*").map { $0["path"] as? String } .allSatisfy {
                $0?.hasPrefix("/card/membercard/") == true })
            #expect(try await requests(server, token: token, "&errcode=45009").count == 1)
            #expect(try await requests(server, token: token, "&limit=2").count == 2)
            #expect(try await requests(server, token: token, "&since=4000000000").isEmpty)
            #expect(try await errcode(server.get("/sandbox/requests?access_token=\(token)&limit=0")) == 40097)
            #expect(try await errcode(server.get("/sandbox/requests?access_token=\(token)&errcode=x")) == 40097)
            // Another app's journal has none of these.
            #expect(try await requests(server, token: other).isEmpty)
            // The console shows the same journal, escaped, beside the pushes.
            var browser = ConsoleBrowser(server)
            try await browser.signIn()
            let page = try await browser.get("/console/requests")
            #expect(page.status == .ok && page.html.contains("/card/membercard/updateuser") && page.html.contains(faultID)
                && page.html.contains("45009") && !page.html.contains(token) && !page.html.contains("s3cr3t-value"))
        }
    }

    @Test func bodiesAreCutAt4KiBAndTheJournalIsBounded() async throws {
        var settings = RequestJournal.Settings()
        settings.keepPerApp = 5
        settings.flushMilliseconds = 20
        settings.pruneEveryMilliseconds = 50
        try await withTestServer(journal: settings) { server in
            let token = try await server.token()
            let long = String(repeating: "长", count: 3_000)  // 9,000 bytes
            _ = try await server.post("/card/get", token: token, json: ["card_id": long])
            let entry = try #require(try await requests(server, token: token).first)
            let body = try #require(entry["body"] as? String)
            #expect(body.utf8.count <= 4096 && body.utf8.count > 4000 && body.hasPrefix("{\"card_id\":\"长"))
            for _ in 0..<12 { _ = try await server.post("/card/get", token: token, json: ["card_id": "p1"]) }
            var kept = Int.max
            for _ in 0..<100 where kept > 5 {
                try await Task.sleep(for: .milliseconds(50))
                kept = try await requests(server, token: token, "&limit=100").count
            }
            #expect(kept == 5)
        }
    }

    /// 150 requests between two flushes: written as full statements of 64 rows and single
    /// rows, none lost, in order.
    @Test(arguments: TestEngine.available)
    func aBurstIsWrittenWhole(engine: TestEngine) async throws {
        var settings = RequestJournal.Settings()
        settings.flushMilliseconds = 2_000  // the burst waits in one batch (a PostgreSQL read waits this long too)
        try await withTestServer(engine, journal: settings) { server in
            let token = try await server.token()
            for index in 0..<150 { _ = try await server.post("/card/get", token: token, json: ["card_id": "p\(index)"]) }
            let entries = try await requests(server, token: token, "&limit=1000")
            #expect(entries.count == 150)
            #expect(entries.first?["body"] as? String == #"{"card_id":"p149"}"# && entries.last?["body"] as? String == #"{"card_id":"p0"}"#)
        }
    }

    @Test func theJournalCanBeOffAndIsOffInProduction() async throws {
        try await withTestServer(journal: nil) { server in
            let token = try await server.token()
            #expect(try await errcode(server.get("/sandbox/requests?access_token=\(token)")) == 48001)
        }
        try await withTestServer(sandbox: false) { server in
            #expect(server.services.journal == nil)
        }
    }

    @Test func aDroppedRequestIsJournaledWithoutAnAnswerAndChangesNothing() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let (cardID, code) = try await server.member(token: token)
            _ = try await server.post("/sandbox/faults", token: token, json: ["path": "/card/membercard/updateuser", "drop": true, "count": 1])
            // In-process there is no socket to close; the answer is empty and nothing was called.
            _ = try? await server.client.execute(uri: "/card/membercard/updateuser?access_token=\(token)", method: .post,
                                                 body: .init(string: #"{"card_id":"\#(cardID)","code":"\#(code)","add_bonus":7}"#)) { _ in }
            #expect(try await server.userInfo(cardID, code, token: token)["bonus"] as? Int == 100)
            let entry = try #require(try await requests(server, token: token, "&path=/card/membercard/updateuser").first)
            #expect(entry["errcode"] == nil && entry["faulted"] as? Bool == true)
        }
    }
}
