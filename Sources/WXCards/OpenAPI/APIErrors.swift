/// The errcodes an operation answers, with their errmsg: its own, and the ones every operation of
/// its kind shares, derived from how it is called (its token, its body's schema).
enum APIErrors {
    /// `AccessTokenMiddleware`: missing, malformed, unknown, expired, a component token on an
    /// app API, an authorizer token without the card scope.
    static let accessToken: [WeChatError] = [
        .accessTokenMissing, .invalidAccessToken, .invalidCredential, .accessTokenExpired, .mustUseBizToken, .apiUnauthorizedToComponent,
    ]
    /// The component APIs' own token (`?component_access_token=`).
    static let componentToken: [WeChatError] = [
        .missingComponentAccessToken, .invalidAccessToken, .invalidComponentCredential, .accessTokenExpired, .mustUseComponentToken,
    ]
    /// Any request: a NUL (`%00`) in the query is refused as in a body (`EnvelopeMiddleware`).
    static let anyRequest: [WeChatError] = [.dataFormat]
    /// Reading any JSON body (`JSONBody`): empty, over 1 MiB, not a JSON object or a wrong type.
    static let body: [WeChatError] = [.emptyPostData, .contentTooLarge, .dataFormat]

    /// Everything `operation` can answer, each errcode once, in errcode order.
    static func all(_ operation: APIOperation) -> [WeChatError] {
        var errors = operation.errors + anyRequest
        switch operation.auth {
        case .none: break
        case .accessToken: errors += accessToken
        case .componentToken: errors += componentToken
        }
        if let body = operation.body {
            errors += Self.body
            errors += fieldErrors(body)
            if operation.closedBody { errors.append(.invalidArgs) }
        }
        var seen = Set<Int>()
        return errors.sorted { $0.code < $1.code }.filter { seen.insert($0.code).inserted }
    }

    /// What the schema itself refuses: a missing required field (41011, or the field's own code)
    /// and a string over its `string(n)` limit (45021).
    static func fieldErrors(_ fields: [String: Field]) -> [WeChatError] {
        var errors: [WeChatError] = []
        for field in fields.values {
            if field.required { errors.append(field.missing ?? .missingRequiredFields) }
            if let wrongType = field.wrongType { errors.append(wrongType) }
            errors += typeErrors(field.type)
        }
        return errors
    }

    static func typeErrors(_ type: FieldType) -> [WeChatError] {
        switch type {
        case .string: return type.byteLimit == nil ? [] : [.outOfLengthLimit]
        case .object(let fields): return fieldErrors(fields)
        case .array(let element): return typeErrors(element)
        case .int, .number, .bool, .enumeration, .anyObject, .any: return []
        }
    }
}
