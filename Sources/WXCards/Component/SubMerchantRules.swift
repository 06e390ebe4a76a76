/// The rules of sub-merchants (代制, api-spec §9.4), as pure functions: the fields of an
/// application, its statuses, the card categories it picks from, and which card types a
/// sub-merchant may have.
public enum SubMerchantRules {
    public enum Status: String, Sendable, CaseIterable {
        case checking = "CHECKING", approved = "APPROVED", rejected = "REJECTED", expired = "EXPIRED"
    }

    /// An application as submitted: every field, checked.
    public struct Info: Sendable, Equatable {
        public var brandName: String
        public var appID: String
        public var logoURL: String
        public var protocolMediaID: String
        public var agreementMediaID: String
        public var operatorMediaID: String
        public var endTime: Int64
        public var primaryCategoryID: Int64
        public var secondaryCategoryID: Int64
    }

    /// The fields as a client sends them (`info` of submit and update).
    public struct Fields: Decodable, Sendable {
        public let merchant_id: Int64?
        public let brand_name: String?
        public let app_id: String?
        public let logo_url: String?
        public let `protocol`: String?
        public let agreement_media_id: String?
        public let operator_media_id: String?
        public let end_time: Int64?
        public let primary_category_id: Int64?
        public let secondary_category_id: Int64?
    }

    /// The fields of `info`, with WeChat's byte limits: brand_name and app_id string(36), logo_url
    /// string(128), media ids 128.
    public static let schema: [String: Field] = [
        "merchant_id": .optional(.int), "brand_name": .optional(.string(maxBytes: 36)), "app_id": .optional(.string(maxBytes: 36)),
        "logo_url": .optional(.string(maxBytes: 128)), "protocol": .optional(.string(maxBytes: 128)),
        "agreement_media_id": .optional(.string(maxBytes: 128)), "operator_media_id": .optional(.string(maxBytes: 128)),
        "end_time": .optional(.int), "primary_category_id": .optional(.int), "secondary_category_id": .optional(.int),
    ]

    /// Checks `fields` over `base` (the stored application, for an update; nil for a submit,
    /// where brand_name, logo_url, protocol, end_time and both categories are required). Types
    /// and byte limits were checked with the body, against `schema`.
    public static func check(_ fields: Fields, over base: Info?, now: Int64) throws -> Info {
        func required(_ value: String?, _ name: String, _ old: String?) throws -> String {
            if let value {
                guard !value.isEmpty else { throw WeChatError.missingRequiredFields.detail("\(name) must not be empty") }
                return value
            }
            guard let old else { throw WeChatError.missingRequiredFields.detail("missing \(name)") }
            return old
        }
        func number(_ value: Int64?, _ name: String, _ old: Int64?) throws -> Int64 {
            guard let found = value ?? old else { throw WeChatError.missingRequiredFields.detail("missing \(name)") }
            return found
        }
        let info = Info(
            brandName: try required(fields.brand_name, "brand_name", base?.brandName),
            appID: fields.app_id ?? base?.appID ?? "",
            logoURL: try required(fields.logo_url, "logo_url", base?.logoURL),
            protocolMediaID: try required(fields.protocol, "protocol", base?.protocolMediaID),
            agreementMediaID: fields.agreement_media_id ?? base?.agreementMediaID ?? "",
            operatorMediaID: fields.operator_media_id ?? base?.operatorMediaID ?? "",
            endTime: try number(fields.end_time, "end_time", base?.endTime),
            primaryCategoryID: try number(fields.primary_category_id, "primary_category_id", base?.primaryCategoryID),
            secondaryCategoryID: try number(fields.secondary_category_id, "secondary_category_id", base?.secondaryCategoryID))
        // A letter of authorization that has run out cannot back an application.
        if fields.end_time != nil, info.endTime <= now {
            throw WeChatError.invalidTime.detail("end_time (the authorization letter's expiry) must be in the future")
        }
        guard let primary = categories.first(where: { $0.id == info.primaryCategoryID }) else {
            throw WeChatError.invalidArgs.detail("primary_category_id \(info.primaryCategoryID) is not one of /card/getapplyprotocol")
        }
        guard primary.secondary.contains(where: { $0.id == info.secondaryCategoryID }) else {
            throw WeChatError.invalidArgs.detail(
                "secondary_category_id \(info.secondaryCategoryID) is not under primary_category_id \(primary.id)")
        }
        return info
    }

    /// The status a client sees: an application past its letter's end is EXPIRED.
    public static func shown(_ stored: Status, endTime: Int64, now: Int64) -> Status {
        stored != .rejected && endTime <= now ? .expired : stored
    }

    /// Card types a sub-merchant cannot have (45042): the special tickets, which need
    /// qualifications of their own. Coupons and member cards are allowed.
    public static let refusedCardTypes: Set<String> = ["SCENIC_TICKET", "MOVIE_TICKET", "BOARDING_PASS", "MEETING_TICKET", "BUS_TICKET"]

    /// `/card/submerchant/batchget`'s `limit`.
    public static let maxBatch = 100

    // MARK: Categories (`/card/getapplyprotocol`)

    public struct Category: Sendable {
        public let id: Int64
        public let name: String
        public let secondary: [Secondary]
    }

    public struct Secondary: Sendable {
        public let id: Int64
        public let name: String
        public let stuffs: [String]
    }

    /// What a food category asks for, as WeChat's do: the food-service licence and its scan.
    static let foodLicence = ["food_service_license_id", "food_service_license_bizmedia_id"]

    /// A fixed list in WeChat's shape.
    public static let categories: [Category] = [
        Category(id: 1, name: "美食", secondary: [
            Secondary(id: 101, name: "粤菜", stuffs: foodLicence),
            Secondary(id: 102, name: "茶餐厅", stuffs: foodLicence),
            Secondary(id: 103, name: "川菜", stuffs: foodLicence),
            Secondary(id: 104, name: "火锅", stuffs: foodLicence),
            Secondary(id: 105, name: "快餐小吃", stuffs: foodLicence),
            Secondary(id: 106, name: "咖啡厅", stuffs: foodLicence),
            Secondary(id: 107, name: "面包甜点", stuffs: foodLicence),
        ]),
        Category(id: 2, name: "休闲娱乐", secondary: [
            Secondary(id: 201, name: "KTV", stuffs: []),
            Secondary(id: 202, name: "运动健身", stuffs: []),
            Secondary(id: 203, name: "足疗按摩", stuffs: []),
        ]),
        Category(id: 3, name: "购物", secondary: [
            Secondary(id: 301, name: "综合商场", stuffs: []),
            Secondary(id: 302, name: "超市便利店", stuffs: []),
            Secondary(id: 303, name: "服饰鞋包", stuffs: []),
            Secondary(id: 304, name: "数码家电", stuffs: []),
        ]),
        Category(id: 4, name: "生活服务", secondary: [
            Secondary(id: 401, name: "美容美发", stuffs: []),
            Secondary(id: 402, name: "洗衣", stuffs: []),
            Secondary(id: 403, name: "摄影写真", stuffs: []),
        ]),
        Category(id: 5, name: "酒店", secondary: [
            Secondary(id: 501, name: "经济型酒店", stuffs: []),
            Secondary(id: 502, name: "星级酒店", stuffs: []),
        ]),
    ]
}
