/// The WeChat APIs: tokens, cards, members and codes, pay gift, statistics.
extension APICatalog {
    static let grant: [String: Field] = ["access_token": text, "expires_in": int]

    static let token: [APIOperation] = [
        .get("/cgi-bin/token", .token, "Get an access token (the previous one keeps working for 5 minutes)", auth: .none,
             query: ["grant_type": .required(.enumeration(["client_credential"])), "appid": .required(.text), "secret": .required(.text)],
             answer: .plain(grant),
             errors: [.invalidGrantType, .invalidAppID, .invalidAppSecret, .appIDMissing, .appSecretMissing, .invalidCredential]),
        .post("/cgi-bin/stable_token", .token, "Get the stable access token", auth: .none, body: TokenRoutes.StableTokenRequest.schema,
              answer: .plain(grant),
              errors: [.invalidGrantType, .invalidAppID, .invalidAppSecret, .appIDMissing, .appSecretMissing, .invalidCredential]),
    ]

    static let cards: [APIOperation] = [
        .post("/card/create", .cards, "Create a card (member card or coupon)", body: CardSchema.createRequest,
              answer: .wechat(["card_id": text]),
              errors: [.invalidArgs, .invalidCardType, .invalidColor, .invalidTime, .invalidDateInfo, .invalidCardQuantity,
                       .requireBizPayAuth, .totalSkuQuantityLimit, .invalidCardID, .subMerchantCardType, .invalidSubMerchantID,
                       .invalidSubMerchantStatus, .cannotUnsupplyBonus, .cardListSizeOutOfLimit]),
        .post("/card/get", .cards, "Get a card's definition", body: CardRoutes.CardIDRequest.schema,
              answer: .wechat(["card": object]), errors: APIOperation.cardLookup),
        .post("/card/batchget", .cards, "List card ids", body: CardRoutes.BatchGetRequest.schema,
              answer: .wechat(["card_id_list": .required(.array(of: .text)), "total_num": int]), errors: [.invalidArgs]),
        .post("/card/update", .cards, "Update a card", body: CardSchema.updateRequest, answer: .wechat(["send_check": bool]),
              errors: APIOperation.cardLookup + [.invalidArgs, .invalidCardType, .invalidColor, .invalidTime, .invalidDateInfo,
                                                 .invalidCardStatus, .requireBizPayAuth, .cannotUnsupplyBonus,
                                                 .cardListSizeOutOfLimit, .invalidCardQuantity]),
        .post("/card/delete", .cards, "Delete a card", body: CardRoutes.CardIDRequest.schema, errors: APIOperation.cardLookup),
        .post("/card/modifystock", .cards, "Change a card's stock", body: CardRoutes.ModifyStockRequest.schema,
              errors: APIOperation.cardLookup + [.invalidArgs, .stockOutOfLimit, .invalidCardQuantity, .totalSkuQuantityLimit,
                                                 .invalidCardStatus]),
        .post("/card/qrcode/create", .cards, "Create a QR code that claims a card", body: QRCodeRules.requestSchema,
              answer: .wechat(["ticket": text, "expire_seconds": maybe(.int), "url": text, "show_qrcode_url": text]),
              errors: APIOperation.cardLookup + [.invalidActionName, .invalidActionInfo, .invalidArgs, .cardListSizeOutOfLimit,
                                                 .invalidCardStatus, .invalidOpenid, .invalidSerialCode]),
        .get("/cgi-bin/showqrcode", .cards, "The QR code image of a ticket", auth: .none,
             query: ["ticket": .required(.string(maxBytes: QRCodeRoutes.maxTicketBytes))], answer: .png, errors: [QRCodeRoutes.notFound]),
        .post("/card/testwhitelist/set", .cards, "Set the test whitelist", body: CardRoutes.WhitelistRequest.schema,
              errors: [.invalidArgs, .invalidOpenid]),
    ]

    static let memberInfo: [String: Field] = [
        "openid": text, "nickname": text, "membership_number": text, "bonus": int, "balance": int, "sex": text,
        "user_info": object, "user_card_status": .required(.enumeration(UserCardStatus.allCases.map(\.rawValue))),
        "has_active": bool,
    ]

    static let members: [APIOperation] = [
        .post("/card/membercard/activate", .members, "Activate a member card", body: Members.activateFields,
              errors: APIOperation.codeLookup + [.invalidCardType, .invalidUserCardStatus, .invalidArgs, .bonusOutOfLimit,
                                                 .balanceOutOfLimit, .cannotUseBonus, .cannotUseBalance, .invalidTime]),
        .post("/card/membercard/activateuserform/set", .members, "Set the one-click activation form", body: ActivationForm.fields,
              errors: APIOperation.cardLookup + [.invalidArgs, .invalidCardType]),
        .post("/card/membercard/activatetempinfo/get", .members, "Read what a user submitted to the form",
              body: MemberRoutes.TicketRequest.schema, answer: .wechat(["info": object]), errors: [.invalidArgs]),
        .post("/card/membercard/userinfo/get", .members, "Get a member", body: MemberRoutes.CodeRequest.schema,
              answer: .wechat(memberInfo), errors: APIOperation.codeLookup + [.invalidCardType, .invalidUserCardStatus]),
        .post("/card/membercard/updateuser", .members, "Change a member's points, balance and custom values",
              body: Members.UpdateUserRequest.schema,
              answer: .wechat(["result_bonus": int, "result_balance": int, "openid": text]),
              errors: APIOperation.codeLookup + [.invalidCardType, .invalidUserCardStatus, .bonusOutOfLimit, .balanceOutOfLimit,
                                                 .cannotUseBonus, .cannotUseBalance, .invalidArgs]),
        .post("/card/code/get", .members, "Look up a code", body: MemberRoutes.CodeGetRequest.schema,
              answer: .wechat([
                  "card": one(["card_id": text, "begin_time": int, "end_time": int]), "openid": text, "can_consume": bool,
                  "outer_str": maybe(.text), "user_card_status": .required(.enumeration(UserCardStatus.allCases.map(\.rawValue))),
              ]),
              errors: APIOperation.codeLookup + [.codeConsumed, .invalidUserCardStatus]),
        .post("/card/code/consume", .members, "Consume (redeem) a code", body: MemberRoutes.CodeRequest.schema,
              answer: .wechat(["card": one(["card_id": text]), "openid": text]),
              errors: APIOperation.codeLookup + [.codeConsumed, .invalidUserCardStatus, .cardFunctionNotSupported]),
        .post("/card/code/decrypt", .members, "Decrypt an encrypt_code", body: MemberRoutes.DecryptRequest.schema,
              answer: .wechat(["code": text]), errors: [.invalidEncryptCode]),
        .post("/card/code/update", .members, "Change a custom code", body: MemberRoutes.CodeUpdateRequest.schema,
              errors: APIOperation.codeLookup + [.invalidUserCardStatus, .invalidCode, .invalidArgs]),
        .post("/card/code/unavailable", .members, "Make a code unavailable", body: MemberRoutes.CodeUnavailableRequest.schema,
              errors: APIOperation.codeLookup + [.invalidUserCardStatus]),
        .post("/card/user/getcardlist", .members, "A user's cards", body: MemberRoutes.CardListRequest.schema,
              answer: .wechat(["card_list": list(["card_id": text, "code": text]), "has_share_card": bool]), errors: [.invalidOpenid] + APIOperation.cardLookup),
    ]

    static let payGift: [APIOperation] = [
        .post("/card/paygiftcard/add", .payGift, "Add a \"become member upon payment\" rule", body: PayGiftRules.addSchema,
              answer: .wechat(["rule_id": int, "succ_mchid_list": .required(.array(of: .text)), "fail_mchid_list": list(mchidFailure)]),
              errors: APIOperation.cardLookup + [.invalidArgs, .needMemberCard, .mchidSizeLimit, .invalidTime, .invalidCardStatus,
                                                 .requireBizPayAuth]),
        .post("/card/paygiftcard/delete", .payGift, "Delete a rule", body: PayGiftRoutes.RuleRequest.schema, errors: [.invalidArgs]),
        .post("/card/paygiftcard/getbyid", .payGift, "Get a rule", body: PayGiftRoutes.RuleRequest.schema,
              answer: .wechat(["rule_info": one(payGiftRule)]), errors: [.invalidArgs]),
        .post("/card/paygiftcard/batchget", .payGift, "List rules", body: PayGiftRoutes.BatchRequest.schema,
              answer: .wechat(["total_count": int, "rule_list": list(payGiftRule)]), errors: [.invalidArgs]),
    ]

    static let dataCube: [APIOperation] = [
        .post("/datacube/getcardbizuininfo", .dataCube, "All cards, by day", body: DataCubeRules.overviewSchema,
              answer: .wechat(["list": list(["ref_date": text])]), errors: [.dateFormat, .dateRange, .invalidArgs]),
        .post("/datacube/getcardcardinfo", .dataCube, "Each coupon, by day", body: DataCubeRules.couponsSchema,
              answer: .wechat(["list": list(["ref_date": text])]), errors: [.dateFormat, .dateRange, .invalidArgs] + APIOperation.cardLookup),
        .post("/datacube/getcardmembercardinfo", .dataCube, "All member cards, by day", body: DataCubeRules.overviewSchema,
              answer: .wechat(["list": list(["ref_date": text])]), errors: [.dateFormat, .dateRange, .invalidArgs]),
        .post("/datacube/getcardmembercarddetail", .dataCube, "One member card, by day", body: DataCubeRules.detailSchema,
              answer: .wechat(["list": list(["ref_date": text])]), errors: [.dateFormat, .dateRange] + APIOperation.cardLookup),
    ]
}
