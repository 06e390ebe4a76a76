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
            return OK(ListAnswer(list: days.map { DayRow.bizuin(day: $0.day, $0.row) }))
        }
        router.wechatPOST("/datacube/getcardcardinfo") { request, context in
            let body = try await JSONBody.decode([String: JSONValue].self, from: request)
            let rows = try await dataCube.coupons(appid: try context.requireAppID(), body: body)
            return OK(ListAnswer(list: rows.map { DayRow.coupon(card: $0.card, day: $0.day, $0.row) }))
        }
        router.wechatPOST("/datacube/getcardmembercardinfo") { request, context in
            let body = try await JSONBody.decode([String: JSONValue].self, from: request)
            let days = try await dataCube.overview(appid: try context.requireAppID(), body: body, memberCards: true)
            return OK(ListAnswer(list: days.map { DayRow.memberCards(day: $0.day, $0.row) }))
        }
        router.wechatPOST("/datacube/getcardmembercarddetail") { request, context in
            let body = try await JSONBody.decode([String: JSONValue].self, from: request)
            let detail = try await dataCube.memberCard(appid: try context.requireAppID(), body: body)
            return OK(ListAnswer(list: detail.days.map { DayRow.memberCard(card: detail.card, day: $0.day, $0.row) }))
        }
    }

    struct ListAnswer: Encodable, Sendable { let list: [DayRow] }

    /// One row of a report: `ref_date`, the `<kind>_cnt` / `<kind>_user` pairs the report has,
    /// and its own fields. One shape for the four reports, which differ only in those lists.
    struct DayRow: Encodable, Sendable {
        enum Value: Encodable, Sendable {
            case int(Int64), text(String)
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch self {
                case .int(let number): try container.encode(number)
                case .text(let text): try container.encode(text)
                }
            }
        }

        struct Key: CodingKey {
            let stringValue: String
            init(stringValue: String) { self.stringValue = stringValue }
            var intValue: Int? { nil }
            init?(intValue: Int) { nil }
        }

        let fields: [(String, Value)]

        init(day: Int64, _ row: StatsRollup.Row, kinds: [CardActivity.Kind], extra: [(String, Value)] = []) {
            var fields: [(String, Value)] = [("ref_date", .text(ChinaDay.format(day)))]
            for kind in kinds {
                fields.append(("\(kind.rawValue)_cnt", .int(row.count(kind))))
                fields.append(("\(kind.rawValue)_user", .int(row.users(kind))))
            }
            self.fields = fields + extra
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            for (name, value) in fields { try container.encode(value, forKey: Key(stringValue: name)) }
        }

        /// `getcardbizuininfo`: all cards of a source.
        static func bizuin(day: Int64, _ row: StatsRollup.Row) -> DayRow {
            DayRow(day: day, row, kinds: [.view, .receive, .verify, .given, .expire])
        }

        /// `getcardcardinfo`: one coupon, with `card_type` as datacube numbers it.
        static func coupon(card: CardDefinition, day: Int64, _ row: StatsRollup.Row) -> DayRow {
            DayRow(day: day, row, kinds: [.view, .receive, .verify, .given, .expire],
                   extra: [("card_id", .text(card.cardID)), ("card_type", .int(DataCubeRules.couponType(card.type) ?? 0))])
        }

        /// `getcardmembercardinfo`: the member cards of a source together.
        static func memberCards(day: Int64, _ row: StatsRollup.Row) -> DayRow {
            DayRow(day: day, row, kinds: [.view, .receive, .active, .verify],
                   extra: [("total_user", .int(row.totalUser)), ("total_receive_user", .int(row.totalReceiveUser))])
        }

        /// `getcardmembercarddetail`: one member card. A card made for a sub-merchant (代制) has
        /// `merchanttype` 1 and its `submerchantid`; the account's own cards have 0 and 0.
        static func memberCard(card: CardDefinition, day: Int64, _ row: StatsRollup.Row) -> DayRow {
            let subMerchant = CardRules.subMerchantID(card.body)
            return DayRow(day: day, row, kinds: [.view, .receive, .verify, .active], extra: [
                ("merchanttype", .int(subMerchant == nil ? 0 : 1)), ("cardid", .text(card.cardID)),
                ("submerchantid", .int(subMerchant ?? 0)),
                ("total_user", .int(row.totalUser)), ("total_receive_user", .int(row.totalReceiveUser)), ("new_user", .int(row.newUser)),
                ("payOriginalFee", .int(row.originalFee)), ("fee", .int(row.fee)),
            ])
        }
    }
}
