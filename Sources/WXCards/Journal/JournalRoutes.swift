import Hummingbird

/// `GET /sandbox/requests`: the calling app's recent API requests, newest first.
public struct JournalRoutes: Sendable {
    let journal: RequestJournal?

    public init(journal: RequestJournal?) { self.journal = journal }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.get("/sandbox/requests") { request, context in
            guard let journal else { throw WeChatError.apiUnauthorized.detail("the request journal is off (--journal off)") }
            let query = request.uri.queryParameters
            var errcode: Int?
            if let text = query.get("errcode") {
                guard let value = Int(text), (-1...9_999_999).contains(value) else {
                    throw WeChatError.invalidArgs.detail("errcode must be a whole number from -1 to 9999999")
                }
                errcode = value
            }
            var since: Int64?
            if let text = query.get("since") {
                guard let value = Int64(text), Ranges.clock.contains(value) else {
                    throw WeChatError.invalidArgs.detail("since must be Unix seconds")
                }
                since = value
            }
            let path = query.get("path")
            if let path, path.utf8.count > 256 { throw WeChatError.invalidArgs.detail("path is at most 256 bytes") }
            let limit = try ListPage.count(query.get("limit"), field: "limit")
            let rows = try await journal.entries(appid: try context.requireAppID(),
                                                 .init(path: path, errcode: errcode, since: since, limit: limit))
            return OK(Requests(requests: rows.map(View.init)))
        }
    }

    struct Requests: Encodable, Sendable { let requests: [View] }

    struct View: Encodable, Sendable {
        let time: Int64, method: String, path: String, body: String, errcode: Int64?, latency_ms: Int64, rid: String
        let faulted: Bool, fault_id: String?

        init(_ row: JournalStore.Row) {
            time = row.time; method = row.method; path = row.path; body = row.body; errcode = row.errcode
            latency_ms = row.latency_ms; rid = row.rid; faulted = row.fault_id != nil; fault_id = row.fault_id
        }
    }
}
