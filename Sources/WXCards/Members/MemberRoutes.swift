import Hummingbird

/// The merchant's member and code APIs (the code APIs, member activation, Member card 8.1).
public struct MemberRoutes: Sendable {
    let members: Members

    public init(members: Members) { self.members = members }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/card/membercard/activate") { request, context in
            let body = try await JSONBody.decode([String: JSONValue].self, from: request)
            try await members.activateByMerchant(appid: try context.requireAppID(), body: body)
            return OK.ok
        }
        router.wechatPOST("/card/membercard/activateuserform/set") { request, context in
            let body = try await JSONBody.decode([String: JSONValue].self, from: request)
            try await members.setForm(appid: try context.requireAppID(), body: body)
            return OK.ok
        }
        router.wechatPOST("/card/membercard/activatetempinfo/get") { request, context in
            let body = try await JSONBody.decode(TicketRequest.self, from: request)
            return OK(TempInfo(info: .object(try await members.activateTempInfo(appid: try context.requireAppID(), ticket: body.activate_ticket))))
        }
        router.wechatPOST("/card/membercard/userinfo/get") { request, context in
            let body = try await JSONBody.decode(CodeRequest.self, from: request)
            return OK(try await members.userInfo(appid: try context.requireAppID(), cardID: body.card_id, code: body.code))
        }
        router.wechatPOST("/card/membercard/updateuser") { request, context in
            let body = try await JSONBody.decode(Members.UpdateUserRequest.self, from: request)
            return OK(try await members.updateUser(appid: try context.requireAppID(), body: body))
        }
        router.wechatPOST("/card/code/get") { request, context in
            let body = try await JSONBody.decode(CodeGetRequest.self, from: request)
            return OK(try await members.codeInfo(appid: try context.requireAppID(), cardID: body.card_id, code: body.code,
                                                 checkConsume: body.check_consume ?? true))
        }
        router.wechatPOST("/card/code/consume") { request, context in
            let body = try await JSONBody.decode(CodeRequest.self, from: request)
            let consumed = try await members.consume(appid: try context.requireAppID(), cardID: body.card_id, code: body.code)
            return OK(Consumed(card: .init(card_id: consumed.cardID), openid: consumed.openid))
        }
        router.wechatPOST("/card/code/decrypt") { request, context in
            let body = try await JSONBody.decode(DecryptRequest.self, from: request)
            return OK(Decrypted(code: try await members.decrypt(appid: try context.requireAppID(), encryptCode: body.encrypt_code)))
        }
        router.wechatPOST("/card/code/update") { request, context in
            let body = try await JSONBody.decode(CodeUpdateRequest.self, from: request)
            try await members.updateCode(appid: try context.requireAppID(), cardID: body.card_id, code: body.code, newCode: body.new_code)
            return OK.ok
        }
        router.wechatPOST("/card/code/unavailable") { request, context in
            let body = try await JSONBody.decode(CodeUnavailableRequest.self, from: request)
            try await members.makeUnavailable(appid: try context.requireAppID(), cardID: body.card_id, code: body.code, reason: body.reason)
            return OK.ok
        }
        router.wechatPOST("/card/user/getcardlist") { request, context in
            let body = try await JSONBody.decode(CardListRequest.self, from: request)
            let list = try await members.cardList(appid: try context.requireAppID(), openid: body.openid, cardID: body.card_id)
            return OK(CardList(card_list: list, has_share_card: false))
        }
    }

    /// A code, and the card it belongs to (needed when the card uses custom codes). The hot
    /// reads (`userinfo/get`, `code/get`, `consume`) decode straight into types: building the
    /// JSON tree first cost userinfo/get about 10% of its throughput (Benchmarks/openapi.sh).
    struct CodeRequest: SelfCheckedBody {
        static let schema: [String: Field] = ["code": .required(.text, missing: .missingCode), "card_id": .optional(.text)]
        let code: String?; let card_id: String?
        func check() throws { try FieldSchema.checkStrings([("code", code), ("card_id", card_id)], against: Self.schema) }
    }
    struct CodeGetRequest: SelfCheckedBody {
        static let schema = CodeRequest.schema.merging(["check_consume": .optional(.bool)]) { $1 }
        let code: String?; let card_id: String?; let check_consume: Bool?
        func check() throws { try FieldSchema.checkStrings([("code", code), ("card_id", card_id)], against: Self.schema) }
    }
    struct CodeUpdateRequest: CheckedBody {
        static let schema = CodeRequest.schema.merging(["new_code": .required(.text)]) { $1 }
        let code: String?; let card_id: String?; let new_code: String?
    }
    struct CodeUnavailableRequest: CheckedBody {
        static let schema = CodeRequest.schema.merging(["reason": .optional(.string(maxBytes: 256))]) { $1 }
        let code: String?; let card_id: String?; let reason: String?
    }
    struct TicketRequest: CheckedBody {
        static let schema: [String: Field] = ["activate_ticket": .required(.text)]
        let activate_ticket: String?
    }
    struct DecryptRequest: CheckedBody {
        static let schema: [String: Field] = ["encrypt_code": .required(.text)]
        let encrypt_code: String?
    }
    struct CardListRequest: CheckedBody {
        static let schema: [String: Field] = ["openid": .required(.text, missing: .invalidOpenid), "card_id": .optional(.text)]
        let openid: String?; let card_id: String?
    }

    struct TempInfo: Encodable, Sendable { let info: JSONValue }
    struct Consumed: Encodable, Sendable {
        struct Card: Encodable, Sendable { let card_id: String }
        let card: Card
        let openid: String
    }
    struct Decrypted: Encodable, Sendable { let code: String }
    struct CardList: Encodable, Sendable { let card_list: [[String: String]]; let has_share_card: Bool }
}

