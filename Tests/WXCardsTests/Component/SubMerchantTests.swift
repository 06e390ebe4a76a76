import Foundation
import Testing
@testable import WXCards

/// Sub-merchants (代制) through the real router: applications, WeChat's review in the sandbox
/// with its push, cards made for approved sub-merchants, and the statistics that name them.
@Suite struct SubMerchantTests {
    /// api-spec §9.4's submit, with a category of `/card/getapplyprotocol`.
    static func application(_ server: TestServer) async throws -> [String: Any] {
        ["brand_name": "海底捞", "logo_url": "http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZJkmG8xXhiaHqkKSVMMWeN3hLut7X7hicFNjakmxibMLGWpXrEXB33367o7zHN0CwngnQY7zb7g/0",
         "protocol": "Eb4V2J2CpT3qr4ayeY8YTfvuEH2mKs1Xb-h1wB5CAn66RXRKHS0bKWW4Qd9ttJ1a", "end_time": try await server.services.clock.now() + 86_400 * 365,
         "primary_category_id": 1, "secondary_category_id": 101]
    }

    @Test(arguments: TestEngine.available)
    func applyReviewAndMakeCards(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let categories = try await server.get("/card/getapplyprotocol?access_token=\(token)")
            let first = try #require((categories["category"] as? [[String: Any]])?.first, "\(categories)")
            #expect(first["primary_category_id"] as? Int == 1)
            #expect(((first["secondary_category"] as? [[String: Any]])?.first?["need_qualification_stuffs"] as? [String])?.isEmpty == false)

            let submitted = try await server.post("/card/submerchant/submit", token: token, json: ["info": try await Self.application(server)])
            let info = try #require(submitted["info"] as? [String: Any], "\(submitted)")
            #expect(info["status"] as? String == "CHECKING" && info["brand_name"] as? String == "海底捞")
            let merchantID = try #require(info["merchant_id"] as? Int)

            func card(_ type: CardType = .memberCard, merchant: Int) -> [String: Any] {
                let base: [String: Any] = ["sub_merchant_info": ["merchant_id": merchant]]
                return type == .memberCard ? CardPayloads.memberCard(base: base) : CardPayloads.coupon(type, base: base)
            }
            func create(_ payload: [String: Any]) async throws -> [String: Any] {
                try await server.post("/card/create", token: token, json: payload)
            }
            // Not yet approved: 40140; unknown: 40139.
            #expect(errcode(try await create(card(merchant: merchantID))) == 40140)
            #expect(errcode(try await create(card(merchant: 123))) == 40139)

            try await withPushReceiver { receiver in
                try await server.setPushServer(receiver, token: token)
                let reviewed = try await server.post("/sandbox/submerchant/review", token: token,
                                                     json: ["merchant_id": merchantID, "result": "pass"])
                #expect((reviewed["info"] as? [String: Any])?["status"] as? String == "APPROVED", "\(reviewed)")
                let push = try #require(try await receiver.waitFor(1).first)
                let elements = xmlElements(push.body)
                #expect(elements["Event"] == "card_merchant_check_result" && elements["MerchantId"] == String(merchantID))
                #expect(elements["IsPass"] == "1" && elements["CardId"] == nil)
                #expect(xmlNames(push.body) == ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Event", "MerchantId", "IsPass", "Reason"])
            }
            // Reviewed once: a second review is refused.
            #expect(errcode(try await server.post("/sandbox/submerchant/review", token: token,
                                                  json: ["merchant_id": merchantID, "result": "reject"])) == 40140)
            let made = try await create(card(merchant: merchantID))
            let cardID = try #require(made["card_id"] as? String, "\(made)")
            #expect(errcode(try await create(card(.groupon, merchant: merchantID))) == 0)
            // A special ticket is not for sub-merchants (45042), before wxcards' own 40071.
            #expect(errcode(try await server.post("/card/create", token: token, json: ["card": [
                "card_type": "MOVIE_TICKET", "movie_ticket": ["base_info": ["sub_merchant_info": ["merchant_id": merchantID]]],
            ]])) == 45042)

            // The statistics name the sub-merchant.
            _ = try await server.claimCode(cardID, openid: openid(1), token: token)
            try await server.advanceClock(86_400, token: token)
            let fresh = try await server.token()
            let yesterday = ChinaDay.format(ChinaDay.of(try await server.services.clock.now()) - 1)
            let detail = try await server.post("/datacube/getcardmembercarddetail", token: fresh,
                                               json: ["begin_date": yesterday, "end_date": yesterday, "card_id": cardID])
            let row = try #require((detail["list"] as? [[String: Any]])?.first, "\(detail)")
            #expect(row["submerchantid"] as? Int == merchantID && row["merchanttype"] as? Int == 1)
            #expect(row["receive_cnt"] as? Int == 1)

            // Update sends it back to review; batchget pages and filters.
            let updated = try await server.post("/card/submerchant/update", token: fresh,
                                                json: ["info": ["merchant_id": merchantID, "brand_name": "海底捞火锅"]])
            #expect((updated["info"] as? [String: Any])?["status"] as? String == "CHECKING", "\(updated)")
            let second = try await server.post("/card/submerchant/submit", token: fresh, json: ["info": try await Self.application(server)])
            let secondID = try #require((second["info"] as? [String: Any])?["merchant_id"] as? Int)
            let page = try await server.post("/card/submerchant/batchget", token: fresh, json: ["begin_id": "0", "limit": 1])
            let listed = try #require(page["info_list"] as? [[String: Any]], "\(page)")
            #expect(listed.count == 1 && page["next_begin_id"] as? Int == min(merchantID, secondID))
            let rest = try await server.post("/card/submerchant/batchget", token: fresh,
                                             json: ["begin_id": page["next_begin_id"] ?? 0, "limit": 100, "status": "CHECKING"])
            #expect((rest["info_list"] as? [[String: Any]])?.map { $0["merchant_id"] as? Int } == [max(merchantID, secondID)])
            let got = try await server.post("/card/submerchant/get", token: fresh, json: ["merchant_id": merchantID])
            #expect((got["info"] as? [String: Any])?["brand_name"] as? String == "海底捞火锅")
        }
    }

    @Test func refusalsAndTenancy() async throws {
        try await withTestServer { server in
            try await server.addPlatforms()
            let token = try await server.token()
            let tokenB = try await server.token(for: merchantB)
            var application = try await Self.application(server)
            let merchantID = try #require((try await server.post("/card/submerchant/submit", token: token,
                                                                json: ["info": application])["info"] as? [String: Any])?["merchant_id"] as? Int)
            // Merchant B sees nothing of the test app's sub-merchants.
            #expect(errcode(try await server.post("/card/submerchant/get", token: tokenB, json: ["merchant_id": merchantID])) == 40139)
            #expect(errcode(try await server.post("/sandbox/submerchant/review", token: tokenB,
                                                  json: ["merchant_id": merchantID, "result": "pass"])) == 40139)
            #expect((try await server.post("/card/submerchant/batchget", token: tokenB, json: ["begin_id": 0, "limit": 10])["info_list"]
                     as? [Any])?.isEmpty == true)
            application["brand_name"] = String(repeating: "牛", count: 13)
            #expect(errcode(try await server.post("/card/submerchant/submit", token: token, json: ["info": application])) == 45021)
            application["brand_name"] = "海底捞"
            application["secondary_category_id"] = 201
            #expect(errcode(try await server.post("/card/submerchant/submit", token: token, json: ["info": application])) == 40097)
            application["secondary_category_id"] = 101
            application["end_time"] = 1
            #expect(errcode(try await server.post("/card/submerchant/submit", token: token, json: ["info": application])) == 40079)
            application["end_time"] = nil
            #expect(errcode(try await server.post("/card/submerchant/submit", token: token, json: ["info": application])) == 41011)
            #expect(errcode(try await server.post("/card/submerchant/batchget", token: token, json: ["begin_id": 0, "limit": 101])) == 40097)
            #expect(errcode(try await server.post("/card/submerchant/batchget", token: token, json: ["limit": 1, "status": "NOPE"])) == 40097)
            #expect(errcode(try await server.post("/sandbox/submerchant/review", token: token,
                                                  json: ["merchant_id": merchantID, "result": "maybe"])) == 40097)
            // Rejected, with its reason.
            let rejected = try await server.post("/sandbox/submerchant/review", token: token,
                                                 json: ["merchant_id": merchantID, "result": "reject", "reason": "资质不全"])
            #expect((rejected["info"] as? [String: Any])?["status"] as? String == "REJECTED")
            // One-year letters run out: EXPIRED.
            let approvedID = try #require((try await server.post("/card/submerchant/submit", token: token,
                                                                json: ["info": try await Self.application(server)])["info"] as? [String: Any])?["merchant_id"] as? Int)
            #expect(errcode(try await server.post("/sandbox/submerchant/review", token: token, json: ["merchant_id": approvedID, "result": "pass"])) == 0)
            try await server.advanceClock(86_400 * 366, token: token)
            let fresh = try await server.token()
            #expect((try await server.post("/card/submerchant/get", token: fresh, json: ["merchant_id": approvedID])["info"]
                     as? [String: Any])?["status"] as? String == "EXPIRED")
            let expired = try await server.post("/card/submerchant/batchget", token: fresh, json: ["limit": 10, "status": "EXPIRED"])
            #expect((expired["info_list"] as? [[String: Any]])?.map { $0["merchant_id"] as? Int } == [approvedID])
        }
    }
}
