import Hummingbird

/// WeChat Pay, simulated: merchant ids and their entities, payments by users, and the list of
/// a user's payments with what each triggered.
public struct PaymentRoutes: Sendable {
    let payGift: PayGift

    public init(payGift: PayGift) { self.payGift = payGift }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/sandbox/merchant") { request, context in
            _ = try context.requireAppID()
            let body = try await JSONBody.decodeSandbox(MerchantRequest.self, from: request)
            try await payGift.registerMerchant(mchid: body.mchid, entity: body.entity)
            return OK(Merchant(mchid: body.mchid ?? "", entity: body.entity ?? ""))
        }
        router.wechatPOST("/sandbox/pay") { request, context in
            let body = try await JSONBody.decodeSandbox(PaymentRules.Request.self, from: request)
            return OK(try await payGift.pay(appid: try context.requireAppID(), request: body))
        }
        router.get("/sandbox/payments") { request, context in
            let query = request.uri.queryParameters
            let page = try ListPage.parse(offset: query.get("offset"), count: query.get("count"))
            let found = try await payGift.payments(appid: try context.requireAppID(), openid: query.get("openid"), page: page)
            return OK(Payments(payments: found.payments, has_more: found.hasMore))
        }
    }

    struct MerchantRequest: SandboxBody {
        static let schema: [String: Field] = [
            "mchid": .optional(.string(maxBytes: PayGiftRules.maxMchidBytes)), "entity": .required(.text),
        ]
        let mchid: String?; let entity: String?
    }
    struct Merchant: Encodable, Sendable { let mchid: String; let entity: String }
    struct Payments: Encodable, Sendable { let payments: [Payment]; let has_more: Bool }
}

extension PaymentRules.Request: SandboxBody {
    public static let schema: [String: Field] = [
        "mchid": .optional(.string(maxBytes: PayGiftRules.maxMchidBytes)), "openid": .optional(.text), "total_fee": .required(.int), "card_id": .optional(.text),
        "code": .optional(.text), "use_bonus": .optional(.int),
    ]
}
