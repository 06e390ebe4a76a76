import Hummingbird
import NIOCore

/// Between the access-token check and the API: applies the calling app's injected faults
/// (`/sandbox/faults`) and writes the request journal (`/sandbox/requests`). `/sandbox/*` is
/// neither faulted nor journaled, so a test can always look and clean up.
public struct RequestTapMiddleware: RouterMiddleware {
    public typealias Context = WXRequestContext

    let faults: Faults
    let journal: RequestJournal?
    let clock: ServerClock

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard let appid = context.appid, FaultRules.isFaultable(path) else { return try await next(request, context) }
        let fault = try await faults.fault(appid: appid, path: path, method: request.method.rawValue)
        guard let journal, JournalRules.isJournaled(path) else {
            return try await apply(fault, request, context: context, next: next)
        }
        let start = ContinuousClock.now
        // The body is read here for the journal and handed on as read.
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: JSONBody.maxBytes)
        } catch {
            // Too big to read: journaled as the error it answers (45002), without its body.
            try await record(journal, appid: appid, request: request, context: context, body: [], start: start,
                             errcode: WeChatError.contentTooLarge.code, fault: nil)
            throw error
        }
        request.body = .init(buffer: buffer)
        let bytes = Array(buffer.readableBytesView)
        do {
            let response = try await apply(fault, request, context: context, next: next)
            let dropped = fault?.drop == true
            try await record(journal, appid: appid, request: request, context: context, body: bytes, start: start,
                             errcode: dropped ? nil : 0, fault: fault)
            return response
        } catch {
            let code = (error as? WeChatError)?.code ?? WeChatError.systemError.code
            try? await record(journal, appid: appid, request: request, context: context, body: bytes, start: start, errcode: code, fault: fault)
            throw error
        }
    }

    /// The fault's latency, then its error, its dropped connection, or the call itself.
    private func apply(_ fault: Fault?, _ request: Request, context: Context,
                       next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let fault else { return try await next(request, context) }
        if fault.latencyMilliseconds > 0 { try await Task.sleep(for: .milliseconds(fault.latencyMilliseconds)) }
        if let error = FaultRules.error(fault) { throw error }
        if fault.drop {
            // No answer: the connection closes as a dropped one would. Nothing was called.
            context.channel?.close(mode: .all, promise: nil)
            return Response(status: .ok)
        }
        return try await next(request, context)
    }

    private func record(_ journal: RequestJournal, appid: String, request: Request, context: Context, body: [UInt8],
                        start: ContinuousClock.Instant, errcode: Int?, fault: Fault?) async throws {
        let elapsed = ContinuousClock.now - start
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        journal.record(RequestJournal.Entry(
            appid: appid, id: RequestJournal.makeID(),
            time: try await clock.now(), method: request.method.rawValue, path: request.uri.path,
            body: JournalRules.keptBody(body), errcode: errcode, latencyMilliseconds: milliseconds, rid: context.rid,
            faultID: fault?.id))
    }
}
