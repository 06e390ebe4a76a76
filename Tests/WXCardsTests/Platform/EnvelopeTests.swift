import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import WXCards

/// The WeChat envelope on every route, and broken input of every kind.
/// `/sandbox/clock` stands in for any JSON API: it is the simplest one behind a token.
@Suite struct EnvelopeTests {
    @Test func successLeadsWithErrcodeAndErrmsg() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            try await server.client.execute(
                uri: "/sandbox/clock?access_token=\(token)", method: .post, body: ByteBuffer(string: #"{"advance_seconds":0}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; encoding=utf-8")
                #expect(String(buffer: response.body).hasPrefix(#"{"errcode":0,"errmsg":"ok","now":"#))
            }
        }
    }

    @Test func errorsAnswerHTTP200WithErrcodeAndRid() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            try await server.client.execute(
                uri: "/sandbox/clock?access_token=\(token)", method: .post, body: ByteBuffer(string: "{not json")
            ) { response in
                #expect(response.status == .ok)
                let body = try TestServer.object(response)
                #expect(errcode(body) == 47001)
                let message = try #require(body["errmsg"] as? String)
                #expect(message.hasPrefix("data format error"))
                #expect(message.range(of: #" rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$"#, options: .regularExpression) != nil)
            }
        }
    }

    @Test(arguments: [
        "{not json", "[1,2]", "\"text\"", "42", "null", "{\"advance_seconds\":1", "\u{FF}\u{FE}",
    ])
    func malformedOrNonObjectJSONIs47001(body: String) async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let before = try await server.services.clock.now()
            let answer = try await server.post("/sandbox/clock", token: token, raw: body)
            #expect(errcode(answer) == 47001)
            #expect(try await server.services.clock.now() == before)
        }
    }

    @Test(arguments: [#"{"advance_seconds":"10"}"#, #"{"advance_seconds":[1]}"#, #"{"advance_seconds":true}"#, #"{"advance_seconds":{}}"#])
    func wrongFieldTypeIs47001NamingTheField(body: String) async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let answer = try await server.post("/sandbox/clock", token: token, raw: body)
            #expect(errcode(answer) == 47001)
            #expect((answer["errmsg"] as? String)?.contains("advance_seconds") == true)
        }
    }

    @Test func fractionForAnIntegerIs47001() async throws {
        // Foundation reports this one without the field's name, so only the code is checked.
        try await withTestServer { server in
            let token = try await server.token()
            #expect(try await errcode(server.post("/sandbox/clock", token: token, raw: #"{"advance_seconds":1.5}"#)) == 47001)
        }
    }

    @Test func emptyBodyIs44002() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            #expect(try await errcode(server.post("/sandbox/clock", token: token, raw: "")) == 44002)
            #expect(try await errcode(server.post("/sandbox/clock", token: token, raw: " \n")) == 44002)
        }
    }

    @Test func jsonIsReadWhateverTheContentTypeAndEscaping() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            // \u-escaped and raw UTF-8 text, with a misleading Content-Type.
            let answer = try await server.post(
                "/sandbox/merchant", token: token, raw: #"{"mchid":"1900000001","entity":"会员卡 \u4f1a\u5458"}"#,
                headers: [.contentType: "text/plain"])
            #expect(errcode(answer) == 0)
            #expect(answer["entity"] as? String == "会员卡 会员")
            let noType = try await server.post("/sandbox/clock", token: token, raw: #"{"advance_seconds":5}"#)
            #expect(errcode(noType) == 0)
        }
    }

    @Test func bodyOverOneMebibyteIsRefused() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let before = try await server.services.clock.now()
            let big = #"{"advance_seconds":1,"pad":""# + String(repeating: "x", count: JSONBody.maxBytes) + #""}"#
            let answer = try await server.post("/sandbox/clock", token: token, raw: big)
            #expect(errcode(answer) == 45002)
            #expect(try await server.services.clock.now() == before)
        }
    }

    @Test func bodyJustUnderTheLimitIsRead() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            // A WeChat API, which ignores fields it does not know, as WeChat does.
            let prefix = #"{"offset":0,"count":10,"pad":""#
            let body = prefix + String(repeating: "x", count: JSONBody.maxBytes - prefix.utf8.count - 2) + #""}"#
            #expect(body.utf8.count == JSONBody.maxBytes)
            #expect(try await errcode(server.post("/card/batchget", token: token, raw: body)) == 0)
        }
    }

    @Test func oversizedBodyIsRefusedWithoutBeingReadWhole() async throws {
        // Streams chunks until the reader stops pulling: the reader must stop soon after 1 MiB.
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 64 * 1024)
        let produced = Counter()
        let stream = AsyncStream<ByteBuffer> { continuation in
            Task {
                for _ in 0..<1024 {  // 64 MiB if read whole
                    produced.increment()
                    continuation.yield(chunk)
                    try? await Task.sleep(for: .milliseconds(1))
                    if produced.value > 64 { break }
                }
                continuation.finish()
            }
        }
        let request = Request(head: .init(method: .post, scheme: "http", authority: "localhost", path: "/"), body: .init(asyncSequence: stream))
        await #expect(throws: WeChatError.contentTooLarge) { try await JSONBody.decode([String: Int].self, from: request) }
        #expect(produced.value <= 20)
    }

    @Test func declaredLengthOverTheLimitIsRefusedAtOnce() async throws {
        let head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/",
                               headerFields: [.contentLength: String(JSONBody.maxBytes + 1)])
        let request = Request(head: head, body: .init(buffer: ByteBuffer(string: "{}")))
        await #expect(throws: WeChatError.contentTooLarge) { try await JSONBody.decode([String: Int].self, from: request) }
    }

    @Test func unknownPathIs404WithJSONErrcode() async throws {
        try await withTestServer { server in
            for uri in ["/nope", "/card/unknown/api", "/"] {
                try await server.client.execute(uri: uri, method: .post, body: ByteBuffer(string: "{}")) { response in
                    #expect(response.status == .notFound)
                    let body = try TestServer.object(response)
                    #expect(errcode(body) == 40066)
                }
            }
        }
    }

    @Test func getOnAPostAPIIs43002() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            #expect(try await errcode(server.get("/sandbox/clock?access_token=\(token)")) == 43002)
            #expect(try await errcode(server.get("/cgi-bin/stable_token")) == 43002)
        }
    }

    @Test func healthzAnswersOK() async throws {
        try await withTestServer { server in
            try await server.client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
            }
        }
    }
}

final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}

import Synchronization
