/// The field tables of Creating a Card (create) and Member card 8.2 / Updating Card Information (update), as data.
enum CardSchema {
    static let url: FieldType = .string(maxBytes: 128)
    static let long: FieldType = .string(maxBytes: 3072)
    static let appBrand: FieldType = .string(maxBytes: 128)

    /// `type` is required at create only: an update may send just a new end.
    static func dateInfo(typeRequired: Bool) -> FieldType {
        .object([
            "type": typeRequired ? .required(.any) : .optional(.any),
            "begin_timestamp": .optional(.int),
            "end_timestamp": .optional(.int),
            "fixed_term": .optional(.int),
            "fixed_begin_term": .optional(.int),
        ])
    }


    static let payInfo: FieldType = .object(["swipe_card": .optional(.object(["is_swipe_card": .optional(.bool)]))])

    /// base_info fields that `/card/update` may change (Member card 8.2's table, plus Updating Card Information's Mini Program twins).
    static let updatableBaseInfo: [String: Field] = [
        "title": .optional(.string(maxBytes: 27)),
        "logo_url": .optional(url),
        "notice": .optional(.string(maxBytes: 48)),
        "description": .optional(long),
        "service_phone": .optional(.string(maxBytes: 24)),
        "color": .optional(.string(maxBytes: 16)),
        "location_id_list": .optional(.array(of: .int)),
        "use_all_locations": .optional(.bool),
        "center_title": .optional(.string(maxBytes: 18)),
        "center_sub_title": .optional(.string(maxBytes: 24)),
        "center_url": .optional(url),
        "center_app_brand_user_name": .optional(appBrand),
        "center_app_brand_pass": .optional(appBrand),
        "custom_url_name": .optional(.string(maxBytes: 16)),
        "custom_url": .optional(url),
        "custom_url_sub_title": .optional(.string(maxBytes: 18)),
        "custom_app_brand_user_name": .optional(appBrand),
        "custom_app_brand_pass": .optional(appBrand),
        "promotion_url_name": .optional(.string(maxBytes: 16)),
        "promotion_url": .optional(url),
        "promotion_url_sub_title": .optional(.string(maxBytes: 18)),
        "promotion_app_brand_user_name": .optional(appBrand),
        "promotion_app_brand_pass": .optional(appBrand),
        // string(16) in the tables, yet CODE_TYPE_ONLY_BARCODE is 22 bytes: the enum check decides.
        "code_type": .optional(.string(maxBytes: 32)),
        "get_limit": .optional(.int),
        "use_limit": .optional(.int),
        "can_share": .optional(.bool),
        "can_give_friend": .optional(.bool),
        "date_info": .optional(dateInfo(typeRequired: false)),
    ]

    /// base_info fields only member cards have (Member card 8.5).
    static let memberOnlyBaseInfo: [String: Field] = [
        "pay_info": .optional(payInfo),
        "is_pay_and_qrcode": .optional(.bool),
        "need_push_on_view": .optional(.bool),
    ]

    /// base_info at create: the updatable fields, made required where Creating a Card says so, and the
    /// fields fixed at create.
    static func createBaseInfo(_ type: CardType) -> [String: Field] {
        var fields = updatableBaseInfo
        for name in ["logo_url", "code_type", "title", "color", "notice", "description"] {
            fields[name] = .required(fields[name]!.type)
        }
        fields["date_info"] = .required(dateInfo(typeRequired: true))
        fields["brand_name"] = .required(.string(maxBytes: 36))
        fields["sub_title"] = .optional(.string(maxBytes: 54))
        fields["sku"] = .required(.object(["quantity": .required(.int)]))
        fields["use_custom_code"] = .optional(.bool)
        fields["get_custom_code_mode"] = .optional(.string(maxBytes: 32))
        fields["bind_openid"] = .optional(.bool)
        fields["source"] = .optional(.string(maxBytes: 36))
        fields["sub_merchant_info"] = .optional(.object(["merchant_id": .optional(.int)]))
        fields["custom_url_name"] = .optional(.string(maxBytes: 15))
        fields["promotion_url_name"] = .optional(.string(maxBytes: 15))
        if type == .memberCard { fields.merge(memberOnlyBaseInfo) { $1 } }
        return fields
    }

    static let customField: FieldType = .object([
        // string(24) in the tables, yet FIELD_NAME_TYPE_ACHIEVEMEN is 26 bytes: the enum check decides.
        "name_type": .optional(.string(maxBytes: 32)),
        "name": .optional(.string(maxBytes: 24)),
        "url": .optional(url),
        "app_brand_user_name": .optional(appBrand),
        "app_brand_pass": .optional(appBrand),
    ])

    static let customCell: FieldType = .object([
        "name": .required(.string(maxBytes: 15)),
        "tips": .required(.string(maxBytes: 18)),
        "url": .required(url),
        "app_brand_user_name": .optional(appBrand),
        "app_brand_pass": .optional(appBrand),
    ])

    static let bonusRule: FieldType = .object([
        "cost_money_unit": .optional(.int),
        "increase_bonus": .optional(.int),
        "max_increase_bonus": .optional(.int),
        "init_increase_bonus": .optional(.int),
        "cost_bonus_unit": .optional(.int),
        "reduce_money": .optional(.int),
        "least_money_to_use_bonus": .optional(.int),
        "max_reduce_bonus": .optional(.int),
    ])

    /// Member card 8.3's `url_cell`, inside `activate_msg_operation` / `modify_msg_operation`.
    static let msgOperation: FieldType = .object([
        "url_cell": .optional(.object([
            "card_id_list": .optional(.array(of: .string(maxBytes: 32))),
            "end_time": .optional(.int),
            "text": .optional(.string(maxBytes: 3072)),
            "url": .optional(url),
            "app_brand_id": .optional(.string(maxBytes: 32)),
            "app_brand_pass": .optional(appBrand),
        ]))
    ])

    /// member_card fields outside base_info that `/card/update` may change (Member card 8.2, Member card 8.3, Updating Card Information).
    static let updatableMemberCard: [String: Field] = [
        "background_pic_url": .optional(url),
        "supply_bonus": .optional(.bool),
        "bonus_cleared": .optional(long),
        "bonus_rules": .optional(long),
        "bonus_url": .optional(url),
        "balance_url": .optional(url),
        "supply_balance": .optional(.bool),
        "balance_rules": .optional(long),
        "prerogative": .optional(long),
        "wx_activate": .optional(.bool),
        "wx_activate_after_submit": .optional(.bool),
        "wx_activate_after_submit_url": .optional(url),
        "auto_activate": .optional(.bool),
        "activate_url": .optional(url),
        "activate_app_brand_user_name": .optional(appBrand),
        "activate_app_brand_pass": .optional(appBrand),
        "custom_field1": .optional(customField),
        "custom_field2": .optional(customField),
        "custom_field3": .optional(customField),
        "custom_cell1": .optional(customCell),
        "bonus_rule": .optional(bonusRule),
        "discount": .optional(.int),
        "activate_msg_operation": .optional(msgOperation),
        "modify_msg_operation": .optional(msgOperation),
    ]

    static let createMemberCard: [String: Field] = {
        var fields = updatableMemberCard
        fields["prerogative"] = .required(long)
        fields["supply_bonus"] = .required(.bool)
        fields["supply_balance"] = .required(.bool)
        fields["bind_old_card_url"] = .optional(url)
        fields["bonus_app_brand_user_name"] = .optional(appBrand)
        fields["bonus_app_brand_pass"] = .optional(appBrand)
        fields["balance_app_brand_user_name"] = .optional(appBrand)
        fields["balance_app_brand_pass"] = .optional(appBrand)
        fields["custom_cell2"] = .optional(customCell)
        fields["custom_cell3"] = .optional(customCell)
        fields["advanced_info"] = .optional(.anyObject)
        return fields
    }()

    /// The coupon types' own fields (Creating a Card, Updating Card Information); at create, the first is required.
    static func couponFields(_ type: CardType, create: Bool) -> [String: Field] {
        let field: (FieldType) -> Field = { create ? .required($0) : .optional($0) }
        var fields: [String: Field]
        switch type {
        case .memberCard: return [:]
        case .groupon: fields = ["deal_detail": field(long)]
        case .cash: fields = ["reduce_cost": field(.int), "least_cost": .optional(.int)]
        case .discount: fields = ["discount": field(.int)]
        case .gift: fields = ["gift": field(long)]
        case .generalCoupon: fields = ["default_detail": field(long)]
        }
        if create { fields["advanced_info"] = .optional(.anyObject) }
        return fields
    }

    /// The object of one card type at create: its own fields and `base_info`.
    static func createFields(_ type: CardType) -> [String: Field] {
        var fields = type == .memberCard ? createMemberCard : couponFields(type, create: true)
        fields["base_info"] = .required(.object(createBaseInfo(type)))
        return fields
    }

    /// The object of one card type at update: what may change, `base_info` included.
    static func updateFields(_ type: CardType) -> [String: Field] {
        var fields = type == .memberCard ? updatableMemberCard : couponFields(type, create: false)
        var baseFields = updatableBaseInfo
        if type == .memberCard { baseFields.merge(memberOnlyBaseInfo) { $1 } }
        fields["base_info"] = .optional(.object(baseFields))
        return fields
    }

    /// `/card/create`'s body, as `/openapi.json` describes it: `card` with its `card_type` and
    /// the object of that type (`createFields`, which the rules check).
    public static let createRequest: [String: Field] = {
        var card: [String: Field] = ["card_type": .required(.enumeration(CardType.allCases.map(\.rawValue)))]
        for type in CardType.allCases { card[type.bodyKey] = .optional(.object(createFields(type))) }
        return ["card": .required(.object(card))]
    }()

    /// `/card/update`'s body: `card_id` and the object of the card's type (`updateFields`).
    public static let updateRequest: [String: Field] = {
        var request: [String: Field] = ["card_id": .required(.text, missing: .missingCardID)]
        for type in CardType.allCases { request[type.bodyKey] = .optional(.object(updateFields(type))) }
        return request
    }()

    /// Fields whose change sends the card back to review (`send_check`), by where they live.
    static let reviewedBaseInfo: Set<String> = ["title", "description"]
    static func reviewedTypeFields(_ type: CardType) -> Set<String> {
        switch type {
        case .memberCard: return ["supply_bonus", "supply_balance", "discount"]
        case .discount: return ["discount"]
        default: return []
        }
    }
}
