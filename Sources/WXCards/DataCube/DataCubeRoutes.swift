import Hummingbird

/// `/datacube/getcard*`: the four card statistics reports, with WeChat's field names (its odd
/// spellings included: `cardid`, `submerchantid`, `merchanttype`, `payOriginalFee`).
public struct DataCubeRoutes: Sendable {
    let dataCube: DataCube

    public init(dataCube: DataCube) { self.dataCube = dataCube }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/datacube/getcardbizuininfo") { request, context in
            let body = try await JSONBody.decode([String: JSONValue].self, from: request)
            let days = try await dataCube.overview(appid: try context.requireAppID(), body: body, memberCards: false)
            return OK(ListAnswer(list: days.map { BizuinRow(day: $0.day, $0.row) }))
        }
        router.wechatPOST("/datacube/getcardcardinfo") { request, context in
            let body = try await JSONBody.decode([String: JSONValue].self, from: request)
            let rows = try await dataCube.coupons(appid: try context.requireAppID(), body: body)
            return OK(ListAnswer(list: rows.map { CouponRow(card: $0.card, day: $0.day, $0.row) }))
        }
        router.wechatPOST("/datacube/getcardmembercardinfo") { request, context in
            let body = try await JSONBody.decode([String: JSONValue].self, from: request)
            let days = try await dataCube.overview(appid: try context.requireAppID(), body: body, memberCards: true)
            return OK(ListAnswer(list: days.map { MemberCardsRow(day: $0.day, $0.row) }))
        }
        router.wechatPOST("/datacube/getcardmembercarddetail") { request, context in
            let body = try await JSONBody.decode([String: JSONValue].self, from: request)
            let detail = try await dataCube.memberCard(appid: try context.requireAppID(), body: body)
            return OK(ListAnswer(list: detail.days.map { MemberCardRow(cardID: detail.card.cardID, day: $0.day, $0.row) }))
        }
    }

    struct ListAnswer<Row: Encodable & Sendable>: Encodable, Sendable { let list: [Row] }

    /// `getcardbizuininfo`: all cards of a source.
    struct BizuinRow: Encodable, Sendable {
        let ref_date: String
        let view_cnt: Int64, view_user: Int64, receive_cnt: Int64, receive_user: Int64
        let verify_cnt: Int64, verify_user: Int64, given_cnt: Int64, given_user: Int64
        let expire_cnt: Int64, expire_user: Int64

        init(day: Int64, _ row: StatsRollup.Row) {
            ref_date = ChinaDay.format(day)
            view_cnt = row.count(.view); view_user = row.users(.view)
            receive_cnt = row.count(.receive); receive_user = row.users(.receive)
            verify_cnt = row.count(.verify); verify_user = row.users(.verify)
            given_cnt = row.count(.given); given_user = row.users(.given)
            expire_cnt = row.count(.expire); expire_user = row.users(.expire)
        }
    }

    /// `getcardcardinfo`: one coupon on one day, `getcardbizuininfo`'s fields with the card's id
    /// and `card_type` as datacube numbers it, in one flat object.
    struct CouponRow: Encodable, Sendable {
        let counters: BizuinRow
        let card_id: String
        let card_type: Int64

        init(card: CardDefinition, day: Int64, _ row: StatsRollup.Row) {
            counters = BizuinRow(day: day, row)
            card_id = card.cardID
            card_type = DataCubeRules.couponType(card.type) ?? 0
        }

        enum Keys: String, CodingKey { case card_id, card_type }

        func encode(to encoder: any Encoder) throws {
            try counters.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(card_id, forKey: .card_id)
            try container.encode(card_type, forKey: .card_type)
        }
    }

    /// `getcardmembercardinfo`: the member cards of a source together.
    struct MemberCardsRow: Encodable, Sendable {
        let ref_date: String
        let view_cnt: Int64, view_user: Int64, receive_cnt: Int64, receive_user: Int64
        let active_cnt: Int64, active_user: Int64, verify_cnt: Int64, verify_user: Int64
        let total_user: Int64, total_receive_user: Int64

        init(day: Int64, _ row: StatsRollup.Row) {
            ref_date = ChinaDay.format(day)
            view_cnt = row.count(.view); view_user = row.users(.view)
            receive_cnt = row.count(.receive); receive_user = row.users(.receive)
            active_cnt = row.count(.active); active_user = row.users(.active)
            verify_cnt = row.count(.verify); verify_user = row.users(.verify)
            total_user = row.totalUser; total_receive_user = row.totalReceiveUser
        }
    }

    /// `getcardmembercarddetail`: one member card. Sub-merchants do not exist yet, so
    /// `merchanttype` and `submerchantid` are 0.
    struct MemberCardRow: Encodable, Sendable {
        let ref_date: String
        let merchanttype: Int64
        let cardid: String
        let submerchantid: Int64
        let view_cnt: Int64, view_user: Int64, receive_cnt: Int64, receive_user: Int64
        let verify_cnt: Int64, verify_user: Int64, active_cnt: Int64, active_user: Int64
        let total_user: Int64, total_receive_user: Int64, new_user: Int64
        let payOriginalFee: Int64
        let fee: Int64

        init(cardID: String, day: Int64, _ row: StatsRollup.Row) {
            ref_date = ChinaDay.format(day)
            merchanttype = 0
            cardid = cardID
            submerchantid = 0
            view_cnt = row.count(.view); view_user = row.users(.view)
            receive_cnt = row.count(.receive); receive_user = row.users(.receive)
            verify_cnt = row.count(.verify); verify_user = row.users(.verify)
            active_cnt = row.count(.active); active_user = row.users(.active)
            total_user = row.totalUser; total_receive_user = row.totalReceiveUser; new_user = row.newUser
            payOriginalFee = row.originalFee
            fee = row.fee
        }
    }
}
