import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import WXCards

/// `GET /openapi.json` against the router it describes: the two lists of operations are the same,
/// every documented operation answers (never 404), and the document says what the routes check.
@Suite struct OpenAPIDocumentTests {
    /// The console is a browser UI (session cookie, CSRF forms), not an API: it is left out.
    static func isAPI(_ path: String) -> Bool { !path.hasPrefix("/console") }

    static func document(_ server: TestServer) async throws -> [String: Any] {
        try await server.client.execute(uri: "/openapi.json", method: .get) { response in
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            return try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
        }
    }

    static func operations(_ document: [String: Any]) -> Set<String> {
        let paths = document["paths"] as? [String: [String: Any]] ?? [:]
        return Set(paths.flatMap { path, item in item.keys.map { "\($0.uppercased()) \(path)" } })
    }

    @Test func theRouterAndTheDocumentListTheSameOperations() async throws {
        try await withTestServer { server in
            let routes = Set(buildRouter(server.services).routes
                .filter { $0.method != .head && Self.isAPI($0.path.description) }
                .map { "\($0.method) \($0.path.description)" })
            let documented = Self.operations(try await Self.document(server))
            #expect(routes.count >= 120, "\(routes.count) routes")
            #expect(routes.subtracting(documented).sorted() == [], "routes missing from /openapi.json")
            #expect(documented.subtracting(routes).sorted() == [], "documented operations the router does not have")
        }
    }

    /// Each documented operation, called as the document says (token, method), answers something
    /// other than 404: the QR image with a real ticket, every other with its JSON.
    @Test func everyDocumentedOperationAnswers() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createMemberCard(token: token)
            let qr = try await server.post("/card/qrcode/create", token: token, json: [
                "action_name": "QR_CARD", "action_info": ["card": ["card_id": cardID]],
            ])
            let ticket = try #require(qr["ticket"] as? String)
            for operation in Self.operations(try await Self.document(server)).sorted() {
                let parts = operation.split(separator: " ", maxSplits: 1).map(String.init)
                let (method, path) = (parts[0], parts[1])
                let query = path == "/cgi-bin/showqrcode"
                    ? "ticket=\(ticket.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ticket)"
                    : "access_token=\(token)"
                let status = try await server.client.execute(
                    uri: "\(path)?\(query)", method: method == "POST" ? .post : .get,
                    body: method == "POST" ? ByteBuffer(string: "{}") : nil
                ) { $0.status }
                #expect(status != .notFound, "\(operation) answered 404")
            }
        }
    }

    /// A method a path does not take answers 405 with `Allow`, and WeChat's errcode for it.
    @Test func aMethodAPathDoesNotTakeAnswers405() async throws {
        try await withTestServer { server in
            try await server.client.execute(uri: "/card/get", method: .put) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET, POST")
                #expect(String(buffer: response.body).contains(#""errcode":43002"#))
            }
            try await server.client.execute(uri: "/cgi-bin/token", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
                #expect(String(buffer: response.body).contains(#""errcode":43001"#))
            }
            try await server.client.execute(uri: "/card/no_such_api", method: .put) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    /// The document carries the schemas the routes check: limits in bytes, enums, required
    /// fields, the token as a security scheme, and each operation's errcodes with their errmsg.
    @Test func theDocumentSaysWhatTheRoutesCheck() async throws {
        try await withTestServer { server in
            let document = try await Self.document(server)
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
            func body(_ path: String) throws -> [String: Any] {
                let operation = try #require(paths[path]?["post"])
                let content = (operation["requestBody"] as? [String: Any])?["content"] as? [String: Any]
                return try #require((content?["application/json"] as? [String: Any])?["schema"] as? [String: Any])
            }
            func property(_ schema: [String: Any], _ names: String...) -> [String: Any]? {
                names.reduce(schema as [String: Any]?) { ($0?["properties"] as? [String: Any])?[$1] as? [String: Any] }
            }
            let updateUser = try body("/card/membercard/updateuser")
            #expect(property(updateUser, "record_bonus")?["x-max-bytes"] as? Int == 128)
            #expect(property(updateUser, "custom_field_value1")?["maxLength"] as? Int == 12)
            // An optional field may be null: the server takes null as "not sent".
            #expect(property(updateUser, "add_bonus")?["type"] as? [String] == ["integer", "null"])
            let create = try body("/card/create")
            #expect(create["required"] as? [String] == ["card"])
            #expect((property(create, "card", "card_type")?["enum"] as? [String])?.contains("MEMBER_CARD") == true)
            #expect(property(create, "card", "member_card", "base_info", "title")?["x-max-bytes"] as? Int == 27)
            #expect(try body("/card/membercard/userinfo/get")["required"] as? [String] == ["code"])
            // A sandbox body is closed: a field it does not list is refused (40097).
            #expect(try body("/sandbox/card/claim")["additionalProperties"] as? Bool == false)

            let schemes = ((document["components"] as? [String: Any])?["securitySchemes"] as? [String: [String: String]])
            #expect(schemes?["accessToken"] == ["type": "apiKey", "in": "query", "name": "access_token",
                                               "description": "From GET /cgi-bin/token (or an authorizer token). Valid 7,200 s."])
            let userInfo = try #require(paths["/card/membercard/userinfo/get"]?["post"])
            #expect(userInfo["security"] as? [[String: [String]]] == [["accessToken": []]])
            let errcodes = (userInfo["x-errcodes"] as? [[String: Any]] ?? []).compactMap { $0["errcode"] as? Int }
            for code in [40001, 41001, 42001, 40056, 41013, 47001] { #expect(errcodes.contains(code), "\(code) not listed") }
            let token = try #require(paths["/cgi-bin/token"]?["get"])
            #expect(token["security"] as? [Any] != nil && (token["security"] as? [Any])?.isEmpty == true)
        }
    }
}
