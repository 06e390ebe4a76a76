import Foundation
import Testing
@testable import WXCards

extension TestServer {
    /// Claims through `/sandbox/card/claim`; answers the whole answer.
    func claim(_ cardID: String, openid: String, token: String, extra: [String: Any] = [:]) async throws -> [String: Any] {
        var body: [String: Any] = ["card_id": cardID, "openid": openid]
        for (key, value) in extra { body[key] = value }
        return try await post("/sandbox/card/claim", token: token, json: body)
    }

    /// Claims and answers the code, expecting success.
    func claimCode(_ cardID: String, openid: String, token: String, extra: [String: Any] = [:]) async throws -> String {
        let answer = try await claim(cardID, openid: openid, token: token, extra: extra)
        #expect(errcode(answer) == 0, "claim failed: \(answer)")
        return try #require(answer["code"] as? String)
    }

    func userInfo(_ cardID: String, _ code: String, token: String) async throws -> [String: Any] {
        try await post("/card/membercard/userinfo/get", token: token, json: ["card_id": cardID, "code": code])
    }

    func messages(_ openid: String, token: String) async throws -> [[String: Any]] {
        let answer = try await get("/sandbox/user/messages?openid=\(openid)&access_token=\(token)")
        #expect(errcode(answer) == 0, "\(answer)")
        return answer["messages"] as? [[String: Any]] ?? []
    }

    /// A code of a new member card with points and balance, claimed by `openid(1)` and, unless
    /// told otherwise, activated with Activating a Member Card's example (100 points, 200 fen, `AAA00000001`).
    func member(token: String, activated: Bool = true) async throws -> (cardID: String, code: String) {
        let cardID = try await createMemberCard(token: token, member: ["supply_balance": true])
        let code = try await claimCode(cardID, openid: openid(1), token: token)
        if activated {
            let answer = try await post("/card/membercard/activate", token: token, json: MemberPayloads.activate(code: code, cardID: cardID))
            #expect(errcode(answer) == 0, "activate failed: \(answer)")
        }
        return (cardID, code)
    }

    /// A member card that does not activate by itself (so activation can be tested), as the spec's example otherwise.
    func createMemberCard(token: String, member: [String: Any] = [:], base: [String: Any] = [:]) async throws -> String {
        var changes = member
        if changes["auto_activate"] == nil { changes["auto_activate"] = false }
        return try await createCard(CardPayloads.memberCard(member: changes, base: base), token: token)
    }
}

/// Openids shaped like WeChat's (28 characters).
func openid(_ n: Int) -> String { "oFS7Fjl0WsZ9AMZqrI80nbIq" + String(format: "%04d", n) }
