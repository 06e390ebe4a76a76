import HTTPTypes
import Hummingbird

/// `GET /cgi-bin/showqrcode?ticket=…`: a claim QR code as a PNG, as WeChat serves the image
/// behind `show_qrcode_url`. Public, as WeChat's is: the ticket is what grants it.
public struct QRCodeRoutes: Sendable {
    let cards: CardStore
    let clock: ServerClock

    public init(cards: CardStore, clock: ServerClock) {
        self.cards = cards
        self.clock = clock
    }

    static let notFound = WeChatError.invalidArgs.answering(.notFound)
    /// Tickets are 98 characters here (`gQ…==`, as WeChat's look); anything much longer is not one (the
    /// document states the bound).
    static let maxTicketBytes = 256

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.get("/cgi-bin/showqrcode") { request, _ -> Response in
            guard let ticket = request.uri.queryParameters.get("ticket"), !ticket.isEmpty, ticket.utf8.count <= Self.maxTicketBytes else {
                throw Self.notFound.detail("ticket is required")
            }
            guard let code = try await cards.qrCode(ticket: ticket), !code.isExpired(at: try await clock.now()) else {
                throw Self.notFound.detail("unknown or expired ticket")
            }
            guard let symbol = QRCode(bytes: Array(code.claimURL.utf8)) else {
                throw InternalError("a claim URL does not fit a version 10 QR code")
            }
            return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: QRPNG.png(symbol))))
        }
    }

    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")

    /// `http://host` as the client called it (`https` behind a proxy that says so), so the
    /// image URL works wherever the API does.
    static func base(of request: Request) -> String {
        // The client's own Host header: only a host name or address and a port are echoed back.
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
        let authority = request.head.authority ?? ""
        let host = !authority.isEmpty && authority.count <= 255 && authority.allSatisfy(allowed.contains) ? authority : "127.0.0.1"
        let forwarded = forwardedProto.flatMap { request.headers[$0] }
        return "\(forwarded == "https" ? "https" : "http")://\(host)"
    }
}
