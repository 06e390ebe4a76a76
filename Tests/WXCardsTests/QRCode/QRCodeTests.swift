import Foundation
import Testing
@testable import WXCards

/// The QR encoder against the standard's own numbers, and every version read back by a real
/// decoder (zbarimg, Debian's zbar-tools, which `.ci/run` installs).
@Suite struct QRCodeTests {
    /// ISO/IEC 18004 Annex I's example: "01234567" at level M, version 1: its 10 error-correction
    /// codewords for the 16 data codewords given there.
    @Test func reedSolomonMatchesTheStandardsExample() {
        let data: [UInt8] = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        let ecc = QRReedSolomon.remainder(data, divisor: QRReedSolomon.divisor(degree: 10))
        #expect(ecc == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
    }

    @Test func versionsAreTheSmallestThatHold() {
        let capacities = [14, 26, 42, 62, 84, 106, 122, 152, 180, 213]
        #expect(QRVersion.all.map(\.byteCapacity) == capacities)
        for (index, capacity) in capacities.enumerated() {
            #expect(QRCode(bytes: [UInt8](repeating: 0x41, count: capacity))?.version == index + 1)
            if index < 9 { #expect(QRCode(bytes: [UInt8](repeating: 0x41, count: capacity + 1))?.version == index + 2) }
        }
        #expect(QRCode(bytes: [UInt8](repeating: 0x41, count: 214)) == nil)
    }

    @Test func thePNGIsWellFormed() throws {
        let code = try #require(QRCode(bytes: Array("https://example.com/claim".utf8)))
        let png = QRPNG.png(code, scale: 4)
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(QRPNG.crc32(Array("IEND".utf8)) == 0xAE42_6082)
        #expect(QRPNG.adler32(Array("Wikipedia".utf8)) == 0x11E6_0398)
        let side = (code.size + 8) * 4
        #expect(Array(png[16..<24]) == QRPNG.bigEndian(UInt32(side)) + QRPNG.bigEndian(UInt32(side)))
    }

    /// Lengths across all ten versions, each image decoded by zbarimg to exactly its text.
    @Test func aRealDecoderReadsEveryVersion() throws {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_?=&/:.")
        var versions: Set<Int> = []
        for length in [1, 14, 20, 26, 40, 42, 60, 62, 80, 84, 100, 106, 120, 122, 150, 152, 170, 180, 200, 213] {
            var generator = SystemRandomNumberGenerator()
            let text = String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
            let code = try #require(QRCode(bytes: Array(text.utf8)))
            versions.insert(code.version)
            guard let decoded = try QRDecoder.decode(png: QRPNG.png(code)) else { return }  // no zbarimg here
            #expect(decoded == text, "version \(code.version), mask \(code.mask), \(length) bytes")
        }
        #expect(versions == Set(1...10))
    }
}

/// `GET /cgi-bin/showqrcode`: the image behind `show_qrcode_url`.
@Suite struct QRImageTests {
    @Test(arguments: TestEngine.available)
    func theTicketsImageIsItsClaimURL(engine: TestEngine) async throws {
        try await withTestServer(engine) { server in
            let token = try await server.token()
            let cardID = try await server.createMemberCard(token: token)
            let created = try await server.post("/card/qrcode/create", token: token, json: [
                "action_name": "QR_CARD", "expire_seconds": 1800, "action_info": ["card": ["card_id": cardID, "outer_str": "12b"]]])
            let url = try #require(created["url"] as? String)
            let show = try #require(created["show_qrcode_url"] as? String)
            let path = try #require(show.range(of: "/cgi-bin/showqrcode").map { String(show[$0.lowerBound...]) })
            let (status, type, body) = try await server.client.execute(uri: path, method: .get) { response in
                (response.status, response.headers[.contentType], Array(response.body.readableBytesView))
            }
            #expect(status == .ok && type == "image/png" && Array(body.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
            if let decoded = try QRDecoder.decode(png: body) { #expect(decoded == url) }
            // Unknown, expired: 404 with an errcode.
            let unknown = try await server.client.execute(uri: "/cgi-bin/showqrcode?ticket=nope", method: .get) { $0 }
            #expect(unknown.status == .notFound && String(buffer: unknown.body).contains("\"errcode\":40097"))
            let missing = try await server.client.execute(uri: "/cgi-bin/showqrcode", method: .get) { $0 }
            #expect(missing.status == .notFound)
            server.wall.advance(1800)
            let expired = try await server.client.execute(uri: path, method: .get) { $0 }
            #expect(expired.status == .notFound && String(buffer: expired.body).contains("expired"))
        }
    }

    /// A deleted card's ticket still shows its image, as WeChat's image host does; claiming
    /// with it answers 40078 (docs/compatibility.md).
    @Test func aDeletedCardsTicketStillShowsButDoesNotClaim() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createMemberCard(token: token)
            let created = try await server.post("/card/qrcode/create", token: token, json: [
                "action_name": "QR_CARD", "action_info": ["card": ["card_id": cardID]]])
            let ticket = try #require(created["ticket"] as? String)
            #expect(try await errcode(server.post("/card/delete", token: token, json: ["card_id": cardID])) == 0)
            let escaped = ticket.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ticket
            let image = try await server.client.execute(uri: "/cgi-bin/showqrcode?ticket=\(escaped)", method: .get) { $0 }
            #expect(image.status == .ok)
            let claim = try await server.post("/sandbox/card/claim", token: token, json: ["openid": openid(1), "ticket": ticket])
            #expect(errcode(claim) != 0)
        }
    }
}

/// zbarimg on a PNG, when it is installed (`.ci/run` installs it and sets WXCARDS_REQUIRE_TOOLS).
enum QRDecoder {
    static func decode(png: [UInt8]) throws -> String? {
        guard let zbarimg = ["/usr/bin/zbarimg", "/usr/local/bin/zbarimg"].first(where: FileManager.default.isExecutableFile) else {
            if ProcessInfo.processInfo.environment["WXCARDS_REQUIRE_TOOLS"] != nil { Issue.record("zbarimg is missing") }
            return nil
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("wxcards-qr-\(UUID().uuidString).png")
        try Data(png).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: zbarimg)
        process.arguments = ["--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file.path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        process.waitUntilExit()
        return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .newlines)
    }
}
