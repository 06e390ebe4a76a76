/// What ISO/IEC 18004 fixes for each version at error-correction level M (versions 1 to 10:
/// up to 213 bytes, enough for a claim URL).
struct QRVersion: Sendable {
    let number: Int
    /// Codewords in the symbol, data and error correction together (Table 9).
    let totalCodewords: Int
    /// Error-correction codewords per block, and the number of blocks, at level M.
    let eccPerBlock: Int
    let blocks: Int
    /// Centres of the alignment patterns along each axis (Annex E).
    let alignment: [Int]

    var size: Int { 17 + 4 * number }
    var dataCodewords: Int { totalCodewords - eccPerBlock * blocks }
    /// Bytes byte mode carries: 4 bits of mode, the count (8 bits up to version 9, 16 from 10).
    var byteCapacity: Int { (dataCodewords * 8 - 4 - countBits) / 8 }
    var countBits: Int { number <= 9 ? 8 : 16 }

    static let all: [QRVersion] = [
        QRVersion(number: 1, totalCodewords: 26, eccPerBlock: 10, blocks: 1, alignment: []),
        QRVersion(number: 2, totalCodewords: 44, eccPerBlock: 16, blocks: 1, alignment: [6, 18]),
        QRVersion(number: 3, totalCodewords: 70, eccPerBlock: 26, blocks: 1, alignment: [6, 22]),
        QRVersion(number: 4, totalCodewords: 100, eccPerBlock: 18, blocks: 2, alignment: [6, 26]),
        QRVersion(number: 5, totalCodewords: 134, eccPerBlock: 24, blocks: 2, alignment: [6, 30]),
        QRVersion(number: 6, totalCodewords: 172, eccPerBlock: 16, blocks: 4, alignment: [6, 34]),
        QRVersion(number: 7, totalCodewords: 196, eccPerBlock: 18, blocks: 4, alignment: [6, 22, 38]),
        QRVersion(number: 8, totalCodewords: 242, eccPerBlock: 22, blocks: 4, alignment: [6, 24, 42]),
        QRVersion(number: 9, totalCodewords: 292, eccPerBlock: 22, blocks: 5, alignment: [6, 26, 46]),
        QRVersion(number: 10, totalCodewords: 346, eccPerBlock: 26, blocks: 5, alignment: [6, 28, 50]),
    ]

    /// The smallest version that holds `count` bytes, if one does.
    static func fitting(bytes count: Int) -> QRVersion? { all.first { $0.byteCapacity >= count } }
}
