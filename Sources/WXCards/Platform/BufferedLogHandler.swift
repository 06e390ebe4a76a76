import Foundation
import Logging
import Synchronization

/// A log handler for the server's standard output that writes in batches: lines are appended
/// to a buffer and written every 50 ms, or at once past 64 KiB, warnings and errors, and at
/// shutdown (`flush()`). swift-log's StreamLogHandler flushes every line with its own write(2),
/// which at tens of thousands of requests a second costs more than the request itself.
public struct BufferedLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
        LogSink.shared.startFlushing()
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let extra = event.metadata { all.merge(extra) { $1 } }
        var line = LogSink.shared.timestamp()
        line += " \(event.level) \(label):"
        for (key, value) in all.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        line += " [\(event.source)] \(event.message)\n"
        LogSink.shared.append(line, urgent: event.level >= .warning)
    }

    /// Writes whatever is buffered. Call before the process exits.
    public static func flush() { LogSink.shared.flush() }
}

final class LogSink: Sendable {
    static let shared = LogSink()

    private struct State {
        var buffer: [UInt8] = []
        var flushing = false
        var second: Int = -1
        var stamp = ""
    }

    private let state = Mutex(State())
    private let limit = 64 * 1024

    func append(_ line: String, urgent: Bool) {
        let full = state.withLock { state -> Bool in
            state.buffer.append(contentsOf: line.utf8)
            return urgent || state.buffer.count >= limit
        }
        if full { flush() }
    }

    func flush() {
        let bytes = state.withLock { state -> [UInt8] in
            defer { state.buffer.removeAll(keepingCapacity: true) }
            return state.buffer
        }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written <= 0 { return }
            offset += written
        }
    }

    func startFlushing() {
        let start = state.withLock { state -> Bool in
            defer { state.flushing = true }
            return !state.flushing
        }
        guard start else { return }
        Task.detached(priority: .low) {
            while true {
                try? await Task.sleep(for: .milliseconds(50))
                self.flush()
            }
        }
    }

    /// ISO 8601 in UTC, formatted once per second.
    func timestamp() -> String {
        let now = Int(Date().timeIntervalSince1970)
        return state.withLock { state in
            if state.second != now {
                state.second = now
                state.stamp = Date(timeIntervalSince1970: TimeInterval(now)).ISO8601Format()
            }
            return state.stamp
        }
    }
}
