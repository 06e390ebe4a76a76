import Foundation
import Hummingbird

/// Cards: the list, a card's page, the create form and the review buttons.
extension ConsoleRoutes {
    func registerCards(on router: some RouterMethods<WXRequestContext>) {
        page("/console/cards", on: router) { request, _, session in
            let cards = try await services.cards.cards.all(appid: try appid(session))
            let rows: [[String: Any]] = cards.sorted { $0.createTime > $1.createTime }.map { card in
                ["cardID": card.cardID, "title": card.baseInfo.string("title") ?? "", "type": card.type.rawValue,
                 "status": card.status.rawValue, "quantity": card.quantity, "total": card.totalQuantity,
                 "colorHex": ConsoleCardFace.hex(card.baseInfo.string("color"))]
            }
            return render("cards", title: "Cards", session: session, request: request, ["cards": rows])
        }
        page("/console/cards/new", on: router) { request, _, session in
            _ = try appid(session)
            return render("newCard", title: "Create a card", session: session, request: request,
                          ["form": Self.defaultCardForm, "colors": Self.colorOptions(selected: "Color010")])
        }
        action("/console/cards", on: router, back: { _ in "/console/cards/new" }) { session, action in
            let appid = try appid(session)
            let cardID = try await services.cards.create(appid: appid, card: Self.memberCard(from: action.form), source: .console)
            return redirect("/console/cards/\(cardID)", notice: "Card created.")
        }
        page("/console/cards/:card_id", on: router) { request, context, session in
            let appid = try appid(session)
            let cardID = context.parameters.get("card_id") ?? ""
            guard let card = try await services.cards.cards.card(appid: appid, cardID: cardID) else {
                throw ConsoleMissing("This app has no card \(cardID).")
            }
            return render("card", title: card.baseInfo.string("title") ?? cardID, session: session, request: request,
                          ["card": try await cardPage(card)])
        }
        action("/console/cards/:card_id/review", on: router, back: { "/console/cards/\($0.parameters.get("card_id") ?? "")" }) { session, action in
            guard services.sandbox else { throw WeChatError.apiUnauthorized.detail("the sandbox is off: WeChat reviews cards") }
            let cardID = action.parameter("card_id")
            let pass = action.form.flag("pass")
            try await services.cards.review(appid: try appid(session), cardID: cardID, pass: pass, reason: action.form.text("reason"))
            return redirect("/console/cards/\(cardID)", notice: pass ? "The card passed review." : "The card was rejected.")
        }
    }

    private func cardPage(_ card: CardDefinition) async throws -> [String: Any] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(JSONValue.object(card.body)), as: UTF8.self)
        let now = try await services.clock.now()
        let qrCodes: [[String: Any]] = try await reads.qrCodes(appid: card.appid, limit: 200).compactMap { row in
            let carried = (try? JSONValue.parse(row.cards))?.arrayValue?.compactMap { $0.objectValue?.string("card_id") } ?? []
            guard carried.contains(card.cardID) else { return nil }
            var entry: [String: Any] = ["ticket": row.ticket, "actionName": row.action_name]
            if let expires = row.expire_time { entry["expires"] = ConsoleText.time(expires) }
            // The image is the one `show_qrcode_url` points at; an expired ticket has none (404).
            if row.expire_time.map({ $0 > now }) ?? true {
                let ticket = row.ticket.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? row.ticket
                entry["image"] = "/cgi-bin/showqrcode?ticket=\(ticket)"
            }
            return entry
        }
        let rules = try await services.payGift.list(appid: card.appid, type: nil, effective: false, offset: 0, count: 100).rules
            .filter { $0.cardID == card.cardID }.map(Self.ruleRow)
        var page: [String: Any] = [
            "cardID": card.cardID, "title": card.baseInfo.string("title") ?? "", "type": card.type.rawValue,
            "status": card.status.rawValue, "quantity": card.quantity, "total": card.totalQuantity,
            "source": card.source == .console ? "in the console (cond_source 0)" : "through the API (cond_source 1)",
            "face": ConsoleCardFace(card: card), "json": json, "qrCodes": qrCodes, "rules": rules,
            // Reviewing is WeChat's side, played under /sandbox: not in production mode.
            "reviewable": services.sandbox && services.cards.reviewMode == .manual && card.status == .notVerify,
        ]
        if let chart = try await chart(card) { page["chart"] = ["svg": chart.svg] }
        return page
    }

    /// Claims, activations and consumptions over the last 30 closed days (at most), from the
    /// same closed-day statistics `/datacube` answers.
    private func chart(_ card: CardDefinition) async throws -> ConsoleChart? {
        let today = ChinaDay.of(try await services.clock.now())
        let last = today - 1, first = max(ChinaDay.of(card.createTime), today - 30)
        guard first <= last else { return nil }
        var body: [String: JSONValue] = [
            "begin_date": .string(ChinaDay.format(first)), "end_date": .string(ChinaDay.format(last)), "card_id": .string(card.cardID),
        ]
        var rows: [Int64: StatsRollup.Row] = [:]
        if card.isMemberCard {
            for day in try await services.dataCube.memberCard(appid: card.appid, body: body).days { rows[day.day] = day.row }
        } else {
            body["cond_source"] = .int(card.source.rawValue)
            for entry in try await services.dataCube.coupons(appid: card.appid, body: body) { rows[entry.day] = entry.row }
        }
        let days = Array(first...last)
        func values(_ kind: CardActivity.Kind) -> [Int64] { days.map { rows[$0]?.count(kind) ?? 0 } }
        return ConsoleChart(days: days, series: [
            .init(name: "claims", color: "#07c160", values: values(.receive)),
            .init(name: "activations", color: "#576b95", values: values(.active)),
            .init(name: "consumptions", color: "#fa9d3b", values: values(.verify)),
        ])
    }

    static func ruleRow(_ rule: PayGiftRule) -> [String: Any] {
        ["ruleID": rule.ruleID, "cardID": rule.cardID, "leastCost": rule.leastCost, "mchids": rule.mchidList.joined(separator: ", "),
         "begin": ConsoleText.time(rule.beginTime), "end": ConsoleText.time(rule.endTime), "status": rule.status.rawValue]
    }

    static var defaultCardForm: [String: Any] { [
        "title": "", "brandName": "", "logoURL": "http://mmbiz.qpic.cn/mmbiz/logo.png", "notice": "Show this card at the counter",
        "description": "", "prerogative": "", "quantity": "1000", "supplyBonus": true, "supplyBalance": false, "autoActivate": false,
    ] }

    static func colorOptions(selected: String) -> [[String: Any]] {
        ConsoleCardFace.colors.map { ["name": $0.name, "hex": $0.hex, "selected": $0.name == selected] }
    }

    /// The form as a `/card/create` body: the API's rules then judge it, so the console makes
    /// no card the API would refuse.
    static func memberCard(from form: ConsoleForm) throws -> [String: JSONValue] {
        let quantity = try form.integer("quantity", in: 0...Ranges.clock.upperBound) ?? 0
        func text(_ name: String) -> JSONValue { .string(form.text(name) ?? "") }
        let baseInfo: [String: JSONValue] = [
            "logo_url": text("logo_url"), "brand_name": text("brand_name"), "code_type": .string("CODE_TYPE_QRCODE"),
            "title": text("title"), "color": text("color"), "notice": text("notice"), "description": text("description"),
            "date_info": .object(["type": .string("DATE_TYPE_PERMANENT")]), "sku": .object(["quantity": .int(quantity)]),
            "get_limit": .int(1), "can_give_friend": .bool(true),
        ]
        return ["card_type": .string("MEMBER_CARD"), "member_card": .object([
            "base_info": .object(baseInfo), "prerogative": text("prerogative"),
            "supply_bonus": .bool(form.flag("supply_bonus")), "supply_balance": .bool(form.flag("supply_balance")),
            "auto_activate": .bool(form.flag("auto_activate")),
        ])]
    }
}
