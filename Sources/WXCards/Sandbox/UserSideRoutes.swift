import Hummingbird

/// The user's side of WeChat, simulated: claiming, gifting and deleting cards, filling the
/// activation form, a profile, and the messages WeChat would have shown the user.
public struct UserSideRoutes: Sendable {
    let members: Members

    public init(members: Members) { self.members = members }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/sandbox/card/claim") { request, context in
            let body = try await JSONBody.decodeSandbox(ClaimRequest.self, from: request)
            let claimed = try await members.claim(appid: try context.requireAppID(), cardID: body.card_id, ticket: body.ticket,
                                                  openid: body.openid, code: body.code, outerStr: body.outer_str)
            return OK(ClaimAnswer(card_id: claimed.cardID, code: claimed.code, encrypt_code: claimed.encryptCode))
        }
        router.wechatPOST("/sandbox/card/gift") { request, context in
            let body = try await JSONBody.decodeSandbox(GiftRequest.self, from: request)
            let code = try await members.gift(appid: try context.requireAppID(), cardID: body.card_id, code: body.code,
                                              openid: body.openid, toOpenid: body.to_openid, accept: body.accept ?? true)
            return OK(GiftAnswer(code: code))
        }
        router.wechatPOST("/sandbox/card/delete") { request, context in
            let body = try await JSONBody.decodeSandbox(DeleteRequest.self, from: request)
            try await members.userDelete(appid: try context.requireAppID(), cardID: body.card_id, code: body.code, openid: body.openid)
            return OK.ok
        }
        router.wechatPOST("/sandbox/user") { request, context in
            let body = try await JSONBody.decodeSandbox(ProfileRequest.self, from: request)
            try await members.setProfile(appid: try context.requireAppID(), openid: body.openid, nickname: body.nickname, sex: body.sex)
            return OK.ok
        }
        router.wechatPOST("/sandbox/membercard/submit_form") { request, context in
            let body = try await JSONBody.decode([String: JSONValue].self, from: request)
            try body.checkSandboxFields(Members.submitFormFields)
            let ticket = try await members.submitForm(appid: try context.requireAppID(), body: body)
            return OK(FormAnswer(activate_ticket: ticket))
        }
        router.get("/sandbox/user/messages") { request, context in
            let query = request.uri.queryParameters
            let page = try ListPage.parse(offset: query.get("offset"), count: query.get("count"))
            let found = try await members.messages(appid: try context.requireAppID(), openid: query.get("openid"), page: page)
            return OK(Messages(messages: found.messages, has_more: found.hasMore))
        }
    }

    struct ClaimRequest: SandboxBody {
        static let schema: [String: Field] = [
            "openid": .optional(.text), "card_id": .optional(.text), "ticket": .optional(.text), "code": .optional(.text),
            "outer_str": .optional(.string(maxBytes: 128)),
        ]
        let openid: String?; let card_id: String?; let ticket: String?; let code: String?; let outer_str: String?
    }
    struct GiftRequest: SandboxBody {
        static let schema: [String: Field] = [
            "card_id": .optional(.text), "code": .optional(.text), "openid": .optional(.text), "to_openid": .optional(.text),
            "accept": .optional(.bool),
        ]
        let card_id: String?; let code: String?; let openid: String?; let to_openid: String?; let accept: Bool?
    }
    struct DeleteRequest: SandboxBody {
        static let schema: [String: Field] = ["card_id": .optional(.text), "code": .optional(.text), "openid": .optional(.text)]
        let card_id: String?; let code: String?; let openid: String?
    }
    struct ProfileRequest: SandboxBody {
        static let schema: [String: Field] = [
            "openid": .optional(.text), "nickname": .optional(.text), "sex": .optional(.enumeration(UserProfile.sexes.sorted())),
        ]
        let openid: String?; let nickname: String?; let sex: String?
    }

    struct ClaimAnswer: Encodable, Sendable { let card_id: String; let code: String; let encrypt_code: String }
    struct GiftAnswer: Encodable, Sendable { let code: String? }
    struct FormAnswer: Encodable, Sendable { let activate_ticket: String }
    struct Messages: Encodable, Sendable { let messages: [UserMessage]; let has_more: Bool }
}
