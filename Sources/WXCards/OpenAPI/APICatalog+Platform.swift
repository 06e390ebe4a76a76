/// Third-party platform mode: the component APIs and sub-merchants.
extension APICatalog {
    static let component: [APIOperation] = [
        .post("/cgi-bin/component/api_component_token", .component, "Get a component access token", auth: .none,
              body: ComponentRoutes.TokenRequest.schema, answer: .plain(["component_access_token": text, "expires_in": int]),
              errors: [.missingComponentAppID, .invalidComponent, .componentTicketInvalid, .componentTicketExpired,
                       .missingRequiredFields, .invalidAppSecret, .invalidComponentCredential]),
        .post("/cgi-bin/component/api_create_preauthcode", .component, "Get a pre-authorization code", auth: .componentToken,
              body: ComponentRoutes.ComponentRequest.schema, answer: .plain(["pre_auth_code": text, "expires_in": int]),
              errors: [.missingComponentAppID, .invalidComponent]),
        .post("/cgi-bin/component/api_query_auth", .component, "Exchange an authorization code", auth: .componentToken,
              body: ComponentRoutes.QueryAuthRequest.schema, answer: .plain(["authorization_info": one(authorizationInfo)]),
              errors: [.missingComponentAppID, .invalidComponent, .missingRequiredFields, .authCodeInvalid, .authCodeExpired]),
        .post("/cgi-bin/component/api_authorizer_token", .component, "Refresh an authorizer access token", auth: .componentToken,
              body: ComponentRoutes.AuthorizerTokenRequest.schema,
              answer: .plain(["authorizer_access_token": text, "expires_in": int, "authorizer_refresh_token": text]),
              errors: [.missingComponentAppID, .invalidComponent, .missingRequiredFields, .refreshTokenInvalid,
                       .componentNotAuthorized, .invalidAppID]),
        .post("/cgi-bin/component/api_get_authorizer_info", .component, "Get an authorizer's account", auth: .componentToken,
              body: ComponentRoutes.AuthorizerRequest.schema, answer: .plain([
                  "authorizer_info": object,
                  "authorization_info": one(["authorizer_appid": text, "authorizer_refresh_token": text, "func_info": funcInfo]),
              ]),
              errors: [.missingComponentAppID, .invalidComponent, .missingRequiredFields, .componentNotAuthorized, .invalidAppID]),
    ]

    static let subMerchantInfo: [String: Field] = ["info": one(subMerchant)]

    static let subMerchants: [APIOperation] = [
        .post("/card/submerchant/submit", .subMerchants, "Submit a sub-merchant", body: SubMerchantRoutes.InfoRequest.schema,
              answer: .wechat(subMerchantInfo), errors: [.invalidArgs, .invalidTime, .apiUnauthorized]),
        .post("/card/submerchant/update", .subMerchants, "Update a sub-merchant", body: SubMerchantRoutes.InfoRequest.schema,
              answer: .wechat(subMerchantInfo),
              errors: [.invalidArgs, .invalidTime, .invalidSubMerchantID, .invalidSubMerchantStatus, .apiUnauthorized]),
        .post("/card/submerchant/get", .subMerchants, "Get a sub-merchant", body: SubMerchantRoutes.GetRequest.schema,
              answer: .wechat(subMerchantInfo), errors: [.invalidSubMerchantID, .apiUnauthorized]),
        .post("/card/submerchant/batchget", .subMerchants, "List sub-merchants", body: SubMerchantRoutes.BatchRequest.schema,
              answer: .wechat(["info_list": list(subMerchant), "next_begin_id": int]), errors: [.invalidArgs, .apiUnauthorized]),
        .get("/card/getapplyprotocol", .subMerchants, "The categories a sub-merchant may apply for",
             answer: .wechat(applyProtocol)),
    ]
}
