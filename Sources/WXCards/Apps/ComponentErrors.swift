/// The third-party platform (component) codes of api-spec §9.1, with WeChat's texts. They live
/// beside the access tokens because the token check itself answers some of them (61007, 61015).
extension WeChatError {
    public static let componentNotAuthorized = WeChatError(61003, "component is not authorized by this account")
    public static let componentTicketExpired = WeChatError(61005, "component ticket is expired")
    public static let componentTicketInvalid = WeChatError(61006, "component ticket is invalid")
    public static let apiUnauthorizedToComponent = WeChatError(61007, "api is unauthorized to component")
    public static let authCodeInvalid = WeChatError(61009, "code is invalid")
    public static let authCodeExpired = WeChatError(61010, "code is expired")
    public static let invalidComponent = WeChatError(61011, "invalid component")
    public static let mustUseComponentToken = WeChatError(61014, "must use component token for component api")
    public static let mustUseBizToken = WeChatError(61015, "must use biz account token for not component api")
    public static let refreshTokenInvalid = WeChatError(61023, "refresh_token is invalid")
    public static let invalidComponentCredential = WeChatError(40094, "invalid component credential")
    public static let missingComponentAppID = WeChatError(41018, "missing component_appid")
    public static let missingComponentAccessToken = WeChatError(41021, "missing component_access_token")
}
