import Foundation
import Hummingbird
import NIOCore

/// Reads a request body as a WeChat API does: JSON whatever the Content-Type says
/// (wechatpy sends none), raw UTF-8 or `\u`-escaped, at most 1 MiB.
public enum JSONBody {
    public static let maxBytes = 1 << 20

    /// Decodes the body into `T`. Every failure is a WeChat error, never a crash:
    /// - over 1 MiB → 45002, refused as soon as the size is known, without reading it whole;
    /// - empty → 44002;
    /// - not JSON, or JSON that is not an object → 47001;
    /// - text holding U+0000 (`\u0000`) → 47001;
    /// - a field of the wrong type → 47001, naming the field.
    public static func decode<T: Decodable>(_ type: T.Type, from request: Request) async throws -> T {
        let bytes = try await collect(request)
        return try decode(type, from: bytes)
    }

    static func collect(_ request: Request) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw WeChatError.contentTooLarge
        }
        do {
            return try await request.body.collect(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            throw WeChatError.contentTooLarge
        }
    }

    public static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        let data = Data(buffer.readableBytesView)
        if isBlank(data) { throw WeChatError.emptyPostData }
        // The first non-blank byte tells an object from any other JSON value.
        guard data.first(where: { !isWhitespace($0) }) == UInt8(ascii: "{") else {
            throw WeChatError.dataFormat.detail("body must be a JSON object")
        }
        if containsEscapedNUL(data) { throw nulInText }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw WeChatError.dataFormat.detail(describe(error))
        } catch let error as WeChatError {
            throw error
        } catch {
            throw WeChatError.dataFormat
        }
    }

    /// Nothing but JSON whitespace.
    static func isBlank(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy(isWhitespace)
    }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// U+0000 in text: SQLite would store it and PostgreSQL refuse it, so one request would
    /// answer differently on the two engines. No WeChat field can hold it; it is refused.
    static let nulInText = WeChatError.dataFormat.detail("text must not contain U+0000")

    /// Whether the JSON text escapes a NUL (`\u0000`). Raw control bytes are not JSON at all
    /// (the parser refuses them); a backslash only appears inside strings, and `\\` is skipped
    /// whole, so `\\u0000` (a backslash, then the text "u0000") is not taken for one.
    static func containsEscapedNUL(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "\\") else { continue }
            guard let escaped = iterator.next() else { return false }
            guard escaped == UInt8(ascii: "u") else { continue }
            var zeros = 0
            while zeros < 4, let digit = iterator.next() {
                guard digit == UInt8(ascii: "0") else { break }
                zeros += 1
            }
            if zeros == 4 { return true }
        }
        return false
    }

    /// Names the field at fault, so a developer sees what to fix.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context):
            return context.codingPath.isEmpty ? "invalid json" : "\(path(context.codingPath)) must be \(describe(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) must be \(describe(type))"
        case .keyNotFound(let key, let context):
            return "missing \(path(context.codingPath + [key]))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "invalid json" : "invalid value at \(path(context.codingPath))"
        @unknown default:
            return "invalid json"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type, is UInt32.Type, is UInt64.Type: return "an integer"
        case is Double.Type: return "a number"
        default:
            let name = String(describing: type)
            if name.hasPrefix("Array") { return "an array" }
            return "an object"
        }
    }
}

/// Writes JSON answers with WeChat's Content-Type.
public enum JSONResponse {
    static let contentType = "application/json; encoding=utf-8"

    public static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        try make(data: encode(value), status: status)
    }

    /// Keys come out sorted, so answers are byte-for-byte stable.
    static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return try encoder.encode(value)
    }

    static func make(data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

/// A successful WeChat answer: `{"errcode":0,"errmsg":"ok", ...payload}`.
public struct OK<Payload: Encodable & Sendable>: ResponseGenerator, Sendable {
    public let payload: Payload

    public init(_ payload: Payload) { self.payload = payload }

    /// `errcode` and `errmsg` lead, as in WeChat's answers; the payload's keys follow, sorted.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(data: try Self.envelope(payload))
    }

    static func envelope(_ payload: Payload) throws -> Data {
        var data = Data(#"{"errcode":0,"errmsg":"ok""#.utf8)
        let body = try JSONResponse.encode(payload)
        // The payload encodes as an object: splice its members in after the envelope's.
        if body.count > 2 {
            data.append(UInt8(ascii: ","))
            data.append(body.dropFirst())
        } else {
            data.append(UInt8(ascii: "}"))
        }
        return data
    }
}

/// The payload of an answer that carries nothing but `errcode` and `errmsg`.
public struct Empty: Encodable, Sendable {
    public init() {}
    private enum Keys: CodingKey {}
    /// An empty object: Foundation refuses a top-level value that encodes nothing at all.
    public func encode(to encoder: any Encoder) throws { _ = encoder.container(keyedBy: Keys.self) }
}

extension OK where Payload == Empty {
    public static var ok: OK<Empty> { OK(Empty()) }
}

/// A plain JSON answer, for the few WeChat answers without an envelope (`/cgi-bin/token`).
public struct PlainJSON<Payload: Encodable & Sendable>: ResponseGenerator, Sendable {
    public let payload: Payload
    public init(_ payload: Payload) { self.payload = payload }
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try JSONResponse.make(payload)
    }
}
