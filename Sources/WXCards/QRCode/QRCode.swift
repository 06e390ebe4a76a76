/// A QR code (ISO/IEC 18004) of some bytes: byte mode, error-correction level M, the smallest
/// of versions 1 to 10 that holds them, and the mask of the lowest penalty score. Pure Swift.
public struct QRCode: Sendable, Equatable {
    /// Modules per side (21 to 57), without the quiet zone.
    public let size: Int
    public let version: Int
    public let mask: Int
    /// Row-major: `modules[y * size + x]` is true for a dark module.
    public let modules: [Bool]

    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// Level M's two format bits (ISO/IEC 18004 Table 12).
    static let levelBits = 0

    /// The code of `bytes`; nil when they do not fit version 10 (213 bytes).
    public init?(bytes: [UInt8]) {
        guard let version = QRVersion.fitting(bytes: bytes.count) else { return nil }
        var grid = Grid(version: version)
        grid.drawFunctionPatterns()
        grid.drawCodewords(Self.codewords(bytes, version: version))
        // Every mask, scored by the penalty rules; the first of the lowest wins.
        var best: (mask: Int, score: Int, modules: [Bool])?
        for mask in 0..<8 {
            var trial = grid
            trial.applyMask(mask)
            trial.drawFormatBits(mask: mask)
            let score = trial.penalty()
            if let current = best, current.score <= score { continue }
            best = (mask, score, trial.modules)
        }
        guard let best else { return nil }
        self.size = version.size
        self.version = version.number
        self.mask = best.mask
        self.modules = best.modules
    }

    /// Data codewords (mode, count, bytes, terminator, padding), then each block's error
    /// correction, interleaved (§7.4 and §7.6).
    static func codewords(_ bytes: [UInt8], version: QRVersion) -> [UInt8] {
        var bits = BitBuffer()
        bits.append(0b0100, count: 4)
        bits.append(bytes.count, count: version.countBits)
        for byte in bytes { bits.append(Int(byte), count: 8) }
        let capacity = version.dataCodewords * 8
        bits.append(0, count: min(4, capacity - bits.count))
        bits.append(0, count: (8 - bits.count % 8) % 8)
        var data = bits.bytes
        var pad: UInt8 = 0xEC
        while data.count < version.dataCodewords {
            data.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        // Blocks: the short ones first, the long ones one data codeword longer.
        let divisor = QRReedSolomon.divisor(degree: version.eccPerBlock)
        let shortBlocks = version.blocks - version.totalCodewords % version.blocks
        let shortLength = version.totalCodewords / version.blocks
        var blocks: [(data: [UInt8], ecc: [UInt8])] = []
        var offset = 0
        for index in 0..<version.blocks {
            let length = shortLength - version.eccPerBlock + (index < shortBlocks ? 0 : 1)
            let block = Array(data[offset..<offset + length])
            offset += length
            blocks.append((block, QRReedSolomon.remainder(block, divisor: divisor)))
        }
        var result: [UInt8] = []
        let longest = blocks.map(\.data.count).max() ?? 0
        for index in 0..<longest {
            for block in blocks where index < block.data.count { result.append(block.data[index]) }
        }
        for index in 0..<version.eccPerBlock {
            for block in blocks { result.append(block.ecc[index]) }
        }
        return result
    }
}

/// Bits appended most significant first.
struct BitBuffer {
    private(set) var bits: [Bool] = []
    var count: Int { bits.count }

    mutating func append(_ value: Int, count: Int) {
        for shift in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> shift) & 1 == 1) }
    }

    var bytes: [UInt8] {
        stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { byte, index in byte << 1 | (start + index < bits.count && bits[start + index] ? 1 : 0) }
        }
    }
}
