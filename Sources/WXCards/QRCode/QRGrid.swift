/// The module grid while a QR code is drawn: function patterns (finders, timing, alignment,
/// format and version information) and the data placed around them (ISO/IEC 18004 §7.7–7.9).

extension QRCode {
    struct Grid {
        let version: QRVersion
        let size: Int
        var modules: [Bool]
        var isFunction: [Bool]

        init(version: QRVersion) {
            self.version = version
            size = version.size
            modules = [Bool](repeating: false, count: size * size)
            isFunction = [Bool](repeating: false, count: size * size)
        }

        mutating func setFunction(x: Int, y: Int, dark: Bool) {
            modules[y * size + x] = dark
            isFunction[y * size + x] = true
        }

        mutating func drawFunctionPatterns() {
            for index in 0..<size {
                setFunction(x: 6, y: index, dark: index % 2 == 0)
                setFunction(x: index, y: 6, dark: index % 2 == 0)
            }
            drawFinder(x: 3, y: 3)
            drawFinder(x: size - 4, y: 3)
            drawFinder(x: 3, y: size - 4)
            let centres = version.alignment
            for (i, cx) in centres.enumerated() {
                for (j, cy) in centres.enumerated() {
                    // Not over the three finders.
                    let last = centres.count - 1
                    if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                    for dy in -2...2 {
                        for dx in -2...2 { setFunction(x: cx + dx, y: cy + dy, dark: max(abs(dx), abs(dy)) != 1) }
                    }
                }
            }
            drawFormatBits(mask: 0)  // reserved now, written for real once the mask is chosen
            drawVersion()
        }

        /// A finder and its separator: 7×7 rings around a 3×3 centre, light all round.
        private mutating func drawFinder(x: Int, y: Int) {
            for dy in -4...4 {
                for dx in -4...4 {
                    let xx = x + dx, yy = y + dy
                    guard (0..<size).contains(xx), (0..<size).contains(yy) else { continue }
                    let distance = max(abs(dx), abs(dy))
                    setFunction(x: xx, y: yy, dark: distance != 2 && distance != 4)
                }
            }
        }

        /// The 15 format bits (level and mask, BCH-protected, XOR 0x5412), twice, and the
        /// dark module.
        mutating func drawFormatBits(mask: Int) {
            let data = QRCode.levelBits << 3 | mask
            var remainder = data
            for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
            let bits = (data << 10 | remainder) ^ 0x5412
            func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }
            for index in 0...5 { setFunction(x: 8, y: index, dark: bit(index)) }
            setFunction(x: 8, y: 7, dark: bit(6))
            setFunction(x: 8, y: 8, dark: bit(7))
            setFunction(x: 7, y: 8, dark: bit(8))
            for index in 9..<15 { setFunction(x: 14 - index, y: 8, dark: bit(index)) }
            for index in 0..<8 { setFunction(x: size - 1 - index, y: 8, dark: bit(index)) }
            for index in 8..<15 { setFunction(x: 8, y: size - 15 + index, dark: bit(index)) }
            setFunction(x: 8, y: size - 8, dark: true)
        }

        /// From version 7: the version number, BCH-protected, in two 6×3 blocks.
        private mutating func drawVersion() {
            guard version.number >= 7 else { return }
            var remainder = version.number
            for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
            let bits = version.number << 12 | remainder
            for index in 0..<18 {
                let dark = (bits >> index) & 1 == 1
                let a = size - 11 + index % 3, b = index / 3
                setFunction(x: a, y: b, dark: dark)
                setFunction(x: b, y: a, dark: dark)
            }
        }

        /// Codeword bits in two-module columns, right to left, upwards and downwards in turn,
        /// skipping function modules and the vertical timing column.
        mutating func drawCodewords(_ codewords: [UInt8]) {
            var bitIndex = 0
            let totalBits = codewords.count * 8
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                for vertical in 0..<size {
                    for column in 0..<2 {
                        let x = right - column
                        let upward = (right + 1) & 2 == 0
                        let y = upward ? size - 1 - vertical : vertical
                        guard !isFunction[y * size + x], bitIndex < totalBits else { continue }
                        modules[y * size + x] = (codewords[bitIndex >> 3] >> (7 - (bitIndex & 7))) & 1 == 1
                        bitIndex += 1
                    }
                }
                right -= 2
            }
        }

        /// Inverts the data modules where mask `mask`'s condition holds (Table 10).
        mutating func applyMask(_ mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !isFunction[y * size + x] {
                    let invert: Bool
                    switch mask {
                    case 0: invert = (x + y) % 2 == 0
                    case 1: invert = y % 2 == 0
                    case 2: invert = x % 3 == 0
                    case 3: invert = (x + y) % 3 == 0
                    case 4: invert = (x / 3 + y / 2) % 2 == 0
                    case 5: invert = x * y % 2 + x * y % 3 == 0
                    case 6: invert = (x * y % 2 + x * y % 3) % 2 == 0
                    default: invert = ((x + y) % 2 + x * y % 3) % 2 == 0
                    }
                    if invert { modules[y * size + x].toggle() }
                }
            }
        }

        /// The penalty score of §7.8.3: runs of five or more (N1 = 3), 2×2 blocks (N2 = 3),
        /// finder-like 1:1:3:1:1 patterns with four light modules on a side (N3 = 40), and the
        /// dark share's distance from half (N4 = 10).
        func penalty() -> Int {
            var score = 0
            func dark(_ x: Int, _ y: Int) -> Bool { modules[y * size + x] }
            for line in 0..<size {
                for horizontal in [true, false] {
                    var run = 1
                    for index in 1..<size {
                        let here = horizontal ? dark(index, line) : dark(line, index)
                        let before = horizontal ? dark(index - 1, line) : dark(line, index - 1)
                        if here == before {
                            run += 1
                        } else {
                            if run >= 5 { score += 3 + run - 5 }
                            run = 1
                        }
                    }
                    if run >= 5 { score += 3 + run - 5 }
                }
            }
            for y in 0..<size - 1 {
                for x in 0..<size - 1 {
                    let colour = dark(x, y)
                    if colour == dark(x + 1, y), colour == dark(x, y + 1), colour == dark(x + 1, y + 1) { score += 3 }
                }
            }
            // Compared in place: this runs for each of the eight masks.
            let before: [Bool] = [true, false, true, true, true, false, true, false, false, false, false]
            let after: [Bool] = [false, false, false, false, true, false, true, true, true, false, true]
            var values = [Bool](repeating: false, count: size)
            for line in 0..<size {
                for horizontal in [true, false] {
                    for index in 0..<size { values[index] = horizontal ? dark(index, line) : dark(line, index) }
                    for start in 0...(size - 11) {
                        var matchesBefore = true, matchesAfter = true
                        for offset in 0..<11 {
                            let value = values[start + offset]
                            if value != before[offset] { matchesBefore = false }
                            if value != after[offset] { matchesAfter = false }
                            if !matchesBefore && !matchesAfter { break }
                        }
                        if matchesBefore { score += 40 }
                        if matchesAfter { score += 40 }
                    }
                }
            }
            let darkCount = modules.filter { $0 }.count, total = size * size
            let k = (abs(darkCount * 20 - total * 10) + total - 1) / total - 1
            score += max(0, k) * 10
            return score
        }
    }
}
