import Foundation
import Testing
@testable import WXCards

/// The log writer: nothing lost or reordered, also when the output is a non-blocking pipe
/// that fills up (EAGAIN) and is read slowly.
@Suite struct LogSinkTests {
    @Test func linesFromManyThreadsArriveAllAndInOrderThroughAFullPipe() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        _ = fcntl(writeEnd, F_SETFL, fcntl(writeEnd, F_GETFL) | O_NONBLOCK)
        let sink = LogSink(descriptor: writeEnd)
        sink.start()

        // A slow reader: the 64 KiB pipe fills, so writes meet EAGAIN.
        let reader = Task.detached { () -> [UInt8] in
            var received: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(readEnd, &chunk, chunk.count)
                if count <= 0 { return received }
                received.append(contentsOf: chunk[..<count])
                usleep(200)
            }
        }
        let writers = 4, lines = 5_000
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    for n in 0..<lines {
                        sink.append("w\(writer) \(n) " + String(repeating: "x", count: 80) + "\n", urgent: n % 500 == 0)
                    }
                }
            }
        }
        sink.drain()
        close(writeEnd)
        let text = String(decoding: await reader.value, as: UTF8.self)
        close(readEnd)

        let received = text.split(separator: "\n")
        #expect(received.count == writers * lines)
        var next = [Int](repeating: 0, count: writers)
        var inOrder = true
        for line in received {
            let parts = line.split(separator: " ")
            guard parts.count == 3, let writer = Int(parts[0].dropFirst()), let n = Int(parts[1]) else { inOrder = false; break }
            if n != next[writer] { inOrder = false; break }
            next[writer] += 1
        }
        #expect(inOrder)
        #expect(next == [Int](repeating: lines, count: writers))
    }
}
