import Foundation
import Testing
@testable import WXCards

/// Two platforms and a second merchant, beside the test app.
let testComponent = Credential(id: "wxcomponent000000001", secret: "componentsecret000000000000000001")
let otherComponent = Credential(id: "wxcomponent000000002", secret: "componentsecret000000000000000002")
let merchantB = Credential(id: "wxmerchantb000000002", secret: "merchantbsecret00000000000000002")
let componentToken = "componenttoken1"
let componentKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

extension TestServer {
    /// Creates the components and merchant B, as `--component` and `--app` would.
    func addPlatforms() async throws {
        let now = try await services.clock.now()
        try await services.apps.upsertComponent(testComponent, now: now)
        try await services.apps.upsertComponent(otherComponent, now: now)
        try await services.apps.upsertApp(merchantB, now: now)
    }

    /// Points the component's events at `receiver` (authorization events at /wechat, messages
    /// at /wechat?appid=$APPID$).
    func setComponentServer(_ component: Credential = testComponent, receiver: PushReceiver, token: String) async throws {
        let answer = try await post("/sandbox/component/server", token: token, json: [
            "component_appid": component.id, "auth_url": receiver.url, "message_url": receiver.url + "?appid=$APPID$",
            "token": componentToken, "encoding_aes_key": componentKey,
        ])
        #expect(errcode(answer) == 0, "\(answer)")
    }

    /// A ticket from the sandbox, then a component token through the real API.
    func componentAccessToken(_ component: Credential = testComponent, appToken: String) async throws -> String {
        let ticket = try await post("/sandbox/component/verify_ticket", token: appToken, json: ["component_appid": component.id])
        #expect(errcode(ticket) == 0, "\(ticket)")
        let answer = try await post("/cgi-bin/component/api_component_token", token: nil, json: [
            "component_appid": component.id, "component_appsecret": component.secret,
            "component_verify_ticket": try #require(ticket["component_verify_ticket"] as? String),
        ])
        return try #require(answer["component_access_token"] as? String, "\(answer)")
    }

    /// POST to a component API with the component token.
    func componentPost(_ path: String, componentToken: String, json: [String: Any]) async throws -> [String: Any] {
        try await post("\(path)?component_access_token=\(componentToken)", token: nil, json: json)
    }

    /// The whole authorization: pre-auth code, the merchant's approval, the code exchanged.
    /// Answers `authorization_info`.
    func authorize(_ merchant: Credential = testApp, component: Credential = testComponent, componentToken: String,
                   scopes: [Int]? = nil) async throws -> [String: Any] {
        let pre = try await componentPost("/cgi-bin/component/api_create_preauthcode", componentToken: componentToken,
                                          json: ["component_appid": component.id])
        var body: [String: Any] = [
            "component_appid": component.id, "pre_auth_code": try #require(pre["pre_auth_code"] as? String, "\(pre)"),
            "authorizer_appid": merchant.id,
        ]
        body["func_scope"] = scopes
        let approved = try await post("/sandbox/component/authorize", token: try await currentToken(for: merchant), json: body)
        let code = try #require(approved["auth_code"] as? String, "\(approved)")
        let answer = try await componentPost("/cgi-bin/component/api_query_auth", componentToken: componentToken,
                                             json: ["component_appid": component.id, "authorization_code": code])
        return try #require(answer["authorization_info"] as? [String: Any], "\(answer)")
    }
}

/// The decrypted XML and trailing appid of a component push, after checking its signatures.
func openComponentPush(_ push: PushReceiver.Received) throws -> (xml: String, appid: String) {
    let timestamp = try #require(push.query["timestamp"]), nonce = try #require(push.query["nonce"])
    #expect(push.query["signature"] == PushCrypto.signature(componentToken, timestamp, nonce))
    #expect(push.query["encrypt_type"] == "aes")
    let encrypt = try #require(xmlElements(push.body)["Encrypt"], "not encrypted: \(push.body)")
    #expect(push.query["msg_signature"] == PushCrypto.signature(componentToken, timestamp, nonce, encrypt))
    let key = try #require(PushCrypto.key(encodingAESKey: componentKey))
    return try #require(PushCrypto.decrypt(encrypt, key: key), "does not decrypt with the component's key")
}

extension TestServer {
    /// The merchant's current token (`stable_token`): unlike `/cgi-bin/token`, it replaces none.
    func currentToken(for app: Credential) async throws -> String {
        let answer = try await post("/cgi-bin/stable_token", token: nil, json: [
            "grant_type": "client_credential", "appid": app.id, "secret": app.secret,
        ])
        return try #require(answer["access_token"] as? String, "\(answer)")
    }

    /// Waits until a push that `matches` has arrived (or 20 s passed); answers all received.
    func waitForPush(_ receiver: PushReceiver, _ matches: (PushReceiver.Received) -> Bool) async throws -> [PushReceiver.Received] {
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, !receiver.received.contains(where: matches) {
            try await Task.sleep(for: .milliseconds(20))
        }
        return receiver.received
    }

    /// Moves the server clock through `/sandbox/clock`, expecting success.
    func advanceClock(_ seconds: Int, token: String) async throws {
        let answer = try await post("/sandbox/clock", token: token, json: ["advance_seconds": seconds])
        #expect(errcode(answer) == 0, "\(answer)")
    }
}
