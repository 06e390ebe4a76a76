/// Every operation the server answers, as `/openapi.json` lists them. A test compares this list
/// with the router's own (`Router.routes`), so a route added without its entry fails the build's
/// tests, and the request bodies are the schemas the routes check.
enum APICatalog {
    static let operations: [APIOperation] = {
        let listed = token + cards + members + payGift + dataCube + component + subMerchants + sandbox + operationsRoutes
        // Every WeChat POST API also answers GET, with 43002 (`RouterMethods.wechatPOST`), after
        // the access token is checked where the POST takes one; the sandbox's `POST /sandbox/app`
        // and `/sandbox/faults` have a GET of their own instead.
        let gets = Set(listed.filter { $0.method == .get }.map(\.path))
        let twins = listed.filter { $0.method == .post && !gets.contains($0.path) }.map { post in
            APIOperation.get(post.path, post.tag, "Answers 43002: \(post.path) takes POST",
                             auth: post.auth == .accessToken ? .accessToken : .none, errors: [.requirePOST])
        }
        return listed + twins
    }()

    /// Answer field shorthands: the answers are described, not checked, so these say what the
    /// value is and nothing more.
    static let text = Field.required(.text), int = Field.required(.int), bool = Field.required(.bool)
    static let object = Field.required(.anyObject), objects = Field.required(.array(of: .anyObject))
    static func maybe(_ type: FieldType) -> Field { .optional(type) }
}

extension APIOperation {
    /// The ids a route looks up answer their own errors; these appear on most card routes.
    static let cardLookup: [WeChatError] = [.invalidCardID, .missingCardID]
    /// `Members.held`: the card, the code, and whether the code belongs to the card.
    static let codeLookup: [WeChatError] = [
        .invalidCardID, .missingCardID, .missingCode, .invalidSerialCode, .invalidCode, .invalidCardType, .invalidArgs,
    ]
}
