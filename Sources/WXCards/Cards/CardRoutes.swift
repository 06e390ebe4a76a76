import Hummingbird

/// The card definition APIs: create, get, batchget, update, delete, modifystock,
/// qrcode/create and testwhitelist/set.
public struct CardRoutes: Sendable {
    let service: CardService

    public init(service: CardService) { self.service = service }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.wechatPOST("/card/create") { request, context in
            let body = try await JSONBody.decode([String: JSONValue].self, from: request)
            if let card = body["card"], card.objectValue == nil, card != .null {
                throw WeChatError.dataFormat.detail("card must be an object")
            }
            let cardID = try await service.create(appid: try context.requireAppID(), card: body.object("card"))
            return OK(Created(card_id: cardID))
        }
        router.wechatPOST("/card/get") { request, context in
            let body = try await JSONBody.decode(CardIDRequest.self, from: request)
            let card = try await service.card(appid: try context.requireAppID(), cardID: body.card_id)
            return OK(CardDetail(card: CardPresenter.present(card)))
        }
        router.wechatPOST("/card/batchget") { request, context in
            let body = try await JSONBody.decode(BatchGetRequest.self, from: request)
            let page = try await service.list(appid: try context.requireAppID(), offset: body.offset, count: body.count,
                                              statusList: body.status_list)
            return OK(BatchGet(card_id_list: page.ids, total_num: page.total))
        }
        router.wechatPOST("/card/update") { request, context in
            let body = try await JSONBody.decode([String: JSONValue].self, from: request)
            let sendCheck = try await service.update(appid: try context.requireAppID(), request: body)
            return OK(Updated(send_check: sendCheck))
        }
        router.wechatPOST("/card/delete") { request, context in
            let body = try await JSONBody.decode(CardIDRequest.self, from: request)
            try await service.delete(appid: try context.requireAppID(), cardID: body.card_id)
            return OK.ok
        }
        router.wechatPOST("/card/modifystock") { request, context in
            let body = try await JSONBody.decode(ModifyStockRequest.self, from: request)
            try await service.modifyStock(appid: try context.requireAppID(), cardID: body.card_id,
                                          increase: body.increase_stock_value, reduce: body.reduce_stock_value)
            return OK.ok
        }
        router.wechatPOST("/card/qrcode/create") { request, context in
            let body = try await JSONBody.decode([String: JSONValue].self, from: request)
            let (code, expireSeconds) = try await service.createQRCode(appid: try context.requireAppID(), body: body)
            let escaped = code.ticket.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? code.ticket
            // The image is this server's (`GET /cgi-bin/showqrcode`), at the host the client called.
            return OK(QRCodeCreated(
                ticket: code.ticket, expire_seconds: expireSeconds, url: code.claimURL,
                show_qrcode_url: "\(QRCodeRoutes.base(of: request))/cgi-bin/showqrcode?ticket=\(escaped)"))
        }
        router.wechatPOST("/card/testwhitelist/set") { request, context in
            let body = try await JSONBody.decode(WhitelistRequest.self, from: request)
            try await service.setWhitelist(appid: try context.requireAppID(), openids: body.openid ?? [], usernames: body.username ?? [])
            return OK.ok
        }
    }

    struct CardIDRequest: CheckedBody {
        static let schema: [String: Field] = ["card_id": .required(.text, missing: .missingCardID)]
        let card_id: String?
    }
    struct BatchGetRequest: CheckedBody {
        static let schema: [String: Field] = [
            "offset": .required(.int), "count": .required(.int),
            "status_list": .optional(.array(of: .enumeration(CardStatus.allCases.map(\.rawValue)))),
        ]
        let offset: Int?; let count: Int?; let status_list: [String]?
    }
    struct ModifyStockRequest: CheckedBody {
        static let schema: [String: Field] = [
            "card_id": .required(.text, missing: .missingCardID), "increase_stock_value": .optional(.int),
            "reduce_stock_value": .optional(.int),
        ]
        let card_id: String?; let increase_stock_value: Int64?; let reduce_stock_value: Int64?
    }
    struct WhitelistRequest: CheckedBody {
        static let schema: [String: Field] = ["openid": .optional(.array(of: .text)), "username": .optional(.array(of: .text))]
        let openid: [String]?; let username: [String]?
    }

    struct Created: Encodable, Sendable { let card_id: String }
    struct CardDetail: Encodable, Sendable { let card: JSONValue }
    struct BatchGet: Encodable, Sendable { let card_id_list: [String]; let total_num: Int }
    struct Updated: Encodable, Sendable { let send_check: Bool }
    struct QRCodeCreated: Encodable, Sendable {
        let ticket: String
        let expire_seconds: Int64?
        let url: String
        let show_qrcode_url: String
    }
}

/// `/card/get`'s view of a card: what the merchant set, plus what the server keeps (Querying Card Details).
public enum CardPresenter {
    public static func present(_ card: CardDefinition) -> JSONValue {
        var base = card.baseInfo
        base["id"] = .string(card.cardID)
        base["status"] = .string(card.status.rawValue)
        base["create_time"] = .int(card.createTime)
        base["update_time"] = .int(card.updateTime)
        base["sku"] = .object(["quantity": .int(card.quantity), "total_quantity": .int(card.totalQuantity)])
        var body = card.body
        body["base_info"] = .object(base)
        return .object(["card_type": .string(card.type.rawValue), card.type.bodyKey: .object(body)])
    }
}

import Foundation
