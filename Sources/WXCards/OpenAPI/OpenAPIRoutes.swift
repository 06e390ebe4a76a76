import Foundation
import Hummingbird

/// `GET /openapi.json`: the document, rendered once (it is the same for the life of the process).
public struct OpenAPIRoutes: Sendable {
    /// The document's `info.version`: the API's, which changes when an operation does.
    static let version = "1.0.0"

    let document: Data

    public init() {
        // Encoded as every answer is (sorted keys, slashes as they are). Encoding a JSONValue can
        // not fail: it holds nothing but JSON.
        document = (try? JSONResponse.encode(OpenAPIDocument.render(APICatalog.operations, version: Self.version))) ?? Data("{}".utf8)
    }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: document)))
        }
    }
}
