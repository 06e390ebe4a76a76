import Hummingbird

/// `/sandbox/faults`: the calling app's injected faults.
public struct FaultRoutes: Sendable {
    let faults: Faults

    public init(faults: Faults) { self.faults = faults }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.post("/sandbox/faults") { request, context in
            let body = try await JSONBody.decodeSandbox(AddRequest.self, from: request)
            let fault = try FaultRules.validate(
                path: body.path, method: body.method, errcode: body.errcode, errmsg: body.errmsg,
                latencyMilliseconds: body.latency_ms, drop: body.drop, rate: body.rate, count: body.count)
            return OK(Added(id: try await faults.add(appid: try context.requireAppID(), fault)))
        }
        router.get("/sandbox/faults") { _, context in
            OK(Listed(faults: try await faults.list(appid: try context.requireAppID()).map(View.init)))
        }
        router.wechatPOST("/sandbox/faults/delete") { request, context in
            let body = try await JSONBody.decodeSandbox(DeleteRequest.self, from: request)
            let appid = try context.requireAppID()
            switch (body.id, body.all) {
            case (let id?, nil) where !id.isEmpty:
                guard try await faults.delete(appid: appid, id: id) == 1 else {
                    throw WeChatError.invalidArgs.detail("no fault \(id) for this app")
                }
                return OK(Deleted(deleted: 1))
            case (nil, true?):
                return OK(Deleted(deleted: try await faults.delete(appid: appid, id: nil)))
            default:
                throw WeChatError.missingRequiredFields.detail("give id, or all: true")
            }
        }
    }

    struct AddRequest: SandboxBody {
        static let schema: [String: Field] = [
            "path": .required(.text), "method": .optional(.enumeration(FaultRules.methods)), "errcode": .optional(.int),
            "errmsg": .optional(.text), "latency_ms": .optional(.int), "drop": .optional(.bool), "rate": .optional(.number),
            "count": .optional(.int),
        ]
        let path: String?; let method: String?; let errcode: Int64?; let errmsg: String?; let latency_ms: Int64?
        let drop: Bool?; let rate: Double?; let count: Int64?
    }
    struct DeleteRequest: SandboxBody {
        static let schema: [String: Field] = ["id": .optional(.text), "all": .optional(.bool)]
        let id: String?; let all: Bool?
    }
    struct Added: Encodable, Sendable { let id: String }
    struct Deleted: Encodable, Sendable { let deleted: Int }
    struct Listed: Encodable, Sendable { let faults: [View] }

    /// A fault as listed: what was asked, its hits, and how many it has left.
    struct View: Encodable, Sendable {
        let id: String, path: String, method: String?, errcode: Int?, errmsg: String?, latency_ms: Int64, drop: Bool
        let rate: Double, remaining: Int64?, hits: Int64, create_time: Int64

        init(_ fault: Fault) {
            id = fault.id; path = fault.path; method = fault.method; errcode = fault.errcode; errmsg = fault.errmsg
            latency_ms = fault.latencyMilliseconds; drop = fault.drop; rate = fault.rate; remaining = fault.remaining
            hits = fault.hits; create_time = fault.createTime
        }
    }
}
