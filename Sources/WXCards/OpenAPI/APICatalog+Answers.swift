/// The shapes inside answers: what `/card/code/get`, `/sandbox/pay`, the journals and the
/// component APIs answer, field by field. Nested objects the answer keeps as stored (`card`,
/// `user_info`, a report's row) stay typed as objects.
extension APICatalog {
    static func list(_ fields: [String: Field]) -> Field { .required(.array(of: .object(fields))) }
    static func one(_ fields: [String: Field]) -> Field { .required(.object(fields)) }

    static let payment: [String: Field] = [
        "transaction_id": text, "mchid": text, "openid": text, "total_fee": int, "actual_fee": int,
        "card_id": maybe(.text), "code": maybe(.text), "bonus_added": int, "bonus_used": int,
        "gift_card_id": maybe(.text), "gift_rule_id": maybe(.int), "time": int,
    ]

    static let pushEntry: [String: Field] = [
        "id": text, "event": text, "openid": text, "card_id": text, "create_time": int, "xml": text,
        "state": .required(.enumeration(["pending", "delivered", "failed"])),
        "attempts": list(["time": int, "status": maybe(.int), "latency_ms": int, "response": text]),
    ]

    static let message: [String: Field] = [
        "time": int, "kind": text, "text": text, "card_id": text, "code": maybe(.text), "cell": maybe(.anyObject),
        "jump_url": maybe(.text), "app_brand_id": maybe(.text), "app_brand_pass": maybe(.text),
    ]

    static let fault: [String: Field] = [
        "id": text, "path": text, "method": maybe(.text), "errcode": maybe(.int), "errmsg": maybe(.text), "latency_ms": int,
        "drop": bool, "rate": .required(.number), "remaining": maybe(.int), "hits": int, "create_time": int,
    ]

    static let journalEntry: [String: Field] = [
        "time": int, "method": text, "path": text, "body": text, "errcode": maybe(.int), "latency_ms": int, "rid": text,
        "faulted": bool, "fault_id": maybe(.text),
    ]

    static let subMerchant: [String: Field] = [
        "merchant_id": int, "app_id": text, "create_time": int, "update_time": int, "brand_name": text, "logo_url": text,
        "status": .required(.enumeration(SubMerchantRules.Status.allCases.map(\.rawValue))), "begin_time": int, "end_time": int,
        "primary_category_id": int, "secondary_category_id": int,
    ]

    static let payGiftRule: [String: Field] = [
        "rule_id": int, "type": text,
        "base_info": one([
            "mchid_list": .required(.array(of: .text)), "begin_time": int, "end_time": int, "status": text,
            "create_time": int, "update_time": int,
        ]),
        "member_rule": one([
            "card_id": text, "least_cost": int, "max_cost": int,
            "jump_url": maybe(.text), "app_brand_id": maybe(.text), "app_brand_pass": maybe(.text),
        ]),
    ]

    static let mchidFailure: [String: Field] = [
        "mchid": text, "errcode": int, "errmsg": text, "occupy_rule_id": maybe(.int), "occupy_appid": maybe(.text),
    ]

    static let funcInfo = list(["funcscope_category": one(["id": int])])

    static let authorizationInfo: [String: Field] = [
        "authorizer_appid": text, "authorizer_access_token": text, "expires_in": int, "authorizer_refresh_token": text,
        "func_info": funcInfo,
    ]

    static let applyProtocol: [String: Field] = [
        "category": list([
            "primary_category_id": int, "category_name": text,
            "secondary_category": list([
                "secondary_category_id": int, "category_name": text, "need_qualification_stuffs": .required(.array(of: .text)),
            ]),
        ]),
    ]
}
