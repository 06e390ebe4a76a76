import Hummingbird

/// `POST /sandbox/card/review`: WeChat's reviewers, simulated. `pass` approves, `reject` refuses,
/// whatever the card's state, except a deleted card.
public struct CardReviewRoutes: Sendable {
    let service: CardService

    public init(service: CardService) { self.service = service }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/sandbox/card/review") { request, context in
            let body = try await JSONBody.decodeSandbox(ReviewRequest.self, from: request)
            guard let result = body.result else { throw WeChatError.missingRequiredFields.detail("missing result") }
            guard result == "pass" || result == "reject" else {
                throw WeChatError.invalidArgs.detail("result must be pass or reject")
            }
            try await service.review(appid: try context.requireAppID(), cardID: body.card_id, pass: result == "pass", reason: body.reason)
            return OK.ok
        }
    }

    struct ReviewRequest: SandboxBody {
        /// `reason`: the reviewer's words on a rejection: `RefuseReason` of the push.
        static let schema: [String: Field] = [
            "card_id": .required(.text, missing: .missingCardID), "result": .required(.enumeration(["pass", "reject"])),
            "reason": .optional(.string(maxBytes: 256)),
        ]
        let card_id: String?; let result: String?; let reason: String?
    }
}
