import Foundation
import Testing
import WXCards

/// The card page shows each live QR ticket as its image (`/cgi-bin/showqrcode`), which decodes
/// to the ticket's claim URL; an expired ticket is listed without one.
@Suite struct ConsoleQRCodeTests {
    @Test func theCardPageShowsItsQRCodes() async throws {
        try await withTestServer { server in
            let token = try await server.token()
            let cardID = try await server.createMemberCard(token: token)
            let live = try await server.post("/card/qrcode/create", token: token, json: [
                "action_name": "QR_CARD", "action_info": ["card": ["card_id": cardID]],
            ])
            let short = try await server.post("/card/qrcode/create", token: token, json: [
                "action_name": "QR_CARD", "expire_seconds": 60, "action_info": ["card": ["card_id": cardID]],
            ])
            let (liveTicket, shortTicket) = (try #require(live["ticket"] as? String), try #require(short["ticket"] as? String))
            _ = try await server.post("/sandbox/clock", token: token, json: ["advance_seconds": 120])

            var browser = ConsoleBrowser(server)
            try await browser.signIn()
            let page = try await browser.get("/console/cards/\(cardID)")
            let src = try #require(page.html.firstMatch(#"<img class="qr" src="([^"]+)""#), "no QR image on the card page")
            #expect(src.hasPrefix("/cgi-bin/showqrcode?ticket="))
            #expect(page.html.contains("\(shortTicket) · QR_CARD"))
            #expect(page.html.components(separatedBy: #"<img class="qr""#).count == 2, "only the live ticket has an image")
            #expect(page.html.contains("(expired)"))

            // The image the page shows is the ticket's claim URL.
            let png = try await server.client.execute(uri: src.replacingOccurrences(of: "&amp;", with: "&"), method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "image/png")
                return [UInt8](buffer: response.body)
            }
            if let decoded = try QRDecoder.decode(png: png) {
                #expect(decoded == live["url"] as? String, "\(liveTicket)")
            }
        }
    }
}
