import NIOCore
import SQLKit

/// One SQLite value, as a bind or a column: SQLite's five storage classes.
enum SQLiteValue: Sendable, Equatable {
    case integer(Int64)
    case float(Double)
    case text(String)
    case blob(ByteBuffer)
    case null

    /// SQLKit's binds as SQLite values. The types the features bind (strings, integers, flags,
    /// nil) go straight across, without protocol-conformance lookups, which showed in the
    /// writer's profile; any other single value goes through `SingleValueEncoder`.
    static func binds(_ binds: [any Encodable & Sendable]) throws -> [SQLiteValue] {
        try binds.map { bind in
            switch bind {
            case let text as String?: return text.map { .text($0) } ?? .null
            case let number as Int64?: return number.map { .integer($0) } ?? .null
            case let number as Int?: return number.map { .integer(Int64($0)) } ?? .null
            case let flag as Bool?: return flag.map { .integer($0 ? 1 : 0) } ?? .null
            case let number as Double?: return number.map { .float($0) } ?? .null
            default:
                let encoder = SingleValueEncoder()
                try bind.encode(to: encoder)
                return encoder.value
            }
        }
    }
}

/// SQLite's SQL dialect for SQLKit (what SQLiteKit's was): only raw SQL is written here, so what
/// matters is the `?N` placeholder, quoting and booleans.
struct SQLiteSQLDialect: SQLDialect {
    var name: String { "sqlite" }
    var identifierQuote: any SQLExpression { SQLRaw(#"""#) }
    var literalStringQuote: any SQLExpression { SQLRaw("'") }
    func bindPlaceholder(at position: Int) -> any SQLExpression { SQLRaw("?\(position)") }
    func literalBoolean(_ value: Bool) -> any SQLExpression { SQLRaw(value ? "TRUE" : "FALSE") }
    var literalDefault: any SQLExpression { SQLLiteral.null }
    var supportsAutoIncrement: Bool { false }
    var autoIncrementClause: any SQLExpression { SQLRaw("AUTOINCREMENT") }
    var supportsReturning: Bool { true }
    var upsertSyntax: SQLUpsertSyntax { .standard }
}

/// Encodes one scalar `Encodable` (an enum with a raw value, say) as an SQLite value.
private final class SingleValueEncoder: Encoder, SingleValueEncodingContainer {
    var value: SQLiteValue = .null
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Unsupported<Key>())
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { Unsupported<AnyKey>() }
    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    func encodeNil() { value = .null }
    func encode(_ value: Bool) { self.value = .integer(value ? 1 : 0) }
    func encode(_ value: String) { self.value = .text(value) }
    func encode(_ value: Double) { self.value = .float(value) }
    func encode(_ value: Float) { self.value = .float(Double(value)) }
    func encode(_ value: Int) { self.value = .integer(Int64(value)) }
    func encode(_ value: Int8) { self.value = .integer(Int64(value)) }
    func encode(_ value: Int16) { self.value = .integer(Int64(value)) }
    func encode(_ value: Int32) { self.value = .integer(Int64(value)) }
    func encode(_ value: Int64) { self.value = .integer(value) }
    func encode(_ value: UInt8) { self.value = .integer(Int64(value)) }
    func encode(_ value: UInt16) { self.value = .integer(Int64(value)) }
    func encode(_ value: UInt32) { self.value = .integer(Int64(value)) }
    func encode(_ value: UInt) throws { self.value = .integer(try Self.exact(value)) }
    func encode(_ value: UInt64) throws { self.value = .integer(try Self.exact(value)) }
    func encode<T: Encodable>(_ value: T) throws { try value.encode(to: self) }

    private static func exact(_ value: some BinaryInteger) throws -> Int64 {
        guard let exact = Int64(exactly: value) else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(value) does not fit SQLite's 64-bit integer"))
        }
        return exact
    }

    /// Binds are single values: a keyed or unkeyed value is a programming error, reported as one.
    private struct Unsupported<Key: CodingKey>: KeyedEncodingContainerProtocol, UnkeyedEncodingContainer {
        var codingPath: [any CodingKey] = []
        var count = 0
        private var error: EncodingError {
            .invalidValue((), .init(codingPath: [], debugDescription: "an SQLite bind must be a single value"))
        }
        mutating func encodeNil(forKey key: Key) throws { throw error }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { throw error }
        mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type, forKey key: Key) -> KeyedEncodingContainer<N> {
            KeyedEncodingContainer(Unsupported<N>())
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { self }
        mutating func superEncoder() -> any Encoder { SingleValueEncoder() }
        mutating func superEncoder(forKey key: Key) -> any Encoder { SingleValueEncoder() }
        mutating func encodeNil() throws { throw error }
        mutating func encode<T: Encodable>(_ value: T) throws { throw error }
        mutating func nestedContainer<N: CodingKey>(keyedBy keyType: N.Type) -> KeyedEncodingContainer<N> {
            KeyedEncodingContainer(Unsupported<N>())
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { self }
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) { self.stringValue = "\(intValue)"; self.intValue = intValue }
}

/// Decodes one column's value as a scalar `Decodable` (Bool, Double, an Int of any width, an
/// enum with a raw value, an Optional of these). Integers are narrowed exactly or refused.
struct SQLiteValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: SQLiteValue
    let column: String
    var codingPath: [any CodingKey] { [AnyKey(stringValue: column)] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        throw mismatch(type)
    }
    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { throw mismatch([Any].self) }
    func singleValueContainer() -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool { value == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try integer(type) != 0 }
    func decode(_ type: String.Type) throws -> String {
        guard case .text(let text) = value else { throw mismatch(type) }
        return text
    }
    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .float(let number): return number
        case .integer(let number): return Double(number)
        default: throw mismatch(type)
        }
    }
    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
    func decode(_ type: Int.Type) throws -> Int { try exact(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try exact(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try exact(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try exact(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try exact(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try exact(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try exact(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try exact(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try exact(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: self) }

    private func integer(_ type: Any.Type) throws -> Int64 {
        guard case .integer(let number) = value else { throw mismatch(type) }
        return number
    }
    private func exact<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard let number = T(exactly: try integer(type)) else { throw mismatch(type) }
        return number
    }
    private func mismatch(_ type: Any.Type) -> DecodingError {
        .typeMismatch(type, .init(codingPath: codingPath, debugDescription: "column \(column) holds \(value)"))
    }
}
