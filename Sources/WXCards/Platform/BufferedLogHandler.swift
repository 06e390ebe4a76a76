import Foundation
import Logging
import Synchronization

/// A log handler for the server's standard output that writes in batches from a thread of its
/// own: a request only appends its line to a buffer; the log writer writes the buffer every
/// 50 ms, at once past 64 KiB or for a warning or error, and at shutdown (`flush()`).
/// swift-log's StreamLogHandler flushes every line with its own write(2), which at tens of
/// thousands of requests a second costs more than the request itself — and blocks the thread
/// that logs whenever standard output is slow.
///
/// Lines are never reordered (one lock covers taking the buffer and writing it) and never lost
/// to EINTR or EAGAIN (the write is retried). Only if standard output stays blocked while
/// 64 MiB pile up are further lines dropped, and the count of dropped lines is written first
/// once output moves again: memory must not grow without bound for a log.
public struct BufferedLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String

    public init(label: String, level: Logger.Level) {
        self.label = label
        self.logLevel = level
        LogSink.shared.start()
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

    /// Writes whatever is buffered, on the calling thread. Call before the process exits.
    public static func flush() { LogSink.shared.drain() }
}

final class LogSink: Sendable {
    static let shared = LogSink(descriptor: STDOUT_FILENO)

    private struct State {
        var buffer: [UInt8] = []
        var dropped = 0
        var started = false
        var second: Int = -1
        var stamp = ""
    }

    private let state = Mutex(State())
    /// Held while a buffer is taken and written: whoever drains writes everything appended
    /// before it, in order, before anyone can take what came after.
    private let writing = Mutex(())
    private let wakeup = DispatchSemaphore(value: 0)
    private let descriptor: Int32
    private let wakeAt = 64 * 1024
    private let maxBuffered = 64 << 20

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Starts the log writer's thread, once.
    func start() {
        let first = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        let thread = Thread { [self] in
            while true {
                _ = wakeup.wait(timeout: .now() + .milliseconds(50))
                drain()
            }
        }
        thread.name = "wxcards-log"
        thread.start()
    }

    func append(_ line: String, urgent: Bool) {
        let wake = state.withLock { state -> Bool in
            if state.buffer.count + line.utf8.count > maxBuffered {
                state.dropped += 1
                return true
            }
            state.buffer.append(contentsOf: line.utf8)
            return urgent || state.buffer.count >= wakeAt
        }
        if wake { wakeup.signal() }
    }

    /// Takes the buffer and writes it, retrying interrupted and would-block writes.
    func drain() {
        writing.withLock { _ in
            let (taken, dropped) = state.withLock { state -> ([UInt8], Int) in
                defer {
                    state.buffer.removeAll(keepingCapacity: true)
                    state.dropped = 0
                }
                return (state.buffer, state.dropped)
            }
            var bytes = taken
            if dropped > 0 {
                bytes = Array("\(timestamp()) warning wxcards: [log] \(dropped) log lines dropped: standard output was blocked\n".utf8) + bytes
            }
            writeAll(bytes)
        }
    }

    private func writeAll(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if written > 0 {
                offset += written
            } else if written < 0, errno == EINTR {
                continue
            } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                var ready = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&ready, 1, 100)
            } else {
                return  // output closed: nothing left to write to
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
