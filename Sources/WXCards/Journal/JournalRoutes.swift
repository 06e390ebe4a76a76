import Hummingbird

/// `GET /sandbox/requests`: the calling app's recent API requests, newest first.
public struct JournalRoutes: Sendable {
    let journal: RequestJournal?

    public init(journal: RequestJournal?) { self.journal = journal }

    public func register(on router: some RouterMethods<WXRequestContext>) {
        router.get("/sandbox/requests") { request, context in
            guard let journal else { throw WeChatError.apiUnauthorized.detail("the request journal is off (--journal off)") }
            let query = request.uri.queryParameters
            let rows = try await journal.entries(appid: try context.requireAppID(), try JournalRules.query(
                path: query.get("path"), errcode: query.get("errcode"), since: query.get("since"), limit: query.get("limit")))
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
