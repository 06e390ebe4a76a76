/// One operation of the API as `GET /openapi.json` describes it. Request bodies are the very
/// schemas the routes check (`CheckedBody.schema` and the feature tables); what an operation
/// adds here is what no validator holds: its summary, its answer's fields and the errcodes it
/// answers beyond the ones every route of its kind shares (`APIErrors`).
struct APIOperation: Sendable {
    enum Method: String, Sendable { case get, post }

    /// How the caller proves who it is.
    enum Auth: Sendable {
        case none
        /// `?access_token=` of an app (or of an authorizer, in third-party platform mode).
        case accessToken
        /// `?component_access_token=` of a third-party platform.
        case componentToken
    }

    /// What a successful call answers.
    enum Answer: Sendable {
        /// WeChat's envelope: `errcode` 0, `errmsg` "ok", then these fields.
        case wechat([String: Field])
        /// JSON without the envelope on success (`/cgi-bin/token`); errors are enveloped.
        case plain([String: Field])
        /// An image (`/cgi-bin/showqrcode`); errors are JSON with HTTP 404.
        case png
        /// Prometheus text (`/metrics`).
        case prometheus
        /// Another JSON document (`/openapi.json` itself).
        case document
    }

    let method: Method
    let path: String
    let tag: APITag
    let summary: String
    var auth: Auth = .accessToken
    /// Query parameters; their values travel as text, typed as the route reads them.
    var query: [String: Field] = [:]
    /// The JSON body; nil for a route without one.
    var body: [String: Field]?
    /// Whether a field the body does not list is refused (40097): the sandbox's own bodies.
    var closedBody = false
    /// Whether the body may be left out (`/sandbox/reset` takes none, or `{}`).
    var bodyRequired = true
    var answer: Answer = .wechat([:])
    /// The errcodes of this operation's own rules.
    var errors: [WeChatError] = []

    static func post(
        _ path: String, _ tag: APITag, _ summary: String, auth: Auth = .accessToken, body: [String: Field],
        closed: Bool = false, answer: Answer = .wechat([:]), errors: [WeChatError] = []
    ) -> APIOperation {
        APIOperation(method: .post, path: path, tag: tag, summary: summary, auth: auth, body: body, closedBody: closed,
                     answer: answer, errors: errors)
    }

    static func get(
        _ path: String, _ tag: APITag, _ summary: String, auth: Auth = .accessToken, query: [String: Field] = [:],
        answer: Answer = .wechat([:]), errors: [WeChatError] = []
    ) -> APIOperation {
        APIOperation(method: .get, path: path, tag: tag, summary: summary, auth: auth, query: query, answer: answer, errors: errors)
    }

    /// A sandbox POST: the body is the route's `SandboxBody.schema`, closed to other fields.
    static func sandbox<Body: SandboxBody>(
        _ path: String, _ summary: String, _ body: Body.Type, answer: [String: Field] = [:], errors: [WeChatError] = []
    ) -> APIOperation {
        post(path, .sandbox, summary, body: Body.schema, closed: true, answer: .wechat(answer), errors: errors)
    }
}

/// The groups of the document, in its order.
enum APITag: String, Sendable, CaseIterable {
    case token = "Access token"
    case cards = "Cards"
    case members = "Members and codes"
    case payGift = "Pay gift"
    case dataCube = "Statistics"
    case component = "Third-party platform"
    case subMerchants = "Sub-merchants"
    case sandbox = "Sandbox"
    case operations = "Operations"

    var about: String {
        switch self {
        case .token: return "Access tokens: every other WeChat API takes one as ?access_token=."
        case .cards: return "Card definitions: create, read, update, delete, stock, review, QR codes."
        case .members: return "Codes held by users: activation, points and balance, the code APIs."
        case .payGift: return "\"Become member upon payment\" rules."
        case .dataCube: return "Card statistics, by China day."
        case .component: return "Third-party platform mode: component tokens and authorizers."
        case .subMerchants: return "Sub-merchants a platform makes cards for."
        case .sandbox: return "wxcards' own: the simulated user side, clock, pushes, faults. Absent with --sandbox off."
        case .operations: return "Health, metrics and this document."
        }
    }
}
