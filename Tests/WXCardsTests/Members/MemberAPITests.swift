import Foundation
import Testing
@testable import WXCards

/// activate, activateuserform/set, submit_form, activatetempinfo/get, userinfo/get, updateuser,
/// and the user's messages.
@Suite struct MemberAPITests {
    @Test func activateWithEveryFieldOfTheSpec() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createMemberCard(token: token, member: ["supply_balance": true])
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            let before = try await server.userInfo(cardID, code, token: token)
            #expect(before["has_active"] as? Bool == false && before["membership_number"] as? String == "")
            #expect(try await errcode(server.post("/card/membercard/activate", token: token, json: MemberPayloads.activate(code: code, cardID: cardID))) == 0)
            let info = try await server.userInfo(cardID, code, token: token)
            #expect(info["has_active"] as? Bool == true)
            #expect(info["membership_number"] as? String == "AAA00000001")
            #expect(info["bonus"] as? Int == 100 && info["balance"] as? Int == 200)
            let ledger = try await server.services.members.store.ledger(appid: testApp.id, cardID: cardID, code: code)
            #expect(ledger.map(\.kind) == ["bonus", "balance"])
            #expect(ledger.first?.record == "旧积分同步")
            // Twice is an error, and changes nothing.
            var again = MemberPayloads.activate(code: code, cardID: cardID)
            again["init_bonus"] = 5
            #expect(try await errcode(server.post("/card/membercard/activate", token: token, json: again)) == 40097)
            #expect(try await server.userInfo(cardID, code, token: token)["bonus"] as? Int == 100)
        }
    }

    @Test func activateErrors() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createMemberCard(token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            var body = MemberPayloads.activate(code: code, cardID: cardID)
            body["membership_number"] = nil
            #expect(try await errcode(server.post("/card/membercard/activate", token: token, json: body)) == 41011)
            #expect(try await errcode(server.post("/card/membercard/activate", token: token, json: MemberPayloads.activate(code: "000000000000", cardID: cardID))) == 40056)
            // This card has no balance.
            #expect(try await errcode(server.post("/card/membercard/activate", token: token, json: MemberPayloads.activate(code: code, cardID: cardID))) == 43010)
            var negative = MemberPayloads.activate(code: code, cardID: cardID)
            negative["init_balance"] = nil
            negative["init_bonus"] = -1
            #expect(try await errcode(server.post("/card/membercard/activate", token: token, json: negative)) == 45022)
            var long = MemberPayloads.activate(code: code, cardID: cardID)
            long["init_balance"] = nil
            long["init_custom_field_value1"] = "五个汉字啊"
            #expect(try await errcode(server.post("/card/membercard/activate", token: token, json: long)) == 45021)
            #expect(try await server.userInfo(cardID, code, token: token)["has_active"] as? Bool == false)
            // Not a member card.
            let coupon = try await server.createCard(CardPayloads.coupon(.cash), token: token)
            let couponCode = try await server.claimCode(coupon, openid: openid(1), token: token)
            var onCoupon = MemberPayloads.activate(code: couponCode, cardID: coupon)
            onCoupon["init_balance"] = nil
            #expect(try await errcode(server.post("/card/membercard/activate", token: token, json: onCoupon)) == 40071)
        }
    }

    @Test func userinfoHasExactlyTheSeedShape() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            _ = try await server.post("/sandbox/user", token: token, json: ["openid": openid(1), "nickname": "Fourier", "sex": "MALE"])
            let info = try await server.userInfo(cardID, code, token: token)
            #expect(Set(info.keys) == ["errcode", "errmsg", "openid", "nickname", "membership_number", "bonus", "balance", "sex",
                                       "user_info", "user_card_status", "has_active"])
            #expect(info["nickname"] as? String == "Fourier" && info["sex"] as? String == "MALE")
            #expect(info["openid"] as? String == openid(1))
            let userInfo = try #require(info["user_info"] as? [String: Any])
            #expect((userInfo["common_field_list"] as? [Any])?.isEmpty == true && (userInfo["custom_field_list"] as? [Any])?.isEmpty == true)
            #expect(info["user_card_status"] as? String == "NORMAL")
            // Without a profile: stable defaults.
            let other = try await server.claimCode(cardID, openid: openid(2), token: token)
            let first = try await server.userInfo(cardID, other, token: token)
            let second = try await server.userInfo(cardID, other, token: token)
            #expect(first["nickname"] as? String == second["nickname"] as? String && first["sex"] as? String == "UNKNOWN")
            #expect(try await errcode(server.post("/sandbox/user", token: token, json: ["openid": openid(1), "sex": "OTHER"])) == 40097)
            #expect(try await errcode(server.post("/card/membercard/userinfo/get", token: token, json: ["card_id": cardID])) == 41013)
            #expect(try await errcode(server.post("/card/membercard/userinfo/get", token: token, json: ["code": code])) == 41012)
            #expect(try await errcode(server.post("/card/membercard/userinfo/get", token: token, json: ["card_id": cardID, "code": "1"])) == 40056)
        }
    }

    @Test func oneClickActivationThroughTheForm() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createMemberCard(token: token, member: ["wx_activate": true, "bonus_rule": ["init_increase_bonus": 20]])
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            var form = CardPayloads.object(MemberPayloads.activateUserForm)
            form["card_id"] = cardID
            let submission: [String: Any] = [
                "card_id": cardID, "code": code, "openid": openid(1),
                "common_field_list": [["name": "USER_FORM_INFO_FLAG_MOBILE", "value": "15521328888"]],
                "custom_field_list": [["name": "兴趣", "value": "钢琴", "value_list": ["钢琴"]]],
            ]
            // No form yet.
            #expect(try await errcode(server.post("/sandbox/membercard/submit_form", token: token, json: submission)) == 40097)
            #expect(try await errcode(server.post("/card/membercard/activateuserform/set", token: token, json: form)) == 0)
            var missing = submission
            missing["common_field_list"] = []
            #expect(try await errcode(server.post("/sandbox/membercard/submit_form", token: token, json: missing)) == 41011)
            var unknown = submission
            unknown["common_field_list"] = [["name": "USER_FORM_INFO_FLAG_MOBILE", "value": "1"], ["name": "USER_FORM_INFO_FLAG_IDCARD", "value": "x"]]
            #expect(try await errcode(server.post("/sandbox/membercard/submit_form", token: token, json: unknown)) == 40097)
            #expect(try await server.userInfo(cardID, code, token: token)["has_active"] as? Bool == false)

            let answer = try await server.post("/sandbox/membercard/submit_form", token: token, json: submission)
            let ticket = try #require(answer["activate_ticket"] as? String)
            let info = try await server.userInfo(cardID, code, token: token)
            #expect(info["has_active"] as? Bool == true && info["bonus"] as? Int == 20)
            let common = (info["user_info"] as? [String: Any])?["common_field_list"] as? [[String: Any]]
            #expect(common?.first?["name"] as? String == "USER_FORM_INFO_FLAG_MOBILE" && common?.first?["value"] as? String == "15521328888")
            let temp = try await server.post("/card/membercard/activatetempinfo/get", token: token, json: ["activate_ticket": ticket])
            let tempCustom = (temp["info"] as? [String: Any])?["custom_field_list"] as? [[String: Any]]
            #expect(tempCustom?.first?["value"] as? String == "钢琴")
            #expect(try await errcode(server.post("/card/membercard/activatetempinfo/get", token: token, json: ["activate_ticket": "nope"])) == 40097)
            // can_modify is false: a second submission is refused.
            #expect(try await errcode(server.post("/sandbox/membercard/submit_form", token: token, json: submission)) == 40097)
        }
    }

    @Test func jumpTypeFormWaitsForTheMerchant() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createMemberCard(token: token, member: [
                "wx_activate": true, "wx_activate_after_submit": true, "wx_activate_after_submit_url": "https://example.com/after"])
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            var form = CardPayloads.object(MemberPayloads.activateUserForm)
            form["card_id"] = cardID
            _ = try await server.post("/card/membercard/activateuserform/set", token: token, json: form)
            let answer = try await server.post("/sandbox/membercard/submit_form", token: token, json: [
                "card_id": cardID, "code": code, "openid": openid(1),
                "common_field_list": [["name": "USER_FORM_INFO_FLAG_MOBILE", "value": "15521328888"]],
                "custom_field_list": [["name": "兴趣", "value": "足球"]]])
            #expect(errcode(answer) == 0)
            #expect(try await server.userInfo(cardID, code, token: token)["has_active"] as? Bool == false)
        }
    }

    @Test func activateUserFormErrors() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            var form = CardPayloads.object(MemberPayloads.activateUserForm)
            #expect(try await errcode(server.post("/card/membercard/activateuserform/set", token: token, json: form)) == 40073)
            form["card_id"] = nil
            #expect(try await errcode(server.post("/card/membercard/activateuserform/set", token: token, json: form)) == 41011)
            let coupon = try await server.createCard(CardPayloads.coupon(.gift), token: token)
            form["card_id"] = coupon
            #expect(try await errcode(server.post("/card/membercard/activateuserform/set", token: token, json: form)) == 40071)
        }
    }

    @Test func updateuserFollowsTheSpec() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.memberCard(member: ["supply_balance": true]), token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            // Updating Member Information's example: bonus (absolute) wins over add_bonus; balance likewise.
            let example: [String: Any] = [
                "code": code, "card_id": cardID, "background_pic_url": "https://mmbiz.qlogo.cn/mmbiz/0?wx_fmt=jpeg",
                "record_bonus": "消费30元，获得3积分", "bonus": 3000, "add_bonus": 30, "balance": 3000, "add_balance": -30,
                "record_balance": "购买焦糖玛琪朵一杯，扣除金额30元。", "custom_field_value1": "xxxxx", "custom_field_value2": "xxxxx",
                "notify_optional": ["is_notify_bonus": true, "is_notify_balance": true, "is_notify_custom_field1": true]]
            let answer = try await server.post("/card/membercard/updateuser", token: token, json: example)
            #expect(errcode(answer) == 0)
            #expect(answer["result_bonus"] as? Int == 3000 && answer["result_balance"] as? Int == 3000)
            #expect(answer["openid"] as? String == openid(1))
            let added = try await server.post("/card/membercard/updateuser", token: token, json: ["code": code, "card_id": cardID, "add_bonus": -500, "add_balance": 250])
            #expect(added["result_bonus"] as? Int == 2500 && added["result_balance"] as? Int == 3250)
            let info = try await server.userInfo(cardID, code, token: token)
            #expect(info["bonus"] as? Int == 2500 && info["balance"] as? Int == 3250)
            // The ledger: code, delta, result, record, source, time.
            let ledger = try await server.services.members.store.ledger(appid: testApp.id, cardID: cardID, code: code)
            let now = try await server.services.clock.now()
            #expect(ledger.map(\.kind) == ["bonus", "balance", "bonus", "balance"])
            #expect(ledger.map(\.delta) == [3000 - 0, 3000, -500, 250])
            #expect(ledger.map(\.result) == [3000, 3000, 2500, 3250])
            #expect(ledger[0].record == "消费30元，获得3积分" && ledger.allSatisfy { $0.code == code && $0.source == "updateuser" && $0.time == now })
        }
    }

    @Test func aResultBelowZeroIsRefusedAndNothingChanges() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.memberCard(member: ["supply_balance": true]), token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            _ = try await server.post("/card/membercard/updateuser", token: token, json: ["code": code, "card_id": cardID, "add_bonus": 10, "add_balance": 10])
            let messagesBefore = try await server.messages(openid(1), token: token).count
            #expect(try await errcode(server.post("/card/membercard/updateuser", token: token, json: ["code": code, "card_id": cardID, "add_bonus": -11, "add_balance": 5])) == 45022)
            #expect(try await errcode(server.post("/card/membercard/updateuser", token: token, json: ["code": code, "card_id": cardID, "bonus": -1])) == 45022)
            #expect(try await errcode(server.post("/card/membercard/updateuser", token: token, json: ["code": code, "card_id": cardID, "add_bonus": 5, "add_balance": -11])) == 45023)
            let info = try await server.userInfo(cardID, code, token: token)
            #expect(info["bonus"] as? Int == 10 && info["balance"] as? Int == 10)
            #expect(try await server.services.members.store.ledger(appid: testApp.id, cardID: cardID, code: code).count == 2)
            #expect(try await server.messages(openid(1), token: token).count == messagesBefore)
            #expect(try await errcode(server.post("/card/membercard/updateuser", token: token, json: ["code": code, "card_id": cardID, "add_bonus": 1.5])) == 47001)
        }
    }

    @Test func pointsAndBalanceNeedTheCardToSupplyThem() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(CardPayloads.memberCard(member: ["supply_bonus": false]), token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            #expect(try await errcode(server.post("/card/membercard/updateuser", token: token, json: ["code": code, "card_id": cardID, "add_bonus": 1])) == 43011)
            #expect(try await errcode(server.post("/card/membercard/updateuser", token: token, json: ["code": code, "card_id": cardID, "balance": 1])) == 43010)
            let fields = try await server.post("/card/membercard/updateuser", token: token, json: ["code": code, "card_id": cardID, "custom_field_value1": "金卡"])
            #expect(errcode(fields) == 0 && fields["result_bonus"] as? Int == 0)
        }
    }

    /// On both engines: PostgreSQL's READ COMMITTED must not lose an update either.
    @Test(arguments: TestEngine.available)
    func sixtyFourConcurrentAddBonusLoseNothing(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let cardID = try await server.createCard(token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            let results = try await withThrowingTaskGroup(of: Int?.self) { group in
                for _ in 0..<64 {
                    group.addTask {
                        try await server.post("/card/membercard/updateuser", token: token, json: ["code": code, "card_id": cardID, "add_bonus": 1])["result_bonus"] as? Int
                    }
                }
                return try await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            #expect(Set(results.compactMap { $0 }) == Set(1...64))
            #expect(try await server.userInfo(cardID, code, token: token)["bonus"] as? Int == 64)
            #expect(try await server.services.members.store.ledger(appid: testApp.id, cardID: cardID, code: code).map(\.result) == Array(1...64))
        }
    }

    @Test func messagesCarryTheRecommendationCells() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let coupon = try await server.createCard(CardPayloads.coupon(.cash), token: token)
            let cardID = try await server.createMemberCard(token: token)
            let now = try await server.services.clock.now()
            _ = try await server.post("/card/update", token: token, json: ["card_id": cardID, "member_card": [
                "activate_msg_operation": ["url_cell": ["card_id_list": [coupon], "end_time": Int(now) + 3600, "text": "激活送券"]],
                "modify_msg_operation": ["url_cell": ["url": "https://example.com/shop", "card_id_list": [coupon], "text": "积分变动，逛逛商城"]]]])
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            _ = try await server.post("/card/membercard/activate", token: token, json: ["code": code, "card_id": cardID, "membership_number": "M1"])
            _ = try await server.post("/card/membercard/updateuser", token: token, json: ["code": code, "card_id": cardID, "add_bonus": 30, "record_bonus": "消费30元"])
            // Turned off: no message.
            _ = try await server.post("/card/membercard/updateuser", token: token, json: ["code": code, "card_id": cardID, "add_bonus": 1, "notify_optional": ["is_notify_bonus": false]])
            let messages = try await server.messages(openid(1), token: token)
            #expect(messages.map { $0["kind"] as? String } == ["bonus", "activate"])
            let bonus = messages[0], activation = messages[1]
            #expect((bonus["text"] as? String)?.contains("+30") == true)
            #expect((bonus["cell"] as? [String: Any])?["url"] as? String == "https://example.com/shop")
            #expect((bonus["cell"] as? [String: Any])?["card_id_list"] == nil)
            #expect((activation["cell"] as? [String: Any])?["card_id_list"] as? [String] == [coupon])
            #expect(activation["time"] as? Int == Int(now) && activation["card_id"] as? String == cardID && activation["code"] as? String == code)

            // After the activation cell's end_time, a new activation message has no cell.
            _ = try await server.post("/sandbox/clock", token: token, json: ["advance_seconds": 3601])
            let later = try await server.claimCode(cardID, openid: openid(2), token: token)
            _ = try await server.post("/card/membercard/activate", token: token, json: ["code": later, "card_id": cardID, "membership_number": "M2"])
            let second = try await server.messages(openid(2), token: token)
            #expect(second.count == 1 && second[0]["cell"] == nil)
            #expect(try await server.messages(openid(9), token: token).isEmpty)
        }
    }
}
