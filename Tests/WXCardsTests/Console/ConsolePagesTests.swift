import Foundation
import Testing
@testable import WXCards

/// The pages show what the API did, and the console's forms go through the API's own rules.
@Suite struct ConsolePagesTests {
    static let cardForm = [
        "title": "海底捞会员卡", "brand_name": "海底捞", "logo_url": "http://mmbiz.qpic.cn/mmbiz/iaL1LJM1mF9aRKPZ/0", "color": "Color010",
        "notice": "使用时向服务员出示此券", "description": "不可与其他优惠同享", "prerogative": "会员特权", "quantity": "100",
        "supply_bonus": "true",
    ]

    @Test(arguments: TestEngine.available)
    func theCreateFormMakesAConsoleCardThroughTheAPIsRules(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            var browser = ConsoleBrowser(server)
            try await browser.signIn()
            let made = try await browser.submit("/console/cards", from: "/console/cards/new", Self.cardForm)
            let location = try #require(made.location)
            #expect(made.status == .seeOther && location.hasPrefix("/console/cards/p"))
            let cardID = try #require(location.firstMatch(#"/console/cards/([^?]+)"#))
            let card = try #require(try await server.services.cards.cards.card(appid: testApp.id, cardID: cardID))
            #expect(card.source == .console && card.isMemberCard && card.quantity == 100 && card.baseInfo.string("title") == "海底捞会员卡")
            // The same card through /card/get, as an SDK sees it.
            let token = try await server.token()
            let got = try await server.post("/card/get", token: token, json: ["card_id": cardID])
            #expect(errcode(got) == 0)
            let page = try await browser.get(location)
            #expect(page.html.contains("#63b359") && page.html.contains("cond_source 0") && page.html.contains("Points"))
            // What /card/create refuses, the form refuses, with the same errcode; nothing is made.
            var tooLong = Self.cardForm
            tooLong["title"] = String(repeating: "长", count: 20)
            let refused = try await browser.submit("/console/cards", from: "/console/cards/new", tooLong)
            let apiAnswer = try await server.post("/card/create", token: token, json: CardPayloads.memberCard(
                member: [:], base: ["title": String(repeating: "长", count: 20)]))
            #expect(refused.location?.contains("problem=\(errcode(apiAnswer) ?? 0)") == true, "\(refused.location ?? "") \(apiAnswer)")
            #expect(try await server.services.cards.cards.all(appid: testApp.id).count == 1)
            var badStock = Self.cardForm
            badStock["quantity"] = "-1"
            #expect(try await browser.submit("/console/cards", from: "/console/cards/new", badStock).location?.contains("problem=40097") == true)
        }
    }

    @Test func thePhoneViewClaimsSubmitsPaysAndTheMemberPageShowsTheLedger() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            try await withPushReceiver { receiver in
                try await server.setPushServer(receiver, token: token)
                let cardID = try await server.createMemberCard(token: token, member: ["supply_balance": true])
                var form = try #require(try JSONSerialization.jsonObject(with: Data(MemberPayloads.activateUserForm.utf8)) as? [String: Any])
                form["card_id"] = cardID
                #expect(try await errcode(server.post("/card/membercard/activateuserform/set", token: token, json: form)) == 0)
                var browser = ConsoleBrowser(server)
                try await browser.signIn()
                let user = openid(7), phone = "/console/phone/\(openid(7))"
                let claimed = try await browser.submit("\(phone)/claim", from: phone, ["card_id": cardID])
                #expect(claimed.location?.contains("notice=Claimed") == true, "\(claimed.location ?? "")")
                let code = try #require(try await server.services.members.store.bag(appid: testApp.id, openid: user, cardID: cardID, limit: 1).first?.userCard.code)
                let wallet = try await browser.get(phone)
                #expect(wallet.html.contains(code) && wallet.html.contains("common:USER_FORM_INFO_FLAG_MOBILE") && wallet.html.contains("钢琴"))
                // Missing a required field: the form's rule answers, nothing is stored.
                let incomplete = try await browser.submit("\(phone)/submit", from: phone, ["card_id": cardID, "code": code])
                #expect(incomplete.location?.contains("problem=") == true)
                let submitted = try await browser.submit("\(phone)/submit", from: phone, [
                    "card_id": cardID, "code": code, "common:USER_FORM_INFO_FLAG_MOBILE": "13800000000", "custom:兴趣": "钢琴"])
                #expect(submitted.location?.contains("notice=Form") == true, "\(submitted.location ?? "")")
                let activated = try await server.post("/card/membercard/activate", token: token,
                                                      json: MemberPayloads.activate(code: code, cardID: cardID))
                #expect(errcode(activated) == 0, "\(activated)")
                #expect(try await errcode(server.post("/card/membercard/updateuser", token: token, json: [
                    "card_id": cardID, "code": code, "add_bonus": 60, "record_bonus": "消费"])) == 0)
                let member = try await browser.get("/console/members/\(cardID)/\(code)")
                #expect(member.html.contains("13800000000") && member.html.contains("钢琴"))
                #expect(member.html.contains(">160<") && member.html.contains("+60") && member.html.contains("消费"))
                #expect(member.html.contains("updateuser") && member.html.contains("activate"))
                let search = try await browser.get("/console/members?q=AAA00000001")
                #expect(search.html.contains("/console/members/\(cardID)/\(code)"), "\(server.logs.all.filter { $0.level == .error }.map(\.text))")
                for query in [code, user] {
                    #expect(try await browser.get("/console/members?q=\(query)").html.contains("/console/members/\(cardID)/\(code)"))
                }
                #expect(try await !browser.get("/console/members?q=nobody").html.contains("/console/members/\(cardID)/"))
                // The pushes the API made are in the journal with their attempts.
                _ = try await receiver.waitFor(4)
                let pushes = try await browser.get("/console/pushes")
                #expect(pushes.html.contains("submit_membercard_user_info") && pushes.html.contains("update_member_card")
                    && pushes.html.contains(">200<"))
                let pushID = try #require(pushes.html.firstMatch(#"/console/pushes/([^/]+)/redeliver"#))
                let redelivered = try await browser.submit("/console/pushes/\(pushID)/redeliver", from: "/console/pushes", [:])
                #expect(redelivered.location?.contains("notice=Redelivered") == true)
                // Deleting goes through the user's own rule: the code leaves the wallet.
                let deleted = try await browser.submit("\(phone)/delete", from: phone, ["card_id": cardID, "code": code])
                #expect(deleted.location?.contains("notice=Deleted") == true)
                #expect(try await !browser.get(phone).html.contains("wallet-\(code)"))
            }
        }
    }

    @Test func paymentsAndTheStatisticsChartFollowTheSandbox() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createCard(PayGiftPayloads.payingMemberCard(), token: token)
            let code = try await server.claimCode(cardID, openid: openid(1), token: token)
            // The paying card activates on claim (auto_activate) or here: either way, one activation.
            _ = try await server.post("/card/membercard/activate", token: token, json: MemberPayloads.activate(code: code, cardID: cardID))
            var browser = ConsoleBrowser(server)
            try await browser.signIn()
            let card = try await browser.get("/console/cards/\(cardID)")
            #expect(card.html.contains("No day has ended"))
            let phone = "/console/phone/\(openid(1))"
            let paid = try await browser.submit("\(phone)/pay", from: phone, ["card_id": cardID, "code": code, "mchid": "1900000109",
                                                                              "total_fee": "1000", "use_bonus": "0"])
            #expect(paid.location?.contains("notice=Paid") == true, "\(paid.location ?? "")")
            let overflow = try await browser.submit("\(phone)/pay", from: phone, ["card_id": cardID, "code": code, "mchid": "1900000109",
                                                                                  "total_fee": "99999999999999999999999"])
            #expect(overflow.location?.contains("problem=40097") == true)
            let payments = try await browser.get("/console/payments")
            #expect(payments.html.contains("1900000109") && payments.html.contains(">1000<") && payments.html.contains(">900<"))
            // A plain payment, no card: the pay-gift path.
            let plain = try await browser.submit("\(phone)/pay", from: phone, ["mchid": "1900000109", "total_fee": "300"])
            #expect(plain.location?.contains("notice=Paid") == true, "\(plain.location ?? "")")
            _ = try await browser.submit("/console/clock", from: "/console/overview", ["seconds": "86400"])
            let chart = try await browser.get("/console/cards/\(cardID)")
            #expect(chart.html.contains("<svg") && chart.html.contains(#"data-series="claims" data-values="1""#)
                && chart.html.contains(#"data-series="activations" data-values="1""#))
        }
    }
}

@Suite struct ConsoleMemberListTests {
    /// 45 members: pages of 20 by openid, each page's "next" link starting after its last code.
    @Test(arguments: TestEngine.available)
    func theMemberListPagesNewestFirst(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let cardID = try await server.createMemberCard(token: token)
            var codes: [String] = []
            for n in 1...45 {
                codes.append(try await server.claimCode(cardID, openid: openid(n), token: token))
            }
            var browser = ConsoleBrowser(server)
            try await browser.signIn()
            func listed(_ html: String) -> [String] {
                codes.filter { html.contains("/console/members/\(cardID)/\($0)\"") }
            }
            let first = try await browser.get("/console/members")
            #expect(Set(listed(first.html)) == Set(codes.prefix(20)) && !first.html.contains("id=\"previous\""))
            let secondLink = try #require(first.html.firstMatch(#"href="([^"]+)" id="next""#)).replacingOccurrences(of: "&amp;", with: "&")
            let second = try await browser.get(secondLink)
            #expect(Set(listed(second.html)) == Set(codes[20..<40]) && second.html.contains("id=\"previous\""))
            let thirdLink = try #require(second.html.firstMatch(#"href="([^"]+)" id="next""#)).replacingOccurrences(of: "&amp;", with: "&")
            let third = try await browser.get(thirdLink)
            #expect(Set(listed(third.html)) == Set(codes.suffix(5)) && !third.html.contains("id=\"next\""))
            // A cursor past the end: an empty page, no error.
            let past = try await browser.get("/console/members?after_openid=zzz&after_card=z&after_code=z")
            #expect(listed(past.html).isEmpty && past.status == .ok)
        }
    }
}
