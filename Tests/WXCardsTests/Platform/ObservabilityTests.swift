import Foundation
import HummingbirdTesting
import NIOCore
import Testing
@testable import WXCards

/// One structured log line per request, never a secret or a token; Prometheus metrics (item 8).
@Suite struct ObservabilityTests {
    @Test func oneLogLinePerRequestWithoutSecretsOrTokens() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            _ = try await server.post("/sandbox/clock", token: token, raw: "{bad")
            _ = try await server.get("/nope?access_token=\(token)")
            let lines = server.logs.all.filter { $0.message == "request" }
            #expect(lines.count == 3)
            for line in lines {
                for key in ["method", "path", "errcode", "ms", "rid"] {
                    #expect(line.metadata[key] != nil, "\(key) missing from \(line.text)")
                }
            }
            #expect(lines.map { $0.metadata["errcode"] } == ["0", "47001", "40066"])
            #expect(lines.map { $0.metadata["path"] } == ["/cgi-bin/token", "/sandbox/clock", "/nope"])
            for line in server.logs.all {
                #expect(!line.text.contains(token))
                #expect(!line.text.contains(testApp.secret))
            }
        }
    }

    @Test func metricsCountRequestsByRouteAndErrcode() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            _ = try await server.post("/sandbox/clock", token: token, raw: #"{"advance_seconds":1}"#)
            _ = try await server.post("/sandbox/clock", token: token, raw: "[]")
            _ = try await server.post("/sandbox/clock", token: token, raw: "[]")
            try await server.client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains(#"wxcards_requests_total{route="/sandbox/clock",method="POST",errcode="0"} 1"#))
                #expect(text.contains(#"wxcards_requests_total{route="/sandbox/clock",method="POST",errcode="47001"} 2"#))
                #expect(text.contains(#"wxcards_requests_total{route="/cgi-bin/token",method="GET",errcode="0"} 1"#))
                #expect(text.contains("wxcards_request_duration_seconds_bucket"))
            }
        }
    }

    @Test func requestIDsHaveWeChatsShapeAndDiffer() {
        let ids = (0..<100).map { _ in RequestID.make() }
        #expect(Set(ids).count == 100)
        for id in ids {
            #expect(id.range(of: #"^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$"#, options: .regularExpression) != nil)
        }
    }
}
