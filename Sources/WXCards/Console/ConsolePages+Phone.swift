import Foundation
import Hummingbird

/// The phone view: what one user's WeChat shows (wallet, card faces, inbox) and the buttons
/// of what a user does. Each button calls the same service as its `/sandbox` route, so pushes,
/// messages and statistics follow as they do there.
extension ConsoleRoutes {
    func registerPhone(on router: some RouterMethods<WXRequestContext>) {
        page("/console/phone/:openid", on: router) { request, context, session in
            let appid = try appid(session)
            let openid = context.parameters.get("openid") ?? ""
            guard (try? UserCardRules.checkOpenid(openid)) != nil else { throw ConsoleMissing("\(openid) is not an openid.") }
            return render("phone", title: "Phone of \(openid)", session: session, request: request,
                          try await phonePage(appid: appid, openid: openid))
        }
        let back: @Sendable (WXRequestContext) -> String = { "/console/phone/\(ConsoleText.path($0.parameters.get("openid") ?? ""))" }
        action("/console/phone/:openid/claim", on: router, back: back) { session, action in
            let openid = action.parameter("openid")
            let claimed = try await services.members.claim(
                appid: try appid(session), cardID: action.form.text("card_id"), ticket: action.form.text("ticket"), openid: openid,
                code: action.form.text("code"), outerStr: nil)
            return redirect(back(action.context), notice: "Claimed: code \(claimed.code).")
        }
        action("/console/phone/:openid/submit", on: router, back: back) { session, action in
            var common: [JSONValue] = [], custom: [JSONValue] = []
            for (key, value) in action.form.values.sorted(by: { $0.key < $1.key }) where !value.isEmpty {
                let item = JSONValue.object(["name": .string(String(key.drop { $0 != ":" }.dropFirst())), "value": .string(value)])
                if key.hasPrefix("common:") { common.append(item) } else if key.hasPrefix("custom:") { custom.append(item) }
            }
            _ = try await services.members.submitForm(appid: try appid(session), body: [
                "openid": .string(action.parameter("openid")), "card_id": .string(action.form.text("card_id") ?? ""),
                "code": .string(action.form.text("code") ?? ""), "common_field_list": .array(common), "custom_field_list": .array(custom),
            ])
            return redirect(back(action.context), notice: "Form submitted.")
        }
        action("/console/phone/:openid/gift", on: router, back: back) { session, action in
            let code = try await services.members.gift(
                appid: try appid(session), cardID: action.form.text("card_id"), code: action.form.text("code"),
                openid: action.parameter("openid"), toOpenid: action.form.text("to_openid"), accept: true)
            return redirect(back(action.context), notice: "Given to \(action.form.text("to_openid") ?? "")\(code.map { ": their code is \($0)" } ?? "").")
        }
        action("/console/phone/:openid/delete", on: router, back: back) { session, action in
            try await services.members.userDelete(appid: try appid(session), cardID: action.form.text("card_id"),
                                                  code: action.form.text("code"), openid: action.parameter("openid"))
            return redirect(back(action.context), notice: "Deleted from the wallet.")
        }
        action("/console/phone/:openid/pay", on: router, back: back) { session, action in
            let request = PaymentRules.Request(
                mchid: action.form.text("mchid"), openid: action.parameter("openid"),
                total_fee: try action.form.integer("total_fee", in: Ranges.fen), card_id: action.form.text("card_id"),
                code: action.form.text("code"), use_bonus: try action.form.integer("use_bonus", in: Ranges.fen))
            let payment = try await services.payGift.pay(appid: try appid(session), request: request)
            return redirect(back(action.context), notice: "Paid \(payment.actual_fee) fen (transaction \(payment.transaction_id)).")
        }
    }

    private func phonePage(appid: String, openid: String) async throws -> [String: Any] {
        let now = try await services.clock.now()
        let held = try await services.members.store.bag(appid: appid, openid: openid, cardID: nil, limit: 100)
        var wallet: [[String: Any]] = []
        for card in held {
            var entry: [String: Any] = [
                "cardID": card.card.cardID, "code": card.userCard.code, "face": ConsoleCardFace(card: card.card, held: card.userCard),
                "status": UserCardRules.effectiveStatus(card.userCard, card: card.card, now: now).rawValue,
                "activated": card.userCard.activated,
            ]
            if let form = try await services.members.store.form(appid: appid, cardID: card.card.cardID) {
                let canModify = ["required_form", "optional_form"].contains { form.object($0)?.bool("can_modify") == true }
                if !card.userCard.activated || canModify { entry["form"] = ["fields": Self.formFields(form)] }
            }
            wallet.append(entry)
        }
        let claimable: [[String: Any]] = try await services.cards.cards.all(appid: appid)
            .filter { $0.status != .delete }.sorted { $0.createTime > $1.createTime }
            .map { ["cardID": $0.cardID, "title": $0.baseInfo.string("title") ?? $0.cardID] }
        let messages: [[String: Any]] = try await services.members.messages(appid: appid, openid: openid, page: ListPage(offset: 0, count: 50))
            .messages.map { message in
                var row: [String: Any] = ["time": ConsoleText.time(message.time), "text": message.text]
                if let link = message.link?.jump_url ?? message.link?.app_brand_id { row["link"] = link }
                return row
            }
        let nickname = try await reads.nickname(appid: appid, openid: openid)
        return ["openid": openid, "openidPath": ConsoleText.path(openid), "nickname": nickname ?? UserProfile.defaults(openid: openid).nickname,
                "wallet": wallet, "claimable": claimable, "messages": messages]
    }

    /// The inputs of an activation form: its common fields (`common:NAME`) and custom fields
    /// (`custom:NAME`), the required ones first.
    static func formFields(_ form: [String: JSONValue]) -> [[String: Any]] {
        var fields: [[String: Any]] = []
        for (key, required) in [("required_form", true), ("optional_form", false)] {
            let part = form.object(key) ?? [:]
            for name in part["common_field_id_list"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                fields.append(["kind": "common", "name": name, "label": commonLabels[name] ?? name, "required": required, "hasOptions": false])
            }
            for name in part["custom_field_list"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                fields.append(["kind": "custom", "name": name, "label": name, "required": required, "hasOptions": false])
            }
            // Rich fields (radio, select, check box) answer one of their values.
            for rich in part["rich_field_list"]?.arrayValue?.compactMap(\.objectValue) ?? [] {
                guard let name = rich.string("name") else { continue }
                let options = (rich["values"]?.arrayValue ?? []).compactMap(\.stringValue).map { ["value": $0] }
                fields.append(["kind": "custom", "name": name, "label": name, "required": required,
                               "hasOptions": !options.isEmpty, "options": options])
            }
        }
        return fields
    }

    static let commonLabels: [String: String] = [
        "USER_FORM_INFO_FLAG_MOBILE": "mobile", "USER_FORM_INFO_FLAG_SEX": "sex", "USER_FORM_INFO_FLAG_NAME": "name",
        "USER_FORM_INFO_FLAG_BIRTHDAY": "birthday", "USER_FORM_INFO_FLAG_IDCARD": "ID card", "USER_FORM_INFO_FLAG_EMAIL": "email",
        "USER_FORM_INFO_FLAG_LOCATION": "address", "USER_FORM_INFO_FLAG_EDUCATION_BACKGRO": "education",
        "USER_FORM_INFO_FLAG_INDUSTRY": "industry", "USER_FORM_INFO_FLAG_INCOME": "income", "USER_FORM_INFO_FLAG_HABIT": "hobbies",
    ]
}
