import Hummingbird

/// `/card/paygiftcard/*` (Member card 8.4, Member card 8.4).
public struct PayGiftRoutes: Sendable {
    let payGift: PayGift

    public init(payGift: PayGift) { self.payGift = payGift }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/card/paygiftcard/add") { request, context in
            let body = try await JSONBody.decode([String: JSONValue].self, from: request)
            let added = try await payGift.add(appid: try context.requireAppID(), body: body)
            return OK(AddAnswer(rule_id: added.ruleID ?? 0, succ_mchid_list: added.succeeded, fail_mchid_list: added.failed))
        }
        router.wechatPOST("/card/paygiftcard/delete") { request, context in
            let body = try await JSONBody.decode(RuleRequest.self, from: request)
            try await payGift.delete(appid: try context.requireAppID(), ruleID: body.rule_id)
            return OK.ok
        }
        router.wechatPOST("/card/paygiftcard/getbyid") { request, context in
            let body = try await JSONBody.decode(RuleRequest.self, from: request)
            return OK(RuleAnswer(rule_info: RuleInfo(try await payGift.rule(appid: try context.requireAppID(), ruleID: body.rule_id))))
        }
        router.wechatPOST("/card/paygiftcard/batchget") { request, context in
            let body = try await JSONBody.decode(BatchRequest.self, from: request)
            let page = try await payGift.list(appid: try context.requireAppID(), type: body.type, effective: body.effective,
                                              offset: body.offset, count: body.count)
            return OK(BatchAnswer(total_count: page.total, rule_list: page.rules.map(RuleInfo.init)))
        }
    }

    struct RuleRequest: CheckedBody {
        static let schema: [String: Field] = ["rule_id": .required(.int)]
        let rule_id: Int64?
    }
    struct BatchRequest: CheckedBody {
        static let schema: [String: Field] = [
            "type": .optional(.enumeration([PayGiftRules.memberCardRuleType])), "effective": .optional(.bool),
            "offset": .optional(.int), "count": .optional(.int),
        ]
        let type: String?; let effective: Bool?; let offset: Int?; let count: Int?
    }

    struct AddAnswer: Encodable, Sendable { let rule_id: Int64; let succ_mchid_list: [String]; let fail_mchid_list: [MchidFailure] }
    struct RuleAnswer: Encodable, Sendable { let rule_info: RuleInfo }
    struct BatchAnswer: Encodable, Sendable { let total_count: Int; let rule_list: [RuleInfo] }

    /// `rule_info` as getbyid shows it, with the rule's id beside its type (so a listed rule can
    /// be deleted).
    struct RuleInfo: Encodable, Sendable {
        struct BaseInfo: Encodable, Sendable {
            let mchid_list: [String]
            let begin_time: Int64, end_time: Int64
            let status: String
            let create_time: Int64, update_time: Int64
        }
        struct MemberRule: Encodable, Sendable {
            let card_id: String
            let least_cost: Int64, max_cost: Int64
            let jump_url: String?, app_brand_id: String?, app_brand_pass: String?
        }
        let rule_id: Int64
        let type: String
        let base_info: BaseInfo
        let member_rule: MemberRule

        init(_ rule: PayGiftRule) {
            rule_id = rule.ruleID
            type = rule.type
            base_info = BaseInfo(mchid_list: rule.mchidList, begin_time: rule.beginTime, end_time: rule.endTime,
                                 status: rule.status.rawValue, create_time: rule.createTime, update_time: rule.updateTime)
            member_rule = MemberRule(card_id: rule.cardID, least_cost: rule.leastCost, max_cost: rule.maxCost,
                                     jump_url: rule.jumpURL, app_brand_id: rule.appBrandID, app_brand_pass: rule.appBrandPass)
        }
    }
}
