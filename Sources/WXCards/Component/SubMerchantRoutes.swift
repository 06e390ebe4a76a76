import Hummingbird

/// `/card/submerchant/*` and `/card/getapplyprotocol` (the parent account's own token), and
/// `POST /sandbox/submerchant/review`, WeChat's review of an application.
public struct SubMerchantRoutes: Sendable {
    let subMerchants: SubMerchants

    public init(subMerchants: SubMerchants) { self.subMerchants = subMerchants }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/card/submerchant/submit") { request, context in
            let body = try await JSONBody.decode(InfoRequest.self, from: request)
            return OK(InfoAnswer(info: try await subMerchants.submit(appid: try context.requireAppID(), body.info)))
        }
        router.wechatPOST("/card/submerchant/update") { request, context in
            let body = try await JSONBody.decode(InfoRequest.self, from: request)
            return OK(InfoAnswer(info: try await subMerchants.update(appid: try context.requireAppID(), body.info)))
        }
        router.wechatPOST("/card/submerchant/get") { request, context in
            let body = try await JSONBody.decode(GetRequest.self, from: request)
            return OK(InfoAnswer(info: try await subMerchants.get(appid: try context.requireAppID(), merchantID: body.merchant_id)))
        }
        router.wechatPOST("/card/submerchant/batchget") { request, context in
            let body = try await JSONBody.decode(BatchRequest.self, from: request)
            let page = try await subMerchants.list(appid: try context.requireAppID(), beginID: try body.begin_id?.number(),
                                                   limit: body.limit, status: body.status)
            return OK(ListAnswer(info_list: page.views, next_begin_id: page.next))
        }
        router.get("/card/getapplyprotocol") { _, _ in
            OK(ApplyProtocol(category: SubMerchantRules.categories.map { primary in
                ApplyProtocol.Primary(primary_category_id: primary.id, category_name: primary.name, secondary_category: primary.secondary.map {
                    ApplyProtocol.Secondary(secondary_category_id: $0.id, category_name: $0.name, need_qualification_stuffs: $0.stuffs)
                })
            }))
        }
        router.wechatPOST("/sandbox/submerchant/review") { request, context in
            let body = try await JSONBody.decodeSandbox(ReviewRequest.self, from: request)
            return OK(InfoAnswer(info: try await subMerchants.review(
                appid: try context.requireAppID(), merchantID: body.merchant_id, result: body.result, reason: body.reason)))
        }
    }

    struct InfoRequest: CheckedBody {
        /// `submit` needs all but `merchant_id`; `update` needs `merchant_id` and changes the rest.
        static let schema: [String: Field] = ["info": .required(.object(SubMerchantRules.schema))]
        let info: SubMerchantRules.Fields?
    }
    struct GetRequest: CheckedBody {
        static let schema: [String: Field] = ["merchant_id": .required(.int)]
        let merchant_id: Int64?
    }
    struct BatchRequest: CheckedBody {
        /// `begin_id` is a number or its text, as WeChat's examples send both.
        static let schema: [String: Field] = [
            "begin_id": .optional(.any), "limit": .optional(.int),
            "status": .optional(.enumeration(SubMerchantRules.Status.allCases.map(\.rawValue))),
        ]
        let begin_id: IntOrText?; let limit: Int?; let status: String?
    }
    struct ReviewRequest: SandboxBody {
        static let schema: [String: Field] = [
            "merchant_id": .required(.int), "result": .required(.enumeration(["pass", "reject"])), "reason": .optional(.string(maxBytes: 256)),
        ]
        let merchant_id: Int64?; let result: String?; let reason: String?
    }

    /// `begin_id` comes as a number or as a string of digits (WeChat's example writes "0").
    enum IntOrText: Decodable {
        case number(Int64), text(String)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int64.self) { self = .number(number) } else { self = .text(try container.decode(String.self)) }
        }
        func number() throws -> Int64 {
            switch self {
            case .number(let number): return number
            case .text(let text):
                guard let number = Int64(text) else { throw WeChatError.invalidArgs.detail("begin_id must be a merchant id") }
                return number
            }
        }
    }

    struct InfoAnswer: Encodable, Sendable { let info: SubMerchants.View }
    struct ListAnswer: Encodable, Sendable { let info_list: [SubMerchants.View]; let next_begin_id: Int64 }
    struct ApplyProtocol: Encodable, Sendable {
        struct Secondary: Encodable, Sendable {
            let secondary_category_id: Int64; let category_name: String; let need_qualification_stuffs: [String]
        }
        struct Primary: Encodable, Sendable {
            let primary_category_id: Int64; let category_name: String; let secondary_category: [Secondary]
        }
        let category: [Primary]
    }
}
