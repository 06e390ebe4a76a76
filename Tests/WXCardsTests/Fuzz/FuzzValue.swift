import Foundation

/// A JSON body as the fuzzer builds it: a tree that can also hold what JSON can not (raw bytes,
/// a key written twice), emitted as bytes exactly as chosen.
indirect enum FuzzValue: Sendable {
    case object([(String, FuzzValue)])
    case array([FuzzValue])
    case string(String)
    /// Text written as is between quotes: escapes such as `\u0000` or `\ud800`, or bytes that
    /// are not UTF-8.
    case rawString([UInt8])
    /// A number or literal written as is: `9223372036854775807`, `1e308`, `-0`, `true`, `null`.
    case literal(String)
    /// A value chosen from a pool when the request is made (a card id, a code, …).
    case pick(Pool)

    enum Pool: String, Sendable, CaseIterable {
        case cardID, memberCardID, couponCardID, code, memberCode, openid, ticket, encryptCode, activateTicket, ruleID, mchid, appid, secret
    }

    static func int(_ value: Int64) -> FuzzValue { .literal(String(value)) }
    static let `true` = FuzzValue.literal("true")
    static let `false` = FuzzValue.literal("false")

    /// The bytes of this value, with picks resolved by `resolve`.
    func bytes(_ resolve: (Pool) -> FuzzValue) -> [UInt8] {
        var out: [UInt8] = []
        write(into: &out, resolve)
        return out
    }

    private func write(into out: inout [UInt8], _ resolve: (Pool) -> FuzzValue) {
        switch self {
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                FuzzValue.string(key).write(into: &out, resolve)
                out.append(UInt8(ascii: ":"))
                value.write(into: &out, resolve)
            }
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(into: &out, resolve)
            }
            out.append(UInt8(ascii: "]"))
        case .string(let text):
            out.append(contentsOf: Array((try? JSONEncoder().encode(text)) ?? Data([0x22, 0x22])))
        case .rawString(let bytes):
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: bytes)
            out.append(UInt8(ascii: "\""))
        case .literal(let text):
            out.append(contentsOf: Array(text.utf8))
        case .pick(let pool):
            resolve(pool).write(into: &out, resolve)
        }
    }

    /// The paths of this tree's leaves and members, for mutations to aim at.
    var paths: [[PathStep]] {
        var found: [[PathStep]] = []
        func walk(_ value: FuzzValue, _ path: [PathStep]) {
            switch value {
            case .object(let members):
                for (index, (_, member)) in members.enumerated() {
                    found.append(path + [.member(index)])
                    walk(member, path + [.member(index)])
                }
            case .array(let items):
                for (index, item) in items.enumerated() {
                    found.append(path + [.item(index)])
                    walk(item, path + [.item(index)])
                }
            default: break
            }
        }
        walk(self, [])
        return found
    }

    enum PathStep: Sendable { case member(Int), item(Int) }

    /// This tree with the value at `path` changed by `change` (nil removes it).
    func updating(_ path: ArraySlice<PathStep>, _ change: (FuzzValue) -> FuzzValue?) -> FuzzValue {
        guard let step = path.first else { return change(self) ?? self }
        switch (self, step) {
        case (.object(var members), .member(let index)) where members.indices.contains(index):
            if path.count == 1 {
                if let changed = change(members[index].1) { members[index].1 = changed } else { members.remove(at: index) }
            } else {
                members[index].1 = members[index].1.updating(path.dropFirst(), change)
            }
            return .object(members)
        case (.array(var items), .item(let index)) where items.indices.contains(index):
            if path.count == 1 {
                if let changed = change(items[index]) { items[index] = changed } else { items.remove(at: index) }
            } else {
                items[index] = items[index].updating(path.dropFirst(), change)
            }
            return .array(items)
        default:
            return self
        }
    }

    /// This object with a member added at the end (a key it may already have: then twice).
    func adding(_ key: String, _ value: FuzzValue) -> FuzzValue {
        guard case .object(let members) = self else { return self }
        return .object(members + [(key, value)])
    }
}

/// SplitMix64: small, fast and the same on every machine, so a seed replays a run exactly.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The values the issue names, and their neighbours.
enum Interesting {
    static let integers: [String] = [
        "0", "1", "-1", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967295", "4294967296",
        "9007199254740992", "-9007199254740992", "9007199254740993", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "18446744073709551615", "18446744073709551616", "100000000", "100000001", "36500", "36501",
    ]
    static let floats: [String] = ["1e308", "-1e308", "1.7976931348623157e309", "-0", "-0.0", "0.5", "1.5", "-1.5", "1e-320", "2e9"]

    static func string(_ rng: inout SplitMix64) -> FuzzValue {
        switch Int.random(in: 0..<14, using: &rng) {
        case 0: return .string("")
        case 1: return .string("a")
        case 2: return .string(String(repeating: "x", count: [20, 21, 32, 33, 64, 65, 128, 129, 256, 257][Int.random(in: 0..<10, using: &rng)]))
        case 3: return .string(String(repeating: "汉", count: Int.random(in: 1...50, using: &rng)))
        case 4: return .string(String(repeating: "y", count: Int.random(in: 1_000...100_000, using: &rng)))
        case 5: return .rawString(Array(#"a\u0000b"#.utf8))
        case 6: return .rawString(Array(#"\u0000"#.utf8))
        case 7: return .rawString(Array(#"\ud800"#.utf8))
        case 8: return .rawString(Array(#"\udc00\ud800x"#.utf8))
        case 9: return .rawString([0xFF, 0xFE, 0x41])  // not UTF-8
        case 10: return .rawString([0xC3, 0x28])  // a broken two-byte sequence
        case 11: return .string("😀🇨🇳\u{202E}")
        case 12: return .string("' OR 1=1 --")
        default: return .string("%00%ff?&=")
        }
    }

    /// Any value at all, of any type.
    static func value(_ rng: inout SplitMix64) -> FuzzValue {
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1, 2: return .literal(integers[Int.random(in: 0..<integers.count, using: &rng)])
        case 3: return .literal(floats[Int.random(in: 0..<floats.count, using: &rng)])
        case 4, 5: return string(&rng)
        case 6: return [.true, .false, .literal("null")][Int.random(in: 0..<3, using: &rng)]
        case 7: return .array((0..<Int.random(in: 0...3, using: &rng)).map { _ in .literal(integers[Int.random(in: 0..<integers.count, using: &rng)]) })
        case 8: return .object([("k", string(&rng))])
        default: return .pick(FuzzValue.Pool.allCases[Int.random(in: 0..<FuzzValue.Pool.allCases.count, using: &rng)])
        }
    }
}
