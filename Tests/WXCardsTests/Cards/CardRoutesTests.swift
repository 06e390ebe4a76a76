import Foundation
import Testing
@testable import WXCards

/// The card definition APIs through the real router (the card definition APIs, Member card 8.2, 8.3, 8.5).
@Suite struct CardRoutesTests {
    @Test func createAnswersAWeChatShapedCardID() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let first = try await server.createCard(token: token)
            let second = try await server.createCard(token: token)
            #expect(first.count == 28 && first.hasPrefix("p") && first != second)
        }
    }

    @Test func getReturnsTheCardAsWeChatDoes() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let now = try await server.services.clock.now()
            let cardID = try await server.createCard(token: token)
            let answer = try await server.post("/card/get", token: token, json: ["card_id": cardID])
            let card = try #require(answer["card"] as? [String: Any])
            #expect(card["card_type"] as? String == "MEMBER_CARD")
            let member = try #require(card["member_card"] as? [String: Any])
            let base = try #require(member["base_info"] as? [String: Any])
            #expect(base["id"] as? String == cardID)
            #expect(base["status"] as? String == "CARD_STATUS_VERIFY_OK")
            #expect(base["create_time"] as? Int == Int(now) && base["update_time"] as? Int == Int(now))
            let sku = try #require(base["sku"] as? [String: Any])
            #expect(sku["quantity"] as? Int == 50_000_000 && sku["total_quantity"] as? Int == 50_000_000)
            #expect((base["date_info"] as? [String: Any])?["type"] as? String == "DATE_TYPE_PERMANENT")
            // Every field the merchant set comes back unchanged.
            let sent = (CardPayloads.memberCard()["card"] as! [String: Any])["member_card"] as! [String: Any]
            let sentBase = sent["base_info"] as! [String: Any]
            for (key, value) in sentBase where key != "sku" {
                #expect(JSONValue.of(base[key]) == JSONValue.of(value), "base_info.\(key)")
            }
            for (key, value) in sent where key != "base_info" {
                #expect(JSONValue.of(member[key]) == JSONValue.of(value), "member_card.\(key)")
            }
        }
    }

    @Test func unknownMissingOrForeignCardIDs() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let other = Credential(id: "wxother0000000001", secret: "othersecret")
            try await server.services.apps.upsertApp(other, now: 0)
            let theirs = try await server.createCard(token: try await server.token(for: other))
            for path in ["/card/get", "/card/delete", "/card/modifystock", "/card/update", "/sandbox/card/review"] {
                var body: [String: Any] = ["card_id": theirs]
                switch path {
                case "/card/update": body["member_card"] = ["prerogative": "x"]
                case "/card/modifystock": body["increase_stock_value"] = 1
                case "/sandbox/card/review": body["result"] = "pass"
                default: break
                }
                #expect(try await errcode(server.post(path, token: token, json: body)) == 40073, "\(path)")
                body["card_id"] = nil
                #expect(try await errcode(server.post(path, token: token, json: body)) == 41012, "\(path)")
            }
            #expect(try await errcode(server.post("/card/get", token: token, json: ["card_id": 5])) == 47001)
            // The owner still sees its card untouched.
            let theirToken = try await server.token(for: other)
            #expect(try await server.getCard(theirs, token: theirToken)["prerogative"] as? String == "会员卡特权说明")
        }
    }

    @Test func createRejectsBadCardsAndStoresNothing() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            #expect(try await errcode(server.post("/card/create", token: token, json: CardPayloads.memberCard(remove: ["title"]))) == 41011)
            #expect(try await errcode(server.post("/card/create", token: token, json: CardPayloads.memberCard(base: ["color": "Color999"]))) == 40076)
            #expect(try await errcode(server.post("/card/create", token: token, json: ["card": "MEMBER_CARD"])) == 47001)
            let list = try await server.post("/card/batchget", token: token, json: ["offset": 0, "count": 50])
            #expect(list["total_num"] as? Int == 0)
        }
    }

    @Test(arguments: [CardType.groupon, .cash, .discount, .gift, .generalCoupon])
    func couponsAreCreatedAndShown(type: CardType) async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.coupon(type), token: token)
            let body = try await server.getCard(cardID, token: token, key: type.bodyKey)
            #expect((body["base_info"] as? [String: Any])?["id"] as? String == cardID)
        }
    }

    @Test func manualReviewStartsUnverifiedAndTheSandboxDecides() async throws {
        try await withTestServer(review: .manual) { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            #expect(try await status(server, cardID, token) == "CARD_STATUS_NOT_VERIFY")
            #expect(try await errcode(server.post("/sandbox/card/review", token: token, json: ["card_id": cardID, "result": "reject", "reason": "图片不清晰"])) == 0)
            #expect(try await status(server, cardID, token) == "CARD_STATUS_VERIFY_FAIL")
            #expect(try await errcode(server.post("/sandbox/card/review", token: token, json: ["card_id": cardID, "result": "pass"])) == 0)
            #expect(try await status(server, cardID, token) == "CARD_STATUS_VERIFY_OK")
            // Passing an approved card again is fine.
            #expect(try await errcode(server.post("/sandbox/card/review", token: token, json: ["card_id": cardID, "result": "pass"])) == 0)
            #expect(try await errcode(server.post("/sandbox/card/review", token: token, json: ["card_id": cardID, "result": "maybe"])) == 40097)
            // A reviewed field sends it back to review; another field does not.
            let notice = try await server.post("/card/update", token: token, json: ["card_id": cardID, "member_card": ["base_info": ["notice": "请出示会员卡"]]])
            #expect(notice["send_check"] as? Bool == false)
            #expect(try await status(server, cardID, token) == "CARD_STATUS_VERIFY_OK")
            let title = try await server.post("/card/update", token: token, json: ["card_id": cardID, "member_card": ["base_info": ["title": "新会员卡"]]])
            #expect(title["send_check"] as? Bool == true)
            #expect(try await status(server, cardID, token) == "CARD_STATUS_NOT_VERIFY")
            // A deleted card can not be reviewed.
            #expect(try await errcode(server.post("/card/delete", token: token, json: ["card_id": cardID])) == 0)
            #expect(try await errcode(server.post("/sandbox/card/review", token: token, json: ["card_id": cardID, "result": "pass"])) == 40078)
        }
    }

    /// Versions of a card within one second (the test's clock stands still): a review between
    /// two updates must not move `update_time` back, or the next update would get the version
    /// number of an older body, and the parsed-body cache would serve that older body.
    @Test(arguments: TestEngine.available)
    func aReviewBetweenUpdatesInOneSecondLosesNoVersion(engine: TestEngine) async throws {
        try await withTestServer(engine, review: .manual) { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            func update(_ notice: String) async throws {
                let answer = try await server.post("/card/update", token: token, json: ["card_id": cardID, "member_card": ["base_info": ["notice": notice]]])
                #expect(errcode(answer) == 0, "\(answer)")
            }
            func notice() async throws -> String? {
                (try await server.getCard(cardID, token: token)["base_info"] as? [String: Any])?["notice"] as? String
            }
            try await update("第一版")
            #expect(try await notice() == "第一版")
            try await update("第二版")
            #expect(try await notice() == "第二版")
            #expect(try await errcode(server.post("/sandbox/card/review", token: token, json: ["card_id": cardID, "result": "pass"])) == 0)
            #expect(try await errcode(server.post("/card/modifystock", token: token, json: ["card_id": cardID, "increase_stock_value": 1])) == 0)
            try await update("第三版")
            #expect(try await notice() == "第三版")
        }
    }

    @Test func autoReviewApprovesChangesAtOnce() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let answer = try await server.post("/card/update", token: token, json: ["card_id": cardID, "member_card": ["discount": 10]])
            #expect(answer["send_check"] as? Bool == true)
            #expect(try await status(server, cardID, token) == "CARD_STATUS_VERIFY_OK")
        }
    }

    @Test func aFailedUpdateChangesNothing() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let before = try await server.post("/card/get", token: token, json: ["card_id": cardID])
            let answer = try await server.post("/card/update", token: token, json: [
                "card_id": cardID, "member_card": ["base_info": ["notice": "新的提示", "brand_name": "新品牌"], "prerogative": "新特权"]])
            #expect(errcode(answer) == 40097)
            #expect((answer["errmsg"] as? String)?.contains("brand_name") == true)
            let after = try await server.post("/card/get", token: token, json: ["card_id": cardID])
            #expect(JSONValue.of(after) == JSONValue.of(before))
        }
    }

    @Test func updateChangesWhatItSaysAndShowsIt() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let now = try await server.services.clock.now()
            let cardID = try await server.createCard(CardPayloads.memberCard(base: [
                "date_info": ["type": "DATE_TYPE_FIX_TIME_RANGE", "begin_timestamp": now, "end_timestamp": now + 86_400]]), token: token)
            _ = try await server.post("/sandbox/clock", token: token, json: ["advance_seconds": 5])
            let answer = try await server.post("/card/update", token: token, json: [
                "card_id": cardID,
                "member_card": [
                    "base_info": ["pay_info": ["swipe_card": ["is_swipe_card": true]], "is_pay_and_qrcode": true,
                                  "date_info": ["type": 1, "end_timestamp": now + 2 * 86_400]],
                    "bonus_rule": ["cost_money_unit": 100, "increase_bonus": 1, "max_increase_bonus": 200],
                ],
            ])
            #expect(errcode(answer) == 0 && answer["send_check"] as? Bool == false)
            let card = try await server.getCard(cardID, token: token)
            let base = try #require(card["base_info"] as? [String: Any])
            #expect(((base["pay_info"] as? [String: Any])?["swipe_card"] as? [String: Any])?["is_swipe_card"] as? Bool == true)
            #expect(base["is_pay_and_qrcode"] as? Bool == true)
            #expect((base["date_info"] as? [String: Any])?["end_timestamp"] as? Int == Int(now) + 2 * 86_400)
            #expect(base["update_time"] as? Int == Int(now) + 5)
            #expect((card["bonus_rule"] as? [String: Any])?["max_increase_bonus"] as? Int == 200)
            // Shortening the range is 40100, with WeChat's text.
            let shorter = try await server.post("/card/update", token: token, json: [
                "card_id": cardID, "member_card": ["base_info": ["date_info": ["type": 1, "end_timestamp": now + 10]]]])
            #expect(errcode(shorter) == 40100)
            #expect((shorter["errmsg"] as? String)?.hasPrefix("invalid DateInfo, Make Sure OldDateInfoType==NewDateInfoType") == true)
        }
    }

    @Test func recommendationCellsThroughUpdate() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let coupon = try await server.createCard(CardPayloads.coupon(.cash), token: token)
            // The seed's own example (its url wins over the card list).
            let seed = try await server.post("/card/update", token: token, json: CardPayloads.seedRecommendation(cardID: cardID, recommended: "pbLatjhcI6XUxJWA0Au3Gaq5eFPs"))
            #expect(errcode(seed) == 0)
            // A card list without url: each card must be this app's.
            let cards = ["card_id": cardID, "member_card": ["modify_msg_operation": ["url_cell": ["card_id_list": [coupon], "end_time": 1_900_000_000, "text": "积分变动送券"]]]] as [String: Any]
            #expect(try await errcode(server.post("/card/update", token: token, json: cards)) == 0)
            let unknown = ["card_id": cardID, "member_card": ["modify_msg_operation": ["url_cell": ["card_id_list": ["pbLatjhcI6XUxJWA0Au3Gaq5eFPs"]]]]] as [String: Any]
            #expect(try await errcode(server.post("/card/update", token: token, json: unknown)) == 40073)
            let eleven = ["card_id": cardID, "member_card": ["modify_msg_operation": ["url_cell": ["card_id_list": Array(repeating: coupon, count: 11)]]]] as [String: Any]
            #expect(try await errcode(server.post("/card/update", token: token, json: eleven)) == 45039)
            // Both are shown, each as set.
            let card = try await server.getCard(cardID, token: token)
            let activate = (card["activate_msg_operation"] as? [String: Any])?["url_cell"] as? [String: Any]
            let modify = (card["modify_msg_operation"] as? [String: Any])?["url_cell"] as? [String: Any]
            #expect(activate?["url"] as? String == "www.qq.com")
            #expect(activate?["text"] as? String == "Congrats! You are gifted a 50 CNY coupon.")
            #expect(modify?["card_id_list"] as? [String] == [coupon])
            #expect(modify?["end_time"] as? Int == 1_900_000_000)
        }
    }

    @Test func weChatPayPermissionIsTheApps() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let off = try await server.post("/sandbox/app", token: token, json: ["pay_enabled": false, "entity": "海底捞餐饮股份有限公司"])
            #expect(off["pay_enabled"] as? Bool == false && off["entity"] as? String == "海底捞餐饮股份有限公司")
            let swipe = CardPayloads.memberCard(base: ["pay_info": ["swipe_card": ["is_swipe_card": true]]])
            #expect(try await errcode(server.post("/card/create", token: token, json: swipe)) == 43008)
            let update = ["card_id": cardID, "member_card": ["base_info": ["pay_info": ["swipe_card": ["is_swipe_card": true]]]]] as [String: Any]
            #expect(try await errcode(server.post("/card/update", token: token, json: update)) == 43008)
            let recommend = CardPayloads.seedRecommendation(cardID: cardID, recommended: cardID)
            #expect(try await errcode(server.post("/card/update", token: token, json: recommend)) == 43008)
            _ = try await server.post("/sandbox/app", token: token, json: ["pay_enabled": true])
            #expect(try await errcode(server.post("/card/update", token: token, json: update)) == 0)
            let app = try await server.services.apps.app(testApp.id)
            #expect(app?.entity == "海底捞餐饮股份有限公司")
            #expect(try await errcode(server.post("/sandbox/app", token: token, json: ["entity": ""])) == 40097)
        }
    }

    @Test func batchgetPagesFiltersAndLeavesDeletedCardsOut() async throws {
        try await withTestServer(review: .manual) { server in
            let token = try await server.token()
            var ids: [String] = []
            for _ in 0..<4 { ids.append(try await server.createCard(token: token)) }
            _ = try await server.post("/sandbox/card/review", token: token, json: ["card_id": ids[0], "result": "pass"])
            _ = try await server.post("/card/delete", token: token, json: ["card_id": ids[3]])
            let all = try await server.post("/card/batchget", token: token, json: ["offset": 0, "count": 50])
            #expect(all["total_num"] as? Int == 3)
            #expect(Set(all["card_id_list"] as? [String] ?? []) == Set(ids[0..<3]))
            let page = try await server.post("/card/batchget", token: token, json: ["offset": 1, "count": 1])
            #expect((page["card_id_list"] as? [String])?.count == 1 && page["total_num"] as? Int == 3)
            let ok = try await server.post("/card/batchget", token: token, json: ["offset": 0, "count": 10, "status_list": ["CARD_STATUS_VERIFY_OK"]])
            #expect(ok["card_id_list"] as? [String] == [ids[0]] && ok["total_num"] as? Int == 1)
            let deleted = try await server.post("/card/batchget", token: token, json: ["offset": 0, "count": 10, "status_list": ["CARD_STATUS_DELETE"]])
            #expect(deleted["total_num"] as? Int == 0)
            #expect(try await errcode(server.post("/card/batchget", token: token, json: ["offset": 0, "count": 51])) == 40097)
            #expect(try await errcode(server.post("/card/batchget", token: token, json: ["offset": -1, "count": 5])) == 40097)
            #expect(try await errcode(server.post("/card/batchget", token: token, json: ["count": 5])) == 41011)
            #expect(try await errcode(server.post("/card/batchget", token: token, json: ["offset": 0, "count": 5, "status_list": ["NOPE"]])) == 40097)
        }
    }

    @Test func deleteMarksTheCardDeleted() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            #expect(try await errcode(server.post("/card/delete", token: token, json: ["card_id": cardID])) == 0)
            #expect(try await status(server, cardID, token) == "CARD_STATUS_DELETE")
            // Deleting again is harmless; updating a deleted card is not allowed.
            #expect(try await errcode(server.post("/card/delete", token: token, json: ["card_id": cardID])) == 0)
            #expect(try await errcode(server.post("/card/update", token: token, json: ["card_id": cardID, "member_card": ["prerogative": "x"]])) == 40078)
        }
    }

    @Test func modifystockNeverGoesBelowZero() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.memberCard(base: ["sku": ["quantity": 100]]), token: token)
            #expect(try await errcode(server.post("/card/modifystock", token: token, json: ["card_id": cardID, "increase_stock_value": 50])) == 0)
            #expect(try await stock(server, cardID, token) == [150, 150])
            #expect(try await errcode(server.post("/card/modifystock", token: token, json: ["card_id": cardID, "reduce_stock_value": 30])) == 0)
            #expect(try await stock(server, cardID, token) == [120, 120])
            // HGY's example sends both.
            #expect(try await errcode(server.post("/card/modifystock", token: token, json: ["card_id": cardID, "increase_stock_value": 5, "reduce_stock_value": 10])) == 0)
            #expect(try await stock(server, cardID, token) == [115, 115])
            #expect(try await errcode(server.post("/card/modifystock", token: token, json: ["card_id": cardID, "reduce_stock_value": 116])) == 40122)
            #expect(try await errcode(server.post("/card/modifystock", token: token, json: ["card_id": cardID, "increase_stock_value": 100_000_000])) == 45041)
            #expect(try await errcode(server.post("/card/modifystock", token: token, json: ["card_id": cardID, "increase_stock_value": -1])) == 40097)
            #expect(try await errcode(server.post("/card/modifystock", token: token, json: ["card_id": cardID, "increase_stock_value": "5"])) == 47001)
            #expect(try await stock(server, cardID, token) == [115, 115])
        }
    }

    /// On both engines: PostgreSQL's READ COMMITTED must not lose a stock change either.
    @Test(arguments: TestEngine.available)
    func concurrentStockChangesLoseNothing(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.memberCard(base: ["sku": ["quantity": 20]]), token: token)
            let codes = try await withThrowingTaskGroup(of: Int?.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        let body: [String: Any] = index % 2 == 0 ? ["card_id": cardID, "increase_stock_value": 1] : ["card_id": cardID, "reduce_stock_value": 1]
                        return try await errcode(server.post("/card/modifystock", token: token, json: body))
                    }
                }
                return try await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            #expect(codes.allSatisfy { $0 == 0 })
            #expect(try await stock(server, cardID, token) == [20, 20])
        }
    }

    @Test func qrCodesForOneCardOrSeveral() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let coupon = try await server.createCard(CardPayloads.coupon(.cash), token: token)
            // Creating a QR Code for Claiming's example, with this app's card.
            let single = try await server.post("/card/qrcode/create", token: token, json: [
                "action_name": "QR_CARD", "expire_seconds": 1800,
                "action_info": ["card": ["card_id": cardID, "is_unique_code": false, "outer_id": 1, "outer_str": "12b"]]])
            #expect(errcode(single) == 0)
            let ticket = try #require(single["ticket"] as? String)
            #expect(single["expire_seconds"] as? Int == 1800)
            #expect((single["url"] as? String)?.hasPrefix("http://weixin.qq.com/q/") == true)
            // The image is this server's own (`GET /cgi-bin/showqrcode`, QRImageTests).
            #expect((single["show_qrcode_url"] as? String)?.hasSuffix("/cgi-bin/showqrcode?ticket=\(ticket.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ticket)") == true)
            let stored = try #require(try await server.services.cards.cards.qrCode(appid: testApp.id, ticket: ticket))
            #expect(stored.cards.first?.string("card_id") == cardID && stored.cards.first?.string("outer_str") == "12b")
            #expect(stored.expireTime == (try await server.services.clock.now()) + 1800)

            let multiple = try await server.post("/card/qrcode/create", token: token, json: [
                "action_name": "QR_MULTIPLE_CARD",
                "action_info": ["multiple_card": ["card_list": [["card_id": cardID], ["card_id": coupon, "outer_str": "shelf"]]]]])
            #expect(errcode(multiple) == 0 && multiple["expire_seconds"] == nil)

            let bad: [([String: Any], Int)] = [
                (["action_name": "QR_SCENE", "action_info": ["card": ["card_id": cardID]]], 40052),
                (["action_name": "QR_CARD"], 40053),
                (["action_name": "QR_CARD", "action_info": ["card": ["card_id": "pUnknown0000000000000000000"]]], 40073),
                (["action_name": "QR_CARD", "expire_seconds": 59, "action_info": ["card": ["card_id": cardID]]], 40097),
                (["action_name": "QR_CARD", "expire_seconds": 1801, "action_info": ["card": ["card_id": cardID]]], 40097),
                (["action_name": "QR_MULTIPLE_CARD", "action_info": ["multiple_card": ["card_list": Array(repeating: ["card_id": cardID], count: 6)]]], 45039),
                (["action_name": "QR_CARD", "action_info": ["card": ["card_id": cardID, "outer_str": String(repeating: "s", count: 129)]]], 45021),
            ]
            for (body, code) in bad {
                #expect(try await errcode(server.post("/card/qrcode/create", token: token, json: body)) == code, "\(body)")
            }
            _ = try await server.post("/card/delete", token: token, json: ["card_id": coupon])
            #expect(try await errcode(server.post("/card/qrcode/create", token: token, json: ["action_name": "QR_CARD", "action_info": ["card": ["card_id": coupon]]])) == 40078)
        }
    }

    @Test func qrCodesForCustomCodeAndBoundCardsNameTheCodeAndOpenid() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.memberCard(base: ["use_custom_code": true, "bind_openid": true]), token: token)
            let noCode = ["action_name": "QR_CARD", "action_info": ["card": ["card_id": cardID, "openid": "oFS7Fjl0WsZ9AMZqrI80nbIq8xrA"]]] as [String: Any]
            #expect(try await errcode(server.post("/card/qrcode/create", token: token, json: noCode)) == 40053)
            let noOpenid = ["action_name": "QR_CARD", "action_info": ["card": ["card_id": cardID, "code": "198374613512"]]] as [String: Any]
            #expect(try await errcode(server.post("/card/qrcode/create", token: token, json: noOpenid)) == 40053)
            let both = ["action_name": "QR_CARD", "action_info": ["card": ["card_id": cardID, "code": "198374613512", "openid": "oFS7Fjl0WsZ9AMZqrI80nbIq8xrA"]]] as [String: Any]
            #expect(try await errcode(server.post("/card/qrcode/create", token: token, json: both)) == 0)
        }
    }

    @Test func testWhitelistHoldsAtMostTenAndReplaces() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let openids = (1...8).map { "openid\($0)" }
            #expect(try await errcode(server.post("/card/testwhitelist/set", token: token, json: ["openid": openids, "username": ["wxid_a", "wxid_b"]])) == 0)
            #expect(try await server.services.cards.cards.isWhitelisted(appid: testApp.id, openid: "openid3"))
            #expect(try await errcode(server.post("/card/testwhitelist/set", token: token, json: ["openid": openids + ["x", "y"], "username": ["wxid_a"]])) == 40097)
            #expect(try await server.services.cards.cards.isWhitelisted(appid: testApp.id, openid: "openid3"))
            #expect(try await errcode(server.post("/card/testwhitelist/set", token: token, json: ["openid": ["only"]])) == 0)
            #expect(!(try await server.services.cards.cards.isWhitelisted(appid: testApp.id, openid: "openid3")))
            #expect(try await server.services.cards.cards.isWhitelisted(appid: testApp.id, openid: "only"))
            #expect(try await errcode(server.post("/card/testwhitelist/set", token: token, json: ["openid": "only"])) == 47001)
        }
    }

    func status(_ server: TestServer, _ cardID: String, _ token: String) async throws -> String? {
        (try await server.getCard(cardID, token: token)["base_info"] as? [String: Any])?["status"] as? String
    }

    func stock(_ server: TestServer, _ cardID: String, _ token: String) async throws -> [Int] {
        let sku = (try await server.getCard(cardID, token: token)["base_info"] as? [String: Any])?["sku"] as? [String: Any]
        return [sku?["quantity"] as? Int ?? -1, sku?["total_quantity"] as? Int ?? -1]
    }
}

extension JSONValue {
    /// A JSONSerialization value as a JSONValue, to compare answers structurally.
    static func of(_ value: Any?) -> JSONValue? {
        guard let value else { return nil }
        guard let data = try? JSONSerialization.data(withJSONObject: [value]),
              let array = try? JSONDecoder().decode([JSONValue].self, from: data) else { return nil }
        return array.first
    }
}
