/// A component (third-party platform) as stored: its credentials and message settings.
public struct ComponentRecord: Sendable, Equatable {
    public let componentAppID: String
    public let secret: String
    public let settings: ComponentRules.Settings
}

/// An app's standing authorization of a component.
public struct Authorization: Sendable, Equatable {
    public let authorizerAppID: String
    public let componentAppID: String
    public let scopes: [Int]
    public let refreshToken: String
}

/// What the component API answers, in WeChat's field names.
public enum ComponentAnswers {
    public struct ComponentToken: Encodable, Sendable {
        let component_access_token: String
        let expires_in: Int64
    }

    public struct PreAuthCode: Encodable, Sendable {
        let pre_auth_code: String
        let expires_in: Int64
    }

    public struct FuncInfo: Encodable, Sendable {
        struct Category: Encodable, Sendable { let id: Int }
        let funcscope_category: Category

        static func list(_ scopes: [Int]) -> [FuncInfo] { scopes.map { FuncInfo(funcscope_category: Category(id: $0)) } }
    }

    public struct AuthorizationInfo: Encodable, Sendable {
        let authorizer_appid: String
        let authorizer_access_token: String
        let expires_in: Int64
        let authorizer_refresh_token: String
        let func_info: [FuncInfo]
    }

    public struct QueryAuth: Encodable, Sendable { let authorization_info: AuthorizationInfo }

    public struct AuthorizerToken: Encodable, Sendable {
        let authorizer_access_token: String
        let expires_in: Int64
        let authorizer_refresh_token: String
    }

    public struct AuthorizerInfo: Encodable, Sendable {
        struct TypeInfo: Encodable, Sendable { let id: Int }
        struct BusinessInfo: Encodable, Sendable {
            let open_store: Int; let open_scan: Int; let open_pay: Int; let open_card: Int; let open_shake: Int
        }
        struct Info: Encodable, Sendable {
            let nick_name: String; let head_img: String; let service_type_info: TypeInfo; let verify_type_info: TypeInfo
            let user_name: String; let principal_name: String; let alias: String; let qrcode_url: String
            let signature: String; let business_info: BusinessInfo; let account_status: Int
        }
        struct Authorization: Encodable, Sendable {
            let authorizer_appid: String; let authorizer_refresh_token: String; let func_info: [FuncInfo]
        }
        let authorizer_info: Info
        let authorization_info: Authorization
    }
}
