import Hummingbird

/// A WeChat API error: an `errcode` with its `errmsg` text.
///
/// It renders itself as WeChat does: HTTP 200 with
/// `{"errcode": N, "errmsg": "<text> rid: <request id>"}`, so no route formats errors by hand.
/// The one exception is an unknown path, which answers HTTP 404 with the same JSON shape.
public struct WeChatError: Error, Equatable, Sendable {
    public let code: Int
    public let message: String
    /// HTTP status of the answer; 200 for every API error, as WeChat does.
    public let httpStatus: HTTPResponse.Status

    public init(_ code: Int, _ message: String, httpStatus: HTTPResponse.Status = .ok) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }

    /// The same error answered with another HTTP status (404 for a missing image, 405 for a
    /// method a path does not take).
    public func answering(_ status: HTTPResponse.Status) -> WeChatError {
        WeChatError(code, message, httpStatus: status)
    }

    /// The same error with more detail appended to its text, e.g. which field was wrong.
    public func detail(_ text: String) -> WeChatError {
        WeChatError(code, "\(message), \(text)", httpStatus: httpStatus)
    }
}

// MARK: - The codes of Get Access Token and Global Return Codes. Texts are WeChat's own where they are known.

extension WeChatError {
    public static let systemError = WeChatError(-1, "system error")
    public static let invalidCredential = WeChatError(40001, "invalid credential, access_token is invalid or not latest")
    public static let invalidGrantType = WeChatError(40002, "invalid grant_type")
    public static let invalidAppID = WeChatError(40013, "invalid appid")
    public static let invalidAccessToken = WeChatError(40014, "invalid access_token")
    public static let invalidArgs = WeChatError(40097, "invalid args")
    public static let invalidAppSecret = WeChatError(40125, "invalid appsecret")
    public static let accessTokenMissing = WeChatError(41001, "access_token missing")
    public static let appIDMissing = WeChatError(41002, "appid missing")
    public static let appSecretMissing = WeChatError(41004, "appsecret missing")
    public static let missingRequiredFields = WeChatError(41011, "missing required fields! please check document and request json!")
    public static let accessTokenExpired = WeChatError(42001, "access_token expired")
    public static let requirePOST = WeChatError(43002, "require POST method")
    /// Not in the spec's table: WeChat's global code for a GET API called otherwise, used for
    /// a method a GET-only path does not take (`docs/compatibility.md`).
    public static let requireGET = WeChatError(43001, "require GET method")
    public static let emptyPostData = WeChatError(44002, "empty post data")
    public static let contentTooLarge = WeChatError(45002, "content size out of limit")
    public static let dataFormat = WeChatError(47001, "data format error")
    public static let apiUnauthorized = WeChatError(48001, "api unauthorized")
    public static let outOfLengthLimit = WeChatError(45021, "some argument may be out of length limit! please check document and request json!")
    /// Unknown path: HTTP 404 with a JSON body, so SDKs that parse errors still get an errcode.
    public static let unknownPath = WeChatError(40066, "invalid url", httpStatus: .notFound)
}

extension WeChatError: HTTPResponseError {
    public var status: HTTPResponse.Status { httpStatus }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let rid = (context as? WXRequestContext)?.rid ?? ""
        return try JSONResponse.make(ErrorBody(errcode: code, errmsg: rid.isEmpty ? message : "\(message) rid: \(rid)"), status: httpStatus)
    }
}

/// Sorted keys put `errcode` before `errmsg`, as WeChat writes them.
private struct ErrorBody: Encodable {
    let errcode: Int
    let errmsg: String
}
