/// wxcards' own routes: the simulated user side, the clock, pushes, faults; and operations.
extension APICatalog {
    static let lookup: [WeChatError] = APIOperation.codeLookup + [.invalidOpenid]
    static let page: [String: Field] = ["openid": .optional(.text), "offset": .optional(.int), "count": .optional(.int)]

    static let sandbox: [APIOperation] = [
        .sandbox("/sandbox/card/claim", "A user claims a card (by card_id or QR ticket)", UserSideRoutes.ClaimRequest.self,
                 answer: ["card_id": text, "code": text, "encrypt_code": text],
                 errors: lookup + [.invalidCardStatus, .getLimitReached, .stockOutOfLimit, .invalidUserCardStatus,
                                   .cardFunctionNotSupported]),
        .sandbox("/sandbox/card/gift", "A user gives a card to another", UserSideRoutes.GiftRequest.self,
                 answer: ["code": maybe(.text)], errors: lookup + [.invalidUserCardStatus]),
        .sandbox("/sandbox/card/delete", "A user deletes a card from the wallet", UserSideRoutes.DeleteRequest.self,
                 errors: lookup + [.invalidUserCardStatus]),
        .sandbox("/sandbox/user", "Set a user's profile", UserSideRoutes.ProfileRequest.self, errors: [.invalidOpenid]),
        .post("/sandbox/membercard/submit_form", .sandbox, "A user submits the activation form", body: Members.submitFormFields,
              closed: true, answer: .wechat(["activate_ticket": text]), errors: lookup + [.invalidUserCardStatus]),
        .get("/sandbox/user/messages", .sandbox, "The messages a user received", query: page,
             answer: .wechat(["messages": list(message), "has_more": bool]), errors: [.invalidOpenid, .invalidArgs]),
        .sandbox("/sandbox/merchant", "Register a merchant id (mchid) under an entity", PaymentRoutes.MerchantRequest.self,
                 answer: ["mchid": text, "entity": text], errors: [.missingRequiredFields]),
        .sandbox("/sandbox/pay", "A user pays (with or without a member card)", PaymentRules.Request.self,
                 answer: payment,
                 errors: lookup + [.mchidNotBindAppid, .invalidUserCardStatus, .cannotUseBonus, .bonusOutOfLimit,
                                   .cardFunctionNotSupported, .requireBizPayAuth, .noMatchCard]),
        .get("/sandbox/payments", .sandbox, "The payments made", query: page,
             answer: .wechat(["payments": list(payment), "has_more": bool]), errors: [.invalidOpenid, .invalidArgs]),
        .sandbox("/sandbox/clock", "Move the server clock forward", ClockRoutes.AdvanceRequest.self, answer: ["now": int]),
        .sandbox("/sandbox/card/review", "Pass or reject a card in manual review", CardReviewRoutes.ReviewRequest.self,
                 errors: [.invalidCardID, .invalidCardStatus]),
        .sandbox("/sandbox/app", "Set the app's pay and entity", AppSettingsRoutes.SettingsRequest.self,
                 answer: ["pay_enabled": bool, "entity": text]),
        .get("/sandbox/app", .sandbox, "The app as the server knows it",
             answer: .wechat(["appid": text, "original_id": text, "pay_enabled": bool, "entity": text, "server": maybe(.object(["url": text, "mode": text]))])),
        {
            var reset = APIOperation.sandbox("/sandbox/reset", "Remove the app's cards, members and history", ResetRoutes.NoFields.self,
                                             answer: ["removed": object])
            reset.bodyRequired = false
            return reset
        }(),
        .sandbox("/sandbox/app/server", "Set the server pushes go to", PushRoutes.ServerRequest.self,
                 answer: ["url": text, "mode": text]),
        .get("/sandbox/events", .sandbox, "The pushes, newest first",
             query: ["event": .optional(.text), "card_id": .optional(.text), "openid": .optional(.text), "limit": .optional(.int)],
             answer: .wechat(["events": list(pushEntry)]), errors: [.invalidArgs]),
        .sandbox("/sandbox/events/redeliver", "Push an event again", PushRoutes.RedeliverRequest.self,
                 answer: ["event": one(pushEntry)]),
        .sandbox("/sandbox/card/view", "A user opens a card (user_view_card)", PushRoutes.ViewRequest.self,
                 answer: ["pushed": bool], errors: lookup),
        .sandbox("/sandbox/card/enter_session", "A user enters the card's chat (user_enter_session_from_card)",
                 PushRoutes.SessionRequest.self, errors: lookup),
        .sandbox("/sandbox/faults", "Inject a fault", FaultRoutes.AddRequest.self, answer: ["id": text]),
        .get("/sandbox/faults", .sandbox, "The faults in force", answer: .wechat(["faults": list(fault)])),
        .sandbox("/sandbox/faults/delete", "Remove a fault, or all", FaultRoutes.DeleteRequest.self, answer: ["deleted": int],
                 errors: [.missingRequiredFields]),
        .get("/sandbox/requests", .sandbox, "The request journal, newest first",
             query: ["path": .optional(.text), "errcode": .optional(.int), "since": .optional(.int), "limit": .optional(.int)],
             answer: .wechat(["requests": list(journalEntry)]), errors: [.invalidArgs]),
        .sandbox("/sandbox/component/server", "Set up a third-party platform", ComponentSandboxRoutes.ServerRequest.self,
                 answer: ["component_appid": text, "auth_url": maybe(.text), "message_url": maybe(.text)],
                 errors: [.missingComponentAppID, .invalidComponent]),
        .sandbox("/sandbox/component/verify_ticket", "Issue a component_verify_ticket", ComponentSandboxRoutes.TicketRequest.self,
                 answer: ["component_verify_ticket": text], errors: [.missingComponentAppID, .invalidComponent]),
        .sandbox("/sandbox/component/authorize", "The app's admin authorizes a platform", ComponentSandboxRoutes.AuthorizeRequest.self,
                 answer: ["auth_code": text, "expires_in": int],
                 errors: [.missingComponentAppID, .invalidComponent, .authCodeInvalid, .authCodeExpired, .invalidAppID]),
        .sandbox("/sandbox/component/unauthorize", "The app's admin withdraws the authorization",
                 ComponentSandboxRoutes.TicketRequest.self, errors: [.missingComponentAppID, .invalidComponent, .componentNotAuthorized]),
        .sandbox("/sandbox/submerchant/review", "Pass or reject a sub-merchant", SubMerchantRoutes.ReviewRequest.self,
                 answer: ["info": one(subMerchant)], errors: [.invalidSubMerchantID, .invalidSubMerchantStatus]),
    ]

    static let operationsRoutes: [APIOperation] = [
        .get("/healthz", .operations, "Whether the server is up", auth: .none, answer: .plain(["status": text])),
        .get("/metrics", .operations, "Prometheus metrics", auth: .none, answer: .prometheus),
        .get("/openapi.json", .operations, "This document", auth: .none, answer: .document),
    ]
}
