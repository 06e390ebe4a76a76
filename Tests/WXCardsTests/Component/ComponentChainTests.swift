import Foundation
import Testing
@testable import WXCards

/// The third-party platform chain through the real router: tickets pushed to a real receiver,
/// component tokens, the merchant's approval, authorizer tokens on the card API, and every
/// refusal of §9.1 and §9.2.
@Suite struct ComponentChainTests {
    @Test(arguments: TestEngine.available)
    func ticketToMemberCardWithAnAuthorizerToken(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            try await server.addPlatforms()
            let appToken = try await server.token()
            try await withPushReceiver { receiver in
                try await server.setComponentServer(receiver: receiver, token: appToken)
                // The scheduled push brings a ticket within a second of the URL being set.
                let first = try #require(try await receiver.waitFor(1).first)
                let opened = try openComponentPush(first)
                #expect(opened.appid == testComponent.id)
                #expect(xmlNames(first.body) == ["AppId", "Encrypt"])
                #expect(xmlElements(first.body)["AppId"] == testComponent.id)
                let ticketPush = xmlElements(opened.xml)
                #expect(ticketPush["InfoType"] == "component_verify_ticket")
                #expect(ticketPush["AppId"] == testComponent.id)
                let ticket = try #require(ticketPush["ComponentVerifyTicket"])
                #expect(first.query["openid"] == nil)

                let granted = try await server.post("/cgi-bin/component/api_component_token", token: nil, json: [
                    "component_appid": testComponent.id, "component_appsecret": testComponent.secret,
                    "component_verify_ticket": ticket,
                ])
                #expect(granted["expires_in"] as? Int == 7200 && granted["errcode"] == nil, "\(granted)")
                let componentToken = try #require(granted["component_access_token"] as? String)

                // `?access_token=` carrying the component token works as well.
                let pre = try await server.post("/cgi-bin/component/api_create_preauthcode?access_token=\(componentToken)",
                                                token: nil, json: ["component_appid": testComponent.id])
                #expect(pre["expires_in"] as? Int == 600, "\(pre)")
                let preAuthCode = try #require(pre["pre_auth_code"] as? String)
                let approved = try await server.post("/sandbox/component/authorize", token: appToken, json: [
                    "component_appid": testComponent.id, "pre_auth_code": preAuthCode, "authorizer_appid": testApp.id,
                ])
                let authCode = try #require(approved["auth_code"] as? String, "\(approved)")
                let authorizedPush = try openComponentPush(try #require(try await receiver.waitFor(2).last))
                let authorized = xmlElements(authorizedPush.xml)
                #expect(authorized["InfoType"] == "authorized")
                #expect(authorized["AuthorizerAppid"] == testApp.id)
                #expect(authorized["AuthorizationCode"] == authCode)
                #expect(authorized["PreAuthCode"] == preAuthCode)
                #expect(Int64(authorized["AuthorizationCodeExpiredTime"] ?? "") == (try await server.services.clock.now()) + 600)

                let query = try await server.componentPost("/cgi-bin/component/api_query_auth", componentToken: componentToken,
                                                           json: ["component_appid": testComponent.id, "authorization_code": authCode])
                let info = try #require(query["authorization_info"] as? [String: Any], "\(query)")
                #expect(info["authorizer_appid"] as? String == testApp.id && info["expires_in"] as? Int == 7200)
                let scopes = (info["func_info"] as? [[String: Any]] ?? []).compactMap { ($0["funcscope_category"] as? [String: Any])?["id"] as? Int }
                #expect(scopes.contains(8) && scopes.count == ComponentRules.knownScopes.count)
                let authorizerToken = try #require(info["authorizer_access_token"] as? String)
                #expect(authorizerToken != appToken)
                // The code is single-use.
                let again = try await server.componentPost("/cgi-bin/component/api_query_auth", componentToken: componentToken,
                                                           json: ["component_appid": testComponent.id, "authorization_code": authCode])
                #expect(errcode(again) == 61009)

                // The authorizer token drives the member card like the app's own.
                let cardID = try await server.createMemberCard(token: authorizerToken)
                let code = try await server.claimCode(cardID, openid: openid(1), token: authorizerToken)
                let activated = try await server.post("/card/membercard/activate", token: authorizerToken, json: [
                    "card_id": cardID, "code": code, "membership_number": code, "init_bonus": 100,
                ])
                #expect(errcode(activated) == 0, "\(activated)")
                let updated = try await server.post("/card/membercard/updateuser", token: authorizerToken, json: [
                    "card_id": cardID, "code": code, "add_bonus": 360, "record_bonus": "消费",
                ])
                #expect(errcode(updated) == 0 && updated["result_bonus"] as? Int == 460, "\(updated)")
                // The same data as the app's own token sees.
                let own = try await server.userInfo(cardID, code, token: appToken)
                #expect(own["bonus"] as? Int == 460, "\(own)")

                // The card events went to the component's message URL, with its key and appid.
                let pushes = try await server.waitForPush(receiver) { push in
                    (try? openComponentPush(push)).map { xmlElements($0.xml)["Event"] == "update_member_card" } ?? false
                }
                let cardPushes = pushes.filter { $0.query["appid"] != nil }
                #expect(cardPushes.allSatisfy { $0.query["appid"] == testApp.id })
                let events = try cardPushes.map { try openComponentPush($0) }
                #expect(events.allSatisfy { $0.appid == testComponent.id })
                let update = try #require(events.map { xmlElements($0.xml) }.first { $0["Event"] == "update_member_card" })
                #expect(update["ToUserName"] == AppRecord.originalID(appid: testApp.id))
                #expect(update["ModifyBonus"] == "360" && update["FromUserName"] == openid(1))
                #expect(cardPushes.allSatisfy { xmlElements($0.body)["ToUserName"] == AppRecord.originalID(appid: testApp.id) })

                // A refresh: a new token, the old one still works for its 5 minutes.
                let refreshed = try await server.componentPost("/cgi-bin/component/api_authorizer_token", componentToken: componentToken, json: [
                    "component_appid": testComponent.id, "authorizer_appid": testApp.id,
                    "authorizer_refresh_token": try #require(info["authorizer_refresh_token"] as? String),
                ])
                let newToken = try #require(refreshed["authorizer_access_token"] as? String, "\(refreshed)")
                #expect(refreshed["authorizer_refresh_token"] as? String == info["authorizer_refresh_token"] as? String)
                #expect(errcode(try await server.post("/card/get", token: authorizerToken, json: ["card_id": cardID])) == 0)
                #expect(errcode(try await server.post("/card/get", token: newToken, json: ["card_id": cardID])) == 0)
                // The app's own token is untouched by the authorizer's line.
                #expect(errcode(try await server.post("/card/get", token: appToken, json: ["card_id": cardID])) == 0)
                server.wall.advance(301)
                try await server.advanceClock(301, token: appToken)
                #expect(errcode(try await server.post("/card/get", token: authorizerToken, json: ["card_id": cardID])) == 40001)
                #expect(errcode(try await server.post("/card/get", token: newToken, json: ["card_id": cardID])) == 0)

                let about = try await server.componentPost("/cgi-bin/component/api_get_authorizer_info", componentToken: componentToken,
                                                           json: ["component_appid": testComponent.id, "authorizer_appid": testApp.id])
                let account = try #require(about["authorizer_info"] as? [String: Any], "\(about)")
                #expect(account["user_name"] as? String == AppRecord.originalID(appid: testApp.id))
                #expect((account["business_info"] as? [String: Any])?["open_card"] as? Int == 1)
                #expect((about["authorization_info"] as? [String: Any])?["authorizer_appid"] as? String == testApp.id)
            }
        }
    }

    @Test func refusalsOfTheComponentAPI() async throws {
        try await withTestServer { server in
            try await server.addPlatforms()
            let appToken = try await server.token()
            let ticket = try #require(try await server.post("/sandbox/component/verify_ticket", token: appToken,
                                                            json: ["component_appid": testComponent.id])["component_verify_ticket"] as? String)
            func tokenAnswer(_ id: String, _ secret: String, _ ticket: String) async throws -> [String: Any] {
                try await server.post("/cgi-bin/component/api_component_token", token: nil, json: [
                    "component_appid": id, "component_appsecret": secret, "component_verify_ticket": ticket,
                ])
            }
            #expect(errcode(try await tokenAnswer("wxnosuchcomponent", "x", ticket)) == 61011)
            #expect(errcode(try await tokenAnswer(testComponent.id, "wrongsecret", ticket)) == 40094)
            #expect(errcode(try await tokenAnswer(testComponent.id, testComponent.secret, "ticket@@@made-up")) == 61006)
            // Another component's ticket is not this one's.
            #expect(errcode(try await tokenAnswer(otherComponent.id, otherComponent.secret, ticket)) == 61006)
            #expect(errcode(try await server.post("/cgi-bin/component/api_component_token", token: nil, json: ["component_appsecret": "x"])) == 41018)
            let componentToken = try #require(try await tokenAnswer(testComponent.id, testComponent.secret, ticket)["component_access_token"] as? String)

            // Tokens on the wrong side.
            #expect(errcode(try await server.post("/card/create", token: componentToken, json: ["card": CardPayloads.memberCard()])) == 61015)
            #expect(errcode(try await server.componentPost("/cgi-bin/component/api_create_preauthcode", componentToken: appToken,
                                                           json: ["component_appid": testComponent.id])) == 61014)
            #expect(errcode(try await server.post("/cgi-bin/component/api_create_preauthcode", token: nil,
                                                  json: ["component_appid": testComponent.id])) == 41021)
            let madeUp = String(repeating: "A", count: AccessTokenRules.length)
            #expect(errcode(try await server.componentPost("/cgi-bin/component/api_create_preauthcode", componentToken: madeUp,
                                                           json: ["component_appid": testComponent.id])) == 40001)
            // The body names another component than the token's.
            #expect(errcode(try await server.componentPost("/cgi-bin/component/api_create_preauthcode", componentToken: componentToken,
                                                           json: ["component_appid": otherComponent.id])) == 61011)

            let info = try await server.authorize(componentToken: componentToken)
            let authorizerToken = try #require(info["authorizer_access_token"] as? String)
            #expect(errcode(try await server.componentPost("/cgi-bin/component/api_create_preauthcode", componentToken: authorizerToken,
                                                           json: ["component_appid": testComponent.id])) == 61014)
            // A bad refresh token; a merchant that never authorized.
            #expect(errcode(try await server.componentPost("/cgi-bin/component/api_authorizer_token", componentToken: componentToken, json: [
                "component_appid": testComponent.id, "authorizer_appid": testApp.id, "authorizer_refresh_token": "refreshtoken@@@nope",
            ])) == 61023)
            #expect(errcode(try await server.componentPost("/cgi-bin/component/api_authorizer_token", componentToken: componentToken, json: [
                "component_appid": testComponent.id, "authorizer_appid": merchantB.id, "authorizer_refresh_token": "refreshtoken@@@nope",
            ])) == 61003)

            // A merchant approves only for itself, and only with its own token.
            let pre = try #require(try await server.componentPost("/cgi-bin/component/api_create_preauthcode", componentToken: componentToken,
                                                                  json: ["component_appid": testComponent.id])["pre_auth_code"] as? String)
            #expect(errcode(try await server.post("/sandbox/component/authorize", token: appToken, json: [
                "component_appid": testComponent.id, "pre_auth_code": pre, "authorizer_appid": merchantB.id,
            ])) == 40013)
            #expect(errcode(try await server.post("/sandbox/component/authorize", token: authorizerToken, json: [
                "component_appid": testComponent.id, "pre_auth_code": pre, "authorizer_appid": testApp.id,
            ])) == 61015)
            #expect(errcode(try await server.post("/sandbox/component/authorize", token: appToken, json: [
                "component_appid": testComponent.id, "pre_auth_code": "preauthcode@@@nope", "authorizer_appid": testApp.id,
            ])) == 61009)
            #expect(errcode(try await server.post("/sandbox/component/authorize", token: appToken, json: [
                "component_appid": testComponent.id, "pre_auth_code": pre, "authorizer_appid": testApp.id, "func_scope": [14],
            ])) == 40097)
            // Those refusals left the code unused.
            let codeAnswer = try await server.post("/sandbox/component/authorize", token: appToken, json: [
                "component_appid": testComponent.id, "pre_auth_code": pre, "authorizer_appid": testApp.id,
            ])
            let code = try #require(codeAnswer["auth_code"] as? String, "\(codeAnswer)")
            // Authorizing again stopped the first grant's token and refresh token.
            #expect(errcode(try await server.post("/card/batchget", token: authorizerToken, json: ["offset": 0, "count": 10])) == 40001)
            #expect(errcode(try await server.componentPost("/cgi-bin/component/api_authorizer_token", componentToken: componentToken, json: [
                "component_appid": testComponent.id, "authorizer_appid": testApp.id,
                "authorizer_refresh_token": try #require(info["authorizer_refresh_token"] as? String),
            ])) == 61023)

            // The authorization code expires after 10 minutes; the component token after 7200 s
            // (42001, which SDKs refetch on).
            server.wall.advance(601)
            try await server.advanceClock(601, token: appToken)
            #expect(errcode(try await server.componentPost("/cgi-bin/component/api_query_auth", componentToken: componentToken,
                                                           json: ["component_appid": testComponent.id, "authorization_code": code])) == 61010)
            try await server.advanceClock(7200, token: appToken)
            let fresh = try await server.token()
            #expect(errcode(try await server.componentPost("/cgi-bin/component/api_create_preauthcode", componentToken: componentToken,
                                                           json: ["component_appid": testComponent.id])) == 42001)
            // The ticket, 12 hours old, has expired.
            try await server.advanceClock(43_200, token: fresh)
            #expect(errcode(try await tokenAnswer(testComponent.id, testComponent.secret, ticket)) == 61005)
        }
    }

    @Test func scopeWithdrawalAndTenancy() async throws {
        try await withTestServer { server in
            try await server.addPlatforms()
            let appToken = try await server.token()
            let tokenB = try await server.token(for: merchantB)
            let cardB = try await server.createMemberCard(token: tokenB)
            let componentToken = try await server.componentAccessToken(appToken: appToken)
            // Without scope 8, card calls answer 61007.
            let narrow = try await server.authorize(componentToken: componentToken, scopes: [1, 2])
            let narrowToken = try #require(narrow["authorizer_access_token"] as? String)
            #expect(errcode(try await server.post("/card/batchget", token: narrowToken, json: ["offset": 0, "count": 10])) == 61007)

            let info = try await server.authorize(componentToken: componentToken, scopes: [8])
            let authorizerToken = try #require(info["authorizer_access_token"] as? String)
            #expect(errcode(try await server.post("/card/batchget", token: authorizerToken, json: ["offset": 0, "count": 10])) == 0)
            // Merchant B's card stays invisible to a token of the test app.
            #expect(errcode(try await server.post("/card/get", token: authorizerToken, json: ["card_id": cardB])) == 40073)

            // A second component, authorized by the same merchant, stays apart.
            let otherToken = try await server.componentAccessToken(otherComponent, appToken: appToken)
            let otherInfo = try await server.authorize(component: otherComponent, componentToken: otherToken)
            #expect(errcode(try await server.componentPost("/cgi-bin/component/api_authorizer_token", componentToken: otherToken, json: [
                "component_appid": otherComponent.id, "authorizer_appid": testApp.id,
                "authorizer_refresh_token": try #require(info["authorizer_refresh_token"] as? String),
            ])) == 61023)
            #expect(errcode(try await server.componentPost("/cgi-bin/component/api_get_authorizer_info", componentToken: otherToken,
                                                           json: ["component_appid": testComponent.id, "authorizer_appid": testApp.id])) == 61011)
            let otherAuthorizer = try #require(otherInfo["authorizer_access_token"] as? String)
            #expect(errcode(try await server.post("/card/batchget", token: otherAuthorizer, json: ["offset": 0, "count": 10])) == 0)

            // Only the merchant withdraws, with its own token: the authorizer token is refused
            // and the grant stays.
            #expect(errcode(try await server.post("/sandbox/component/unauthorize", token: authorizerToken,
                                                  json: ["component_appid": testComponent.id])) == 61015)
            #expect(errcode(try await server.post("/card/batchget", token: authorizerToken, json: ["offset": 0, "count": 10])) == 0)

            // Withdrawing one authorization stops its tokens only.
            #expect(errcode(try await server.post("/sandbox/component/unauthorize", token: appToken,
                                                  json: ["component_appid": testComponent.id])) == 0)
            #expect(errcode(try await server.post("/card/batchget", token: authorizerToken, json: ["offset": 0, "count": 10])) == 40001)
            #expect(errcode(try await server.post("/card/batchget", token: otherAuthorizer, json: ["offset": 0, "count": 10])) == 0)
            #expect(errcode(try await server.componentPost("/cgi-bin/component/api_authorizer_token", componentToken: componentToken, json: [
                "component_appid": testComponent.id, "authorizer_appid": testApp.id,
                "authorizer_refresh_token": try #require(info["authorizer_refresh_token"] as? String),
            ])) == 61003)
            #expect(errcode(try await server.post("/sandbox/component/unauthorize", token: appToken,
                                                  json: ["component_appid": testComponent.id])) == 61003)
        }
    }
}
