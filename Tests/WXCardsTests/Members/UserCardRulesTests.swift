import Foundation
import Testing
@testable import WXCards

/// The pure rules of held codes, messages, the activation form and encrypt_code.
@Suite struct UserCardRulesTests {
    let now: Int64 = 1_790_000_000

    func card(_ base: [String: Any] = [:], member: [String: Any] = [:], status: CardStatus = .verifyOK) throws -> CardDefinition {
        let new = try CardRules.validateCreate(CardPayloads.value(CardPayloads.memberCard(member: member, base: base)).object("card"), payEnabled: true, now: now)
        return CardDefinition(appid: "wxa", cardID: "pCARD", type: .memberCard, status: status, body: new.body,
                              quantity: 10, totalQuantity: 10, createTime: now, updateTime: now)
    }

    func userCard(status: UserCardStatus = .normal, claim: Int64? = nil, begin: Int64? = nil, end: Int64? = nil, giftTime: Int64? = nil) -> UserCard {
        UserCard(appid: "wxa", ucid: "u", cardID: "pCARD", code: "123456789012", openid: "o", status: status, claimTime: claim ?? now,
                 beginTime: begin, endTime: end, activated: false, membershipNumber: "", bonus: 0, balance: 0,
                 customFieldValues: [nil, nil, nil], backgroundPicURL: nil, userInfo: [:], outerStr: nil, outerID: nil,
                 giftTime: giftTime, giftToOpenid: nil)
    }

    @Test func aFixedRangeCardExpiresWithItsRange() throws {
        let range = try card(["date_info": ["type": "DATE_TYPE_FIX_TIME_RANGE", "begin_timestamp": now, "end_timestamp": now + 100]])
        #expect(UserCardRules.effectiveStatus(userCard(), card: range, now: now + 100) == .normal)
        #expect(UserCardRules.effectiveStatus(userCard(), card: range, now: now + 101) == .expire)
        #expect(UserCardRules.validity(userCard(), card: range) == (now, now + 100))
        #expect(!UserCardRules.canConsume(userCard(), card: range, now: now + 101))
    }

    @Test func aTermCountsFromTheClaim() throws {
        let term = try card(["date_info": ["type": "DATE_TYPE_FIX_TERM", "fixed_term": 90, "fixed_begin_term": 1]])
        let window = try #require(UserCardRules.termWindow(card: term, claimTime: now))
        #expect(window.begin == now + 86_400)
        #expect(window.end == now + 91 * 86_400 - 1)
        let held = userCard(begin: window.begin, end: window.end)
        #expect(!UserCardRules.canConsume(held, card: term, now: now))
        #expect(UserCardRules.canConsume(held, card: term, now: now + 86_400))
        #expect(UserCardRules.effectiveStatus(held, card: term, now: window.end + 1) == .expire)
        let capped = try card(["date_info": ["type": "DATE_TYPE_FIX_TERM", "fixed_term": 90, "end_timestamp": now + 10]])
        #expect(UserCardRules.termWindow(card: capped, claimTime: now)?.end == now + 10)
    }

    @Test func aPermanentCardNeverExpires() throws {
        let permanent = try card()
        #expect(UserCardRules.validity(userCard(), card: permanent) == (now, UserCardRules.forever))
        #expect(UserCardRules.effectiveStatus(userCard(), card: permanent, now: now + 100 * 365 * 86_400) == .normal)
    }

    @Test func anUnansweredGiftComesBackAfter24Hours() throws {
        let permanent = try card()
        let gifting = userCard(status: .gifting, giftTime: now)
        #expect(UserCardRules.effectiveStatus(gifting, card: permanent, now: now + 86_399) == .gifting)
        #expect(UserCardRules.effectiveStatus(gifting, card: permanent, now: now + 86_400) == .giftTimeout)
        #expect(UserCardRules.canConsume(gifting, card: permanent, now: now + 86_400))
    }

    @Test func memberStatusesAreTheSeven() {
        #expect(UserCardRules.memberStatus(.consumed) == .unavailable)
        for status in UserCardStatus.allCases where status != .consumed {
            #expect(UserCardRules.memberStatus(status) == status)
        }
        let seven: Set<String> = ["NORMAL", "EXPIRE", "GIFTING", "GIFT_SUCC", "GIFT_TIMEOUT", "DELETE", "UNAVAILABLE"]
        #expect(Set(UserCardStatus.allCases.map { UserCardRules.memberStatus($0).rawValue }) == seven)
    }

    @Test func unusableCodesAnswer40099Or40127() {
        #expect(UserCardRules.unusableError(.consumed).code == 40099)
        for status in [UserCardStatus.delete, .unavailable, .expire, .gifting] {
            #expect(UserCardRules.unusableError(status).code == 40127)
        }
    }

    @Test func claimsNeedApprovalOrTheWhitelist() throws {
        #expect(throws: Never.self) { try UserCardRules.checkClaimable(try card(status: .verifyOK), whitelisted: false) }
        #expect(thrownErrcode { try UserCardRules.checkClaimable(try card(status: .notVerify), whitelisted: false) } == 40078)
        #expect(throws: Never.self) { try UserCardRules.checkClaimable(try card(status: .notVerify), whitelisted: true) }
        #expect(thrownErrcode { try UserCardRules.checkClaimable(try card(status: .verifyFail), whitelisted: false) } == 40078)
        #expect(thrownErrcode { try UserCardRules.checkClaimable(try card(status: .delete), whitelisted: true) } == 40078)
    }

    /// A card stored before bonus_rule was range-checked grants at most int32's points.
    @Test func initialBonusStaysWithinInt32() throws {
        let valid = try card(member: ["bonus_rule": ["init_increase_bonus": 10]])
        #expect(UserCardRules.initialBonus(valid) == 10)
        var body = valid.body
        body["bonus_rule"] = .object(["init_increase_bonus": .int(.max)])
        let stored = CardDefinition(appid: "wxa", cardID: "pCARD", type: .memberCard, status: .verifyOK, body: body,
                                    quantity: 10, totalQuantity: 10, createTime: now, updateTime: now)
        #expect(UserCardRules.initialBonus(stored) == 2_147_483_647)
    }

    @Test func customCodes() throws {
        let custom = try card(["use_custom_code": true])
        #expect(try UserCardRules.requestedCode("A-001", card: custom) == "A-001")
        #expect(throws: WeChatError.missingCode.detail("this card uses custom codes: give code")) { try UserCardRules.requestedCode(nil, card: custom) }
        #expect(thrownErrcode { try UserCardRules.requestedCode(String(repeating: "9", count: 21), card: custom) } == 40116)
        #expect(thrownErrcode { try UserCardRules.requestedCode("has space", card: custom) } == 40116)
        #expect(try UserCardRules.requestedCode("ignored", card: try card()) == nil)
        #expect(UserCardRules.codeScope(card: custom) == "pCARD")
        #expect(UserCardRules.codeScope(card: try card()) == "")
        let code = UserCardRules.makeCode()
        #expect(code.count == 12 && code.allSatisfy(\.isNumber))
    }

    @Test func recommendationCells() {
        let cell: [String: JSONValue] = ["url_cell": .object(["card_id_list": .array([.string("pA")]), "end_time": .int(now + 10), "text": .string("t")])]
        #expect(MessageRules.cell(cell, now: now)?.objectValue?["card_id_list"] != nil)
        #expect(MessageRules.cell(cell, now: now + 11) == nil)
        let url: [String: JSONValue] = ["url_cell": .object(["card_id_list": .array([.string("pA")]), "url": .string("www.qq.com")])]
        #expect(MessageRules.cell(url, now: now)?.objectValue?["card_id_list"] == nil)
        #expect(MessageRules.cell(url, now: now)?.objectValue?.string("url") == "www.qq.com")
        #expect(MessageRules.cell(nil, now: now) == nil)
    }

    @Test func notifyDefaults() {
        let defaults = MessageRules.Notify(nil)
        #expect(defaults.bonus && defaults.balance && defaults.customFields == [false, false, false])
        let set = MessageRules.Notify(["is_notify_bonus": .bool(false), "is_notify_custom_field2": .bool(true)])
        #expect(!set.bonus && set.balance && set.customFields == [false, true, false])
        #expect(MessageRules.balanceText(shownDelta: -3050, total: 5, record: nil) == "余额变动-30.50元，当前余额0.05元")
        #expect(MessageRules.bonusText(shownDelta: 30, total: 3030, record: "消费30元") == "积分变动+30，当前积分3030（消费30元）")
    }

    @Test func activationFormFromTheSpec() throws {
        let form = CardPayloads.value(CardPayloads.object(MemberPayloads.activateUserForm))
        let stored = try ActivationForm.validate(form)
        #expect(stored["card_id"] == nil && stored["required_form"] != nil)
        var badField = form
        badField["optional_form"] = .object(["common_field_id_list": .array([.string("USER_FORM_INFO_FLAG_SHOE_SIZE")])])
        #expect(thrownErrcode { try ActivationForm.validate(badField) } == 40097)
        var tooMany = form
        tooMany["optional_form"] = .object(["custom_field_list": .array((1...6).map { .string("item\($0)") })])
        #expect(thrownErrcode { try ActivationForm.validate(tooMany) } == 40097)

        let mobile: [String: JSONValue] = ["name": .string("USER_FORM_INFO_FLAG_MOBILE"), "value": .string("15521328888")]
        let hobby: [String: JSONValue] = ["name": .string("兴趣"), "value": .string("钢琴")]
        let info = try ActivationForm.submission(form: stored, common: [mobile], custom: [hobby])
        #expect(info["common_field_list"]?.arrayValue?.count == 1)
        #expect(throws: WeChatError.self) { try ActivationForm.submission(form: stored, common: [], custom: [hobby]) }
        #expect(throws: WeChatError.self) {
            try ActivationForm.submission(form: stored, common: [mobile, ["name": .string("USER_FORM_INFO_FLAG_IDCARD"), "value": .string("x")]], custom: [hobby])
        }
    }

    @Test func encryptCodeIsReversibleAndKeyed() throws {
        let cipher = CodeCipher(keyData: Data(repeating: 7, count: 32))
        let encrypted = try cipher.encrypt(appid: "wxa", cardID: "pCARD", code: "916679873278")
        #expect(try cipher.decrypt(encrypted, appid: "wxa").code == "916679873278")
        #expect(throws: WeChatError.invalidEncryptCode) { try cipher.decrypt(encrypted, appid: "wxb") }
        #expect(throws: WeChatError.invalidEncryptCode) { try cipher.decrypt("XXIzTtMqCxwOaawoE91+VJdsFmv7b8g0VZIZkqf4GWA60Fzpc8ksZ/5ZZ0DVkXdE", appid: "wxa") }
        #expect(throws: WeChatError.invalidEncryptCode) { try cipher.decrypt("not base64!", appid: "wxa") }
        var bytes = Array(Data(base64Encoded: encrypted)!)
        bytes[bytes.count - 1] ^= 1
        #expect(throws: WeChatError.invalidEncryptCode) { try cipher.decrypt(Data(bytes).base64EncodedString(), appid: "wxa") }
        let other = CodeCipher(keyData: Data(repeating: 8, count: 32))
        #expect(throws: WeChatError.invalidEncryptCode) { try other.decrypt(encrypted, appid: "wxa") }
    }
}

/// The spec's member payloads (Activating a Member Card, One-click Activation, Updating Member Information).
enum MemberPayloads {
    static let activateUserForm = #"""
    {"card_id":"pbLatjnrwUUdZI641gKdTMJzHGfc",
     "service_statement":{"name":"会员守则","url":"https://www.qq.com"},
     "bind_old_card":{"name":"老会员绑定","url":"https://www.qq.com"},
     "required_form":{"can_modify":false,
        "rich_field_list":[{"type":"FORM_FIELD_RADIO","name":"兴趣","values":["钢琴","舞蹈","足球"]}],
        "common_field_id_list":["USER_FORM_INFO_FLAG_MOBILE"]},
     "optional_form":{"can_modify":false,
        "common_field_id_list":["USER_FORM_INFO_FLAG_LOCATION","USER_FORM_INFO_FLAG_BIRTHDAY"],
        "custom_field_list":["喜欢的电影"]}}
    """#

    /// Activating a Member Card's example (WCP docstring), for a given code and card.
    static func activate(code: String, cardID: String) -> [String: Any] {
        ["init_bonus": 100, "init_bonus_record": "旧积分同步", "init_balance": 200, "membership_number": "AAA00000001",
         "code": code, "card_id": cardID, "background_pic_url": "https://mmbiz.qlogo.cn/mmbiz/0?wx_fmt=jpeg",
         "init_custom_field_value1": "xxxxx", "init_custom_field_value2": "xxxxx", "init_custom_field_value3": "xxxxx"]
    }
}
