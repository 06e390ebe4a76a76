import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing
@testable import WXCards

/// The fuzz suite: schema-aware requests to every route through the real router on
/// a real SQLite database. Each request is a route's template (the spec's example with real ids)
/// sent as is or mutated: wrong types; missing, duplicate and unknown keys; the integers 0, ±1,
/// ±2^31, ±2^53, ±2^63 and 2^64; floats, 1e308 and -0; strings of 0 to 100k bytes; invalid
/// UTF-8, `\ud800` and `\u0000`; nesting 10,000 deep; bodies that are not JSON; wrong methods;
/// and tokens that are wrong, expired, missing or another app's.
///
/// Every answer must be HTTP 200 with a JSON object carrying an integer errcode (404 with one
/// for unknown paths, 405 for a method a path does not take), never -1, and an errcode the route's entry in `/openapi.json` lists. A refused request changes no row; a request made with the
/// other app's token changes none of this app's rows. The process stays up (a trap ends the
/// test run), and `PRAGMA integrity_check` is `ok` at the end.
///
/// `FUZZ_CASES` (default 20,000) and `FUZZ_SEED` (default 11) pick the run; a failure prints
/// the case with the values that replay it. The case in flight is also written to
/// `$TMPDIR/wxcards-fuzz-last-case`, which `scripts/test` prints if the run dies.
@Suite struct FuzzTests {
    static let environment = ProcessInfo.processInfo.environment
    static let cases = environment["FUZZ_CASES"].flatMap(Int.init) ?? 20_000
    static let seed = environment["FUZZ_SEED"].flatMap(UInt64.init) ?? 11
    static let lastCaseFile = FileManager.default.temporaryDirectory.appendingPathComponent("wxcards-fuzz-last-case")

    /// A fresh server and world every `segment` cases: the database stays small, so a long run
    /// (`FUZZ_CASES=200000`) goes as fast per case as a short one. Each case's request depends
    /// only on the seed and its index, so a replay line holds across segments.
    static let segment = 20_000

    @Test func everyRouteHoldsUpUnderTheFuzzer() async throws {
        var total = Report()
        for start in stride(from: 0, to: Self.cases, by: Self.segment) {
            let report = try await withTestServer { server in
                try await Self.run(server, cases: min(Self.segment, Self.cases - start), first: start, checkRows: true)
            }
            #expect(report.integrity == "ok", "segment from case \(start + 1)")
            total.cases += report.cases
            total.seconds += report.seconds
            total.failures += report.failures
            total.errcodes.merge(report.errcodes, uniquingKeysWith: +)
            if !total.failures.isEmpty { break }
        }
        Self.check(total, engine: .sqlite)
    }

    /// The same requests on PostgreSQL (`FUZZ_POSTGRES_CASES`, default 2,000), where types and
    /// text differ: every answer still a WeChat one, never -1. (Rows are compared on SQLite.)
    @Test(.enabled(if: TestEngine.postgresURL != nil))
    func everyRouteHoldsUpOnPostgreSQL() async throws {
        let cases = Self.environment["FUZZ_POSTGRES_CASES"].flatMap(Int.init) ?? 2_000
        let report = try await withTestServer(.postgres) { server in try await Self.run(server, cases: cases, first: 0, checkRows: false) }
        Self.check(report, engine: .postgres)
    }

    static func check(_ report: Report, engine: TestEngine) {
        print("fuzz (\(engine)): \(report.cases) cases (seed \(Self.seed)) in \(report.seconds) s; "
            + "errcodes: \(report.errcodes.sorted { $0.value > $1.value }.prefix(25).map { "\($0.key)×\($0.value)" }.joined(separator: " "))")
        for failure in report.failures.prefix(20) { Issue.record(Comment(rawValue: failure)) }
        #expect(report.failures.isEmpty)
    }

    struct Report: Sendable {
        var cases = 0
        var errcodes: [Int: Int] = [:]
        var failures: [String] = []
        var integrity = ""
        var seconds = 0
    }

    /// Runs cases `first + 1` … `first + cases` against one server.
    static func run(_ server: TestServer, cases: Int, first: Int, checkRows: Bool) async throws -> Report {
        let started = ContinuousClock.now
        var world = try await FuzzWorld.make(server)
        let digester = checkRows ? try await FuzzDigest.Reader(server.services.store) : nil
        var digest = try await digester?.digest() ?? FuzzDigest()
        var report = Report()
        for index in first..<(first + cases) {
            if index > first, index % 1000 == 0 {
                try await world.refreshTokens(server)
                try await world.replenish(server)
                digest = try await digester?.digest() ?? FuzzDigest()
            }
            var rng = SplitMix64(seed: seed &* 0x1000_0000 &+ UInt64(index))
            let request = FuzzRequest.make(&rng, world: world)
            let replay = "FUZZ_SEED=\(seed) FUZZ_CASES=\(index + 1): \(request)"
            try? Data(replay.utf8).write(to: lastCaseFile)

            let response = try await server.client.execute(
                uri: request.uri, method: request.method, headers: [:], body: ByteBuffer(bytes: request.body))
            let answer = FuzzAnswer(response, route: request.route)
            report.cases += 1
            if let errcode = answer.errcode { report.errcodes[errcode, default: 0] += 1 }
            if let problem = answer.problem {
                // The server's own account of a -1: the error it logged under the answer's rid.
                let logged = server.logs.all.last { $0.level == .error }.map { "\n  logged: \($0.text.prefix(600))" } ?? ""
                report.failures.append("\(problem)\n  answer: \(answer.text.prefix(300))\n  replay: \(replay)\(logged)")
            }

            // Every errcode a route answers is one `/openapi.json` lists for it.
            if let errcode = answer.errcode, errcode != 0,
               let documented = FuzzAnswer.documented["\(request.method.rawValue) \(request.route.path)"], !documented.contains(errcode) {
                report.failures.append("errcode \(errcode) is not in the x-errcodes of \(request.method.rawValue) \(request.route.path)"
                    + "\n  answer: \(answer.text.prefix(300))\n  replay: \(replay)")
            }

            let after = try await digester?.digest() ?? FuzzDigest()
            if answer.succeeded {
                if request.route.needsToken, request.tokenKind == .other, after.partitions[testApp.id] != digest.partitions[testApp.id] {
                    report.failures.append("another app's token changed this app's rows\n  replay: \(replay)")
                }
                // A new token, a clock move or a forced refresh may end the tokens in use.
                if ["/cgi-bin/token", "/cgi-bin/stable_token", "/sandbox/clock"].contains(request.route.path) {
                    try await world.refreshTokens(server)
                    digest = try await digester?.digest() ?? FuzzDigest()
                } else {
                    digest = after
                }
            } else if after != digest {
                report.failures.append("a refused request (\(answer.errcode.map(String.init) ?? "no errcode")) changed rows\n  replay: \(replay)")
                digest = after
            }
            if report.failures.count >= 20 { break }
        }
        if checkRows {
            report.integrity = try await server.services.store.read { db in
                try await db.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self) ?? ""
            }
        }
        report.seconds = Int((ContinuousClock.now - started).components.seconds)
        try? FileManager.default.removeItem(at: lastCaseFile)
        return report
    }
}

/// One fuzz request: a route, a token, a method and the body's bytes.
struct FuzzRequest: CustomStringConvertible {
    enum TokenKind: String { case own, other, expired, wrong, malformed, missing }

    let route: FuzzRoute
    let method: HTTPRequest.Method
    let tokenKind: TokenKind
    let uri: String
    let body: [UInt8]

    static func make(_ rng: inout SplitMix64, world: FuzzWorld) -> FuzzRequest {
        let route = FuzzRoutes.all[Int.random(in: 0..<FuzzRoutes.all.count, using: &rng)]
        let tokenKind: TokenKind = {
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<80: return .own
            case 80..<88: return .other
            case 88..<92: return .expired
            case 92..<95: return .wrong
            case 95..<97: return .malformed
            default: return .missing
            }
        }()
        let token: String? = switch tokenKind {
        case .own: world.token
        case .other: world.otherToken
        case .expired: world.expiredToken
        case .wrong: String(repeating: "A", count: 128)
        case .malformed: "not-a-token"
        case .missing: nil
        }
        // One request in thirty uses the other method (POST on a GET, GET on a POST API).
        let swapMethod = Int.random(in: 0..<30, using: &rng) == 0
        var value = route.template
        for _ in 0..<Int.random(in: 0...3, using: &rng) { value = mutate(value, &rng) }
        let resolved = resolve(value, &rng, world: world)

        var query: [(String, [UInt8])] = []
        var body: [UInt8] = []
        switch route.kind {
        case .get:
            if case .object(let members) = resolved {
                for (key, member) in members { query.append((key, Self.queryText(member.bytes { _ in .literal("") }))) }
            }
        case .post:
            body = Self.body(resolved, &rng)
        }
        if route.needsToken || Int.random(in: 0..<10, using: &rng) == 0, let token { query.append(("access_token", Array(token.utf8))) }
        let queryString = query.map { "\(Self.percentEncoded(Array($0.0.utf8)))=\(Self.percentEncoded($0.1))" }.joined(separator: "&")
        let method: HTTPRequest.Method = (route.kind == .post) != swapMethod ? .post : .get
        return FuzzRequest(route: route, method: method, tokenKind: tokenKind,
                           uri: queryString.isEmpty ? route.path : "\(route.path)?\(queryString)", body: method == .post ? body : [])
    }

    /// The body: mostly the (mutated) template; sometimes not JSON at all, nested 10,000 deep,
    /// or over the 1 MiB limit.
    static func body(_ value: FuzzValue, _ rng: inout SplitMix64) -> [UInt8] {
        switch Int.random(in: 0..<100, using: &rng) {
        case 0..<6:
            let bodies: [[UInt8]] = [
                [], Array("   ".utf8), Array("null".utf8), Array("[]".utf8), Array("1".utf8), Array("\"x\"".utf8), Array("{".utf8),
                Array(#"{"a":"#.utf8), Array("<xml/>".utf8), [0xFF, 0xFE, 0x00, 0x7B], Array(#"{"a":1}{"b":2}"#.utf8),
                Array(#"{"a":1,}"#.utf8), Array("{\"a\":\"\u{1}\"}".utf8), Array(#"{"a":NaN}"#.utf8),
            ]
            return bodies[Int.random(in: 0..<bodies.count, using: &rng)]
        case 6..<8:
            let depth = 10_000
            let array = Bool.random(using: &rng)
            let open = array ? Array("[".utf8) : Array(#"{"a":"#.utf8)
            let close = array ? UInt8(ascii: "]") : UInt8(ascii: "}")
            return Array(#"{"card":"#.utf8) + Array([[UInt8]](repeating: open, count: depth).joined()) + Array("1".utf8)
                + [UInt8](repeating: close, count: depth) + [UInt8(ascii: "}")]
        case 8:
            return Array(#"{"card_id":""#.utf8) + [UInt8](repeating: UInt8(ascii: "z"), count: (1 << 20) + 1) + Array(#""}"#.utf8)
        default:
            return value.bytes { _ in .literal("null") }
        }
    }

    /// One mutation of the tree: a member removed, a value replaced by an interesting one (of
    /// any type), an unknown key added, or a key written twice.
    static func mutate(_ value: FuzzValue, _ rng: inout SplitMix64) -> FuzzValue {
        let paths = value.paths
        switch Int.random(in: 0..<10, using: &rng) {
        case 0, 1:
            guard let path = paths.randomElement(using: &rng) else { return value }
            return value.updating(path[...]) { _ in nil }
        case 2, 3, 4, 5, 6:
            // Mostly a value of the same kind (an edge integer for a number, an edge string for
            // text), so the request passes the type checks and reaches the rules behind them.
            guard let path = paths.randomElement(using: &rng) else { return value }
            let sameKind = Int.random(in: 0..<10, using: &rng) < 7
            return value.updating(path[...]) { old in
                switch (old, sameKind) {
                case (.literal(let text), true) where text != "true" && text != "false" && text != "null":
                    return .literal(Interesting.integers[Int.random(in: 0..<Interesting.integers.count, using: &rng)])
                case (.string, true), (.pick, true):
                    return Interesting.string(&rng)
                default:
                    return Interesting.value(&rng)
                }
            }
        case 7:
            return value.adding("zz_unknown_\(Int.random(in: 0..<3, using: &rng))", Interesting.value(&rng))
        default:
            guard case .object(let members) = value, let first = members.randomElement(using: &rng) else { return value }
            return value.adding(first.0, Interesting.value(&rng))
        }
    }

    /// The tree with every pick made from the world's pools.
    static func resolve(_ value: FuzzValue, _ rng: inout SplitMix64, world: FuzzWorld) -> FuzzValue {
        switch value {
        case .pick(let pool): return world.pick(pool, &rng)
        case .object(let members): return .object(members.map { ($0.0, resolve($0.1, &rng, world: world)) })
        case .array(let items): return .array(items.map { resolve($0, &rng, world: world) })
        default: return value
        }
    }

    /// A value as query text: a string's content, anything else as its JSON.
    static func queryText(_ json: [UInt8]) -> [UInt8] {
        guard json.count >= 2, json.first == UInt8(ascii: "\""), json.last == UInt8(ascii: "\"") else { return json }
        return Array(json.dropFirst().dropLast())
    }

    static func percentEncoded(_ bytes: [UInt8]) -> String {
        let unreserved = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))
        return bytes.map { unreserved.contains($0) ? String(UnicodeScalar($0)) : String(format: "%%%02X", $0) }.joined()
    }

    var description: String {
        let shown = body.count > 400 ? Array(body.prefix(400)) : body
        let text = String(decoding: shown, as: UTF8.self).unicodeScalars.map { $0.value < 0x20 ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
        return "\(method) \(uri.prefix(300)) token=\(tokenKind.rawValue) body(\(body.count) bytes)=\(text)\(body.count > 400 ? "…" : "")"
    }
}

/// What came back, and whether it keeps the suite's promises.
struct FuzzAnswer {
    let status: HTTPResponse.Status
    let text: String
    let object: [String: Any]?
    let errcode: Int?
    let route: FuzzRoute

    init(_ response: TestResponse, route: FuzzRoute) {
        status = response.status
        text = String(buffer: response.body)
        object = (try? JSONSerialization.jsonObject(with: Data(buffer: response.body))) as? [String: Any]
        errcode = object?["errcode"] as? Int
        self.route = route
    }

    /// The errcodes `/openapi.json` lists, by "METHOD /path".
    static let documented: [String: Set<Int>] = Dictionary(uniqueKeysWithValues: APICatalog.operations.map {
        ("\($0.method.rawValue.uppercased()) \($0.path)", Set(APIErrors.all($0).map(\.code)))
    })

    /// The request changed what it meant to: errcode 0, or a token fetched.
    var succeeded: Bool { errcode == 0 || (errcode == nil && object?["access_token"] != nil) }

    /// What is wrong with the answer, if anything.
    var problem: String? {
        if route.path == "/metrics" || route.path == "/healthz", status == .ok { return nil }
        guard let object else { return "HTTP \(status.code), not a JSON object" }
        // 405 with `Allow` for a method the path does not take (`POST /healthz`).
        guard status == .ok || (status == .notFound && errcode == 40066)
            || (status == .methodNotAllowed && (errcode == 43001 || errcode == 43002)) else { return "HTTP \(status.code)" }
        if errcode == -1 { return "-1 system error" }
        if errcode == nil, object["access_token"] == nil { return "no integer errcode" }
        return nil
    }
}
