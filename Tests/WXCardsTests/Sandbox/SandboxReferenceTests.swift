import Foundation
import Hummingbird
import Testing
@testable import WXCards

/// `docs/sandbox.md` is the sandbox's reference: it documents every `/sandbox` route the router
/// has, and nothing else; and every sandbox body names a field it does not know.
@Suite struct SandboxReferenceTests {
    /// The router's sandbox routes as `METHOD /path`. A GET on a POST path that only answers
    /// 43002 is `wechatPOST`'s twin, not a route of its own.
    static func routerRoutes() async throws -> Set<String> {
        try await withTestServer { server in
            let token = try await server.token()
            let sandbox = buildRouter(server.services).routes.filter { $0.path.description.hasPrefix("/sandbox") }
            let posted = Set(sandbox.filter { $0.method == .post }.map { $0.path.description })
            var routes: Set<String> = []
            for route in sandbox {
                let path = route.path.description
                if route.method == .get, posted.contains(path),
                   try await errcode(server.get("\(path)?access_token=\(token)")) == 43002 {
                    continue
                }
                routes.insert("\(route.method) \(path)")
            }
            return routes
        }
    }

    /// The reference's endpoint headings (`### \`POST /sandbox/…\``), each with its section.
    static func documentedSections() throws -> [String: String] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/sandbox.md"), encoding: .utf8)
        var sections: [String: String] = [:]
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#") { current = nil }
            if line.hasPrefix("### `"), let end = line.dropFirst(5).firstIndex(of: "`") {
                let heading = String(line[line.index(line.startIndex, offsetBy: 5)..<end])
                // Query strings in a heading document a GET's parameters.
                current = heading.split(separator: "?").first.map(String.init)
                sections[current ?? ""] = ""
            } else if let current {
                sections[current, default: ""] += line + "\n"
            }
        }
        return sections
    }

    @Test func theReferenceDocumentsEverySandboxRouteAndNoOther() async throws {
        let documented = try Self.documentedSections()
        #expect(Set(documented.keys) == (try await Self.routerRoutes()))
    }

    @Test func eachSectionHasItsAnswerItsErrorsAndACurlExample() throws {
        for (route, section) in try Self.documentedSections() {
            #expect(section.contains("curl "), "\(route): no curl example")
            #expect(section.contains("Answer"), "\(route): no answer")
            #expect(section.contains("Errors"), "\(route): no errors")
            #expect(section.contains("access_token"), "\(route): the curl example has no access_token")
        }
    }

    /// The newcomer's mistake: `{"user": "o1"}` on claim.
    @Test func aWrongFieldNameIsNamedWithTheExpectedOnes() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createMemberCard(token: token)
            let answer = try await server.post("/sandbox/card/claim", token: token, json: ["user": "o1", "card_id": cardID])
            #expect(errcode(answer) == 40097)
            #expect((answer["errmsg"] as? String)?.hasPrefix(
                #"invalid args, unknown field "user"; expected card_id, code, openid, outer_str, ticket"#) == true, "\(answer)")
            // Nothing was claimed.
            let cards = try await server.post("/card/user/getcardlist", token: token, json: ["openid": "o1"])
            #expect((cards["card_list"] as? [Any])?.isEmpty == true, "\(cards)")
        }
    }

    /// Every sandbox POST route, the ones added later included: an unknown field is 40097
    /// naming it, before anything else is looked at.
    @Test func everySandboxBodyRefusesAnUnknownField() async throws {
        let posts = try await Self.routerRoutes().filter { $0.hasPrefix("POST ") }.map { String($0.dropFirst(5)) }
        #expect(posts.count >= 11)
        try await withTestServer { server in
            let token = try await server.token()
            for path in posts.sorted() {
                let answer = try await server.post(path, token: token, json: ["zz_not_a_field": 1])
                #expect(errcode(answer) == 40097, "\(path): \(answer)")
                #expect((answer["errmsg"] as? String)?.contains(#"unknown field "zz_not_a_field"; expected "#) == true,
                        "\(path): \(answer)")
            }
        }
    }
}
