/// Sub-merchants (代制): a card-enabled account applies for merchants without an account of
/// their own, WeChat reviews them (the sandbox stands in), and approved ones get cards made
/// for them (`sub_merchant_info.merchant_id` on `/card/create`).
public struct SubMerchants: Sendable {
    let store: Store
    let merchants: SubMerchantStore
    let clock: ServerClock

    public init(store: Store, clock: ServerClock) {
        self.store = store
        self.merchants = SubMerchantStore(store: store)
        self.clock = clock
    }

    /// One application as WeChat answers it (`info`).
    public struct View: Encodable, Sendable {
        let merchant_id: Int64
        let app_id: String
        let create_time: Int64
        let update_time: Int64
        let brand_name: String
        let logo_url: String
        let status: String
        let begin_time: Int64
        let end_time: Int64
        let primary_category_id: Int64
        let secondary_category_id: Int64
    }

    func view(_ row: SubMerchantStore.Row, now: Int64) -> View {
        View(merchant_id: row.merchantID, app_id: row.info.appID, create_time: row.createTime, update_time: row.updateTime,
             brand_name: row.info.brandName, logo_url: row.info.logoURL,
             status: SubMerchantRules.shown(row.status, endTime: row.info.endTime, now: now).rawValue,
             begin_time: row.beginTime, end_time: row.info.endTime, primary_category_id: row.info.primaryCategoryID,
             secondary_category_id: row.info.secondaryCategoryID)
    }

    public func submit(appid: String, _ fields: SubMerchantRules.Fields?) async throws -> View {
        guard let fields else { throw WeChatError.missingRequiredFields.detail("missing info") }
        let now = try await clock.now()
        let info = try SubMerchantRules.check(fields, over: nil, now: now)
        return view(try await merchants.insert(appid: appid, info, now: now), now: now)
    }

    public func update(appid: String, _ fields: SubMerchantRules.Fields?) async throws -> View {
        guard let fields else { throw WeChatError.missingRequiredFields.detail("missing info") }
        guard let merchantID = fields.merchant_id else { throw WeChatError.missingRequiredFields.detail("missing info.merchant_id") }
        let now = try await clock.now()
        guard let stored = try await merchants.find(appid: appid, merchantID: merchantID) else { throw WeChatError.invalidSubMerchantID }
        let info = try SubMerchantRules.check(fields, over: stored.info, now: now)
        guard let row = try await merchants.update(appid: appid, merchantID: merchantID, info, now: now) else {
            throw WeChatError.invalidSubMerchantID
        }
        return view(row, now: now)
    }

    public func get(appid: String, merchantID: Int64?) async throws -> View {
        guard let merchantID else { throw WeChatError.missingRequiredFields.detail("missing merchant_id") }
        guard let row = try await merchants.find(appid: appid, merchantID: merchantID) else { throw WeChatError.invalidSubMerchantID }
        return view(row, now: try await clock.now())
    }

    public func list(appid: String, beginID: Int64?, limit: Int?, status: String?) async throws -> (views: [View], next: Int64) {
        let limit = limit ?? SubMerchantRules.maxBatch
        guard (1...SubMerchantRules.maxBatch).contains(limit) else {
            throw WeChatError.invalidArgs.detail("limit must be from 1 to \(SubMerchantRules.maxBatch)")
        }
        let begin = beginID ?? 0
        guard begin >= 0 else { throw WeChatError.invalidArgs.detail("begin_id must not be negative") }
        var filter: SubMerchantRules.Status?
        if let status {
            guard let known = SubMerchantRules.Status(rawValue: status) else {
                throw WeChatError.invalidArgs.detail("status must be CHECKING, APPROVED, REJECTED or EXPIRED")
            }
            filter = known
        }
        let now = try await clock.now()
        let rows = try await merchants.list(appid: appid, after: begin, limit: limit, status: filter, now: now)
        return (rows.map { view($0, now: now) }, rows.last?.merchantID ?? begin)
    }

    /// WeChat's review (sandbox): CHECKING becomes APPROVED or REJECTED, and
    /// `card_merchant_check_result` is pushed.
    public func review(appid: String, merchantID: Int64?, result: String?, reason: String?) async throws -> View {
        guard let merchantID else { throw WeChatError.missingRequiredFields.detail("missing merchant_id") }
        guard let result else { throw WeChatError.missingRequiredFields.detail("missing result") }
        guard result == "pass" || result == "reject" else { throw WeChatError.invalidArgs.detail("result must be pass or reject") }
        let reason = reason ?? ""
        guard reason.utf8.count <= 256 else { throw WeChatError.outOfLengthLimit.detail("reason is at most 256 bytes") }
        let now = try await clock.now()
        let pass = result == "pass"
        try await store.write { db in
            guard let row = try await SubMerchantStore.find(db, appid: appid, merchantID: merchantID) else {
                throw WeChatError.invalidSubMerchantID
            }
            guard SubMerchantRules.shown(row.status, endTime: row.info.endTime, now: now) == .checking,
                  try await SubMerchantStore.review(db, appid: appid, merchantID: merchantID, to: pass ? .approved : .rejected,
                                                    reason: pass ? "" : reason, now: now)
            else { throw WeChatError.invalidSubMerchantStatus.detail("only a CHECKING sub-merchant is reviewed") }
            try await Pushes.record(db, appid: appid, .merchantCheckResult(merchantID: merchantID, pass: pass, reason: pass ? "" : reason),
                                    now: now)
        }
        return try await get(appid: appid, merchantID: merchantID)
    }

    /// For `/card/create` with `sub_merchant_info`: the sub-merchant must be this account's and
    /// APPROVED (40139, 40140), and the card type one a sub-merchant may have (45042).
    public func checkCardMaker(appid: String, merchantID: Int64, cardType: String) async throws {
        guard let row = try await merchants.find(appid: appid, merchantID: merchantID) else { throw WeChatError.invalidSubMerchantID }
        guard SubMerchantRules.shown(row.status, endTime: row.info.endTime, now: try await clock.now()) == .approved else {
            throw WeChatError.invalidSubMerchantStatus.detail("the sub-merchant is not APPROVED")
        }
        guard !SubMerchantRules.refusedCardTypes.contains(cardType) else { throw WeChatError.subMerchantCardType }
    }
}

extension WeChatError {
    public static let invalidSubMerchantID = WeChatError(40139, "invalid sub merchant id")
    public static let invalidSubMerchantStatus = WeChatError(40140, "invalid sub merchant status")
    public static let subMerchantCardType = WeChatError(45042, "limit card type, this card type can NOT create by sub merchant")
}
