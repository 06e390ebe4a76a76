import Foundation
import Hummingbird

/// Members (search, a member with the ledger), the push journal, payments and pay-gift rules.
extension ConsoleRoutes {
    static let membersPerPage = 20

    func registerMembers(on router: some RouterMethods<WXRequestContext>) {
        page("/console/members", on: router) { request, _, session in
            let appid = try appid(session)
            let query = ConsoleForm.query(request)
            let search = query.text("q")
            // The next page starts after the last code shown (all three parts, or none).
            var after: ConsoleStore.MemberCursor?
            if let openid = query["after_openid"], let card = query["after_card"], let code = query["after_code"] {
                after = .init(openid: openid, cardID: card, code: code)
            }
            let cards = try await services.cards.cards.all(appid: appid)
            let rows = try await reads.members(appid: appid, query: search, cardIDs: cards.map(\.cardID), after: after,
                                               limit: Self.membersPerPage)
            let titles = Dictionary(cards.map { ($0.cardID, $0.baseInfo.string("title") ?? "") }, uniquingKeysWith: { first, _ in first })
            let shown = rows.prefix(Self.membersPerPage)
            let members: [[String: Any]] = shown.map {
                ["cardID": $0.card_id, "code": $0.code, "openid": $0.openid, "codePath": ConsoleText.path($0.code),
                 "openidPath": ConsoleText.path($0.openid), "status": $0.status, "bonus": $0.bonus,
                 "balance": $0.balance, "title": titles[$0.card_id] ?? $0.card_id]
            }
            func link(after last: ConsoleStore.MemberRow?) -> String {
                var parts: [String] = []
                if let search { parts.append("q=" + ConsoleText.path(search)) }
                if let last {
                    parts += ["after_openid=" + ConsoleText.path(last.openid), "after_card=" + ConsoleText.path(last.card_id),
                              "after_code=" + ConsoleText.path(last.code)]
                }
                return "/console/members" + (parts.isEmpty ? "" : "?" + parts.joined(separator: "&"))
            }
            var values: [String: Any] = ["members": members, "query": search ?? ""]
            if after != nil { values["previous"] = link(after: nil) }
            if rows.count > Self.membersPerPage, let last = shown.last { values["next"] = link(after: last) }
            return render("members", title: "Members", session: session, request: request, values)
        }
        page("/console/members/:card_id/:code", on: router) { request, context, session in
            let appid = try appid(session)
            let cardID = context.parameters.get("card_id") ?? "", code = context.parameters.get("code") ?? ""
            guard let held = try await services.members.store.held(appid: appid, cardID: cardID, code: code) else {
                throw ConsoleMissing("This app has no code \(code) of card \(cardID).")
            }
            let ledger: [[String: Any]] = try await services.members.store.ledger(appid: appid, cardID: cardID, code: code).reversed().map {
                ["seq": $0.seq, "time": ConsoleText.time($0.time), "kind": $0.kind, "delta": MessageRules.signed($0.delta),
                 "result": $0.result, "record": $0.record ?? "", "source": $0.source]
            }
            let user = held.userCard
            let customFields: [[String: Any]] = ConsoleCardFace(card: held.card, held: user).fields
                .filter { $0.label != "Points" && $0.label != "Balance" }.map { ["label": $0.label, "value": $0.value] }
            let formFields: [[String: Any]] = ["common_field_list", "custom_field_list"].flatMap { key in
                (user.userInfo[key]?.arrayValue ?? []).compactMap(\.objectValue).map { item -> [String: Any] in
                    let value = item.string("value") ?? (item["value_list"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ")
                    return ["name": item.string("name") ?? "", "value": value]
                }
            }
            let member: [String: Any] = [
                "code": user.code, "openid": user.openid, "openidPath": ConsoleText.path(user.openid), "nickname": held.profile.nickname,
                "status": UserCardRules.effectiveStatus(user, card: held.card, now: try await services.clock.now()).rawValue,
                "activated": user.activated ? "yes" : "no", "membershipNumber": user.membershipNumber,
                "bonus": user.bonus, "balance": user.balance, "customFields": customFields,
                "formFields": formFields, "hasFormFields": !formFields.isEmpty, "ledger": ledger,
                "face": ConsoleCardFace(card: held.card, held: user),
            ]
            return render("member", title: user.code, session: session, request: request, ["member": member])
        }
        page("/console/pushes", on: router) { request, _, session in
            let appid = try appid(session)
            let server = try await services.pushes.server(appid: appid)
            let entries: [[String: Any]] = try await services.pushes.journal(appid: appid, .init(limit: 100)).map { entry in
                ["id": entry.id, "event": entry.event, "openid": entry.openid, "state": entry.state.rawValue,
                 "created": ConsoleText.time(entry.create_time), "xml": entry.xml,
                 "attempts": entry.attempts.map { attempt -> [String: Any] in
                     ["time": ConsoleText.time(attempt.time), "status": attempt.status.map(String.init) ?? "no answer",
                      "latency": attempt.latency_ms, "response": attempt.response]
                 }]
            }
            return render("pushes", title: "Pushes", session: session, request: request,
                          ["entries": entries, "server": server.map(\.url) ?? "none set (pushes wait until one is)"])
        }
        action("/console/pushes/:id/redeliver", on: router, back: { _ in "/console/pushes" }) { session, action in
            let entry = try await services.delivery.redeliver(appid: try appid(session), id: action.parameter("id"))
            let outcome = entry.attempts.last.map { $0.status.map { "HTTP \($0)" } ?? $0.response } ?? "no attempt"
            return redirect("/console/pushes", notice: "Redelivered \(entry.event): \(outcome).")
        }
        page("/console/requests", on: router) { request, _, session in
            let appid = try appid(session)
            guard let journal = services.journal else {
                return render("requests", title: "Requests", session: session, request: request, ["off": true, "entries": [Any]()])
            }
            let entries: [[String: Any]] = try await journal.entries(appid: appid, .init(limit: 100)).map { row in
                ["time": ConsoleText.time(row.time), "method": row.method, "path": row.path,
                 "errcode": row.errcode.map(String.init) ?? "dropped", "latency": row.latency_ms, "fault": row.fault_id ?? "",
                 "rid": row.rid, "body": row.body]
            }
            return render("requests", title: "Requests", session: session, request: request, ["entries": entries])
        }
        page("/console/payments", on: router) { request, _, session in
            let appid = try appid(session)
            let payments: [[String: Any]] = try await reads.payments(appid: appid, limit: 200).map {
                ["time": ConsoleText.time($0.time), "transactionID": $0.transaction_id, "openid": $0.openid, "mchid": $0.mchid,
                 "totalFee": $0.total_fee, "actualFee": $0.actual_fee, "bonusUsed": $0.bonus_used, "bonusAdded": $0.bonus_added,
                 "code": $0.code ?? "", "giftCardID": $0.gift_card_id ?? ""]
            }
            let rules = try await services.payGift.list(appid: appid, type: nil, effective: false, offset: 0, count: 100).rules.map(Self.ruleRow)
            return render("payments", title: "Payments", session: session, request: request, ["payments": payments, "rules": rules])
        }
    }
}
