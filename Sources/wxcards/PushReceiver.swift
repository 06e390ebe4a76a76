import ArgumentParser
import Foundation
import Hummingbird
import Logging
import WXCards

/// `wxcards push-receiver`: a message server for trying pushes without writing one. It answers
/// WeChat's URL check, checks each push's signature (and decrypts it in safe and compatible
/// mode), prints its XML and answers `success`. The push benchmark uses it as the merchant.
struct PushReceiverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push-receiver",
        abstract: "Receive an app's event pushes on /wechat: check, print, answer success.")

    @Option(help: "Address to listen on") var host = "127.0.0.1"
    @Option(help: "Port to listen on") var port = 9000
    @Option(help: "The token set with POST /sandbox/app/server") var token: String
    @Option(help: "The EncodingAESKey, in compatible or safe mode") var encodingAESKey: String?
    @Flag(help: "Print nothing per push (for benchmarks)") var quiet = false

    func run() async throws {
        if let encodingAESKey, PushCrypto.key(encodingAESKey: encodingAESKey) == nil {
            throw ValidationError("--encoding-aes-key must be 43 letters and digits")
        }
        // The key's text crosses into the handler (a SymmetricKey is not Sendable).
        let token = self.token, quiet = self.quiet, keyText = encodingAESKey
        let router = Router()
        router.get("/wechat") { request, _ -> String in
            let query = request.uri.queryParameters
            let signature = PushCrypto.signature(token, query.get("timestamp") ?? "", query.get("nonce") ?? "")
            guard query.get("signature") == signature else { return "bad signature" }
            return query.get("echostr") ?? ""
        }
        router.post("/wechat") { request, _ -> String in
            let query = request.uri.queryParameters
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let (timestamp, nonce) = (query.get("timestamp") ?? "", query.get("nonce") ?? "")
            guard query.get("signature") == PushCrypto.signature(token, timestamp, nonce) else {
                if !quiet { print("push with a bad signature:\n\(body)"); fflush(nil) }
                return "bad signature"
            }
            var xml = body
            if query.get("encrypt_type") == "aes" {
                guard let keyText, let key = PushCrypto.key(encodingAESKey: keyText), let start = body.range(of: "<Encrypt><![CDATA["), let end = body.range(of: "]]></Encrypt>"),
                      case let encrypted = String(body[start.upperBound..<end.lowerBound]),
                      query.get("msg_signature") == PushCrypto.signature(token, timestamp, nonce, encrypted),
                      let opened = PushCrypto.decrypt(encrypted, key: key)
                else {
                    if !quiet { print("encrypted push that does not check out:\n\(body)"); fflush(nil) }
                    return "bad encryption"
                }
                xml = opened.xml
            }
            if !quiet {
                print(xml)
                // Someone is watching: each push as it arrives, also into a pipe or a file.
                fflush(nil)
            }
            return "success"
        }
        var logger = Logger(label: "push-receiver")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)),
                              onServerRunning: { channel in
                                  print("wxcards push-receiver: listening on http://\(host):\(channel.localAddress?.port ?? 0)/wechat")
                                  fflush(nil)
                              }, logger: logger)
        try await app.runService()
    }
}
