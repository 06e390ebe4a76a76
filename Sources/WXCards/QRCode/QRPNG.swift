/// A QR code as a PNG: 1-bit greyscale, a quiet zone of 4 modules, `scale` pixels a module.
/// The image data is zlib with stored (uncompressed) deflate blocks: a code of version 10 at
/// scale 8 is 65 × 8 = 520 pixels a side, 34 KB, and needs no compressor.
public enum QRPNG {
    public static let quietZone = 4

    public static func png(_ code: QRCode, scale: Int = 8) -> [UInt8] {
        let side = (code.size + 2 * quietZone) * scale
        let rowBytes = (side + 7) / 8
        var raw: [UInt8] = []
        raw.reserveCapacity(side * (rowBytes + 1))
        // One row of pixels per row of modules, written `scale` times.
        for moduleY in -quietZone..<(code.size + quietZone) {
            var row = [UInt8](repeating: 0xFF, count: rowBytes)  // light; dark bits are cleared
            if (0..<code.size).contains(moduleY) {
                for moduleX in 0..<code.size where code.isDark(x: moduleX, y: moduleY) {
                    let first = (moduleX + quietZone) * scale
                    for pixelX in first..<first + scale { row[pixelX / 8] &= ~(0x80 >> UInt8(pixelX % 8)) }
                }
            }
            for _ in 0..<scale {
                raw.append(0)  // filter: none
                raw += row
            }
        }
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var header = bigEndian(UInt32(truncatingIfNeeded: side)) + bigEndian(UInt32(truncatingIfNeeded: side))
        header += [1, 0, 0, 0, 0]  // bit depth 1, greyscale, deflate, no filter, no interlace
        png += chunk("IHDR", header)
        png += chunk("IDAT", zlibStored(raw))
        png += chunk("IEND", [])
        return png
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return bigEndian(UInt32(truncatingIfNeeded: data.count)) + typeBytes + data + bigEndian(crc32(typeBytes + data))
    }

    /// zlib (RFC 1950) around deflate stored blocks (RFC 1951 §3.2.4) of at most 65,535 bytes.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let length = min(65_535, data.count - offset)
            let last: UInt8 = offset + length == data.count ? 1 : 0
            out.append(last)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8((~length >> 8) & 0xFF)]
            out += data[offset..<offset + length]
            offset += length
        } while offset < data.count
        return out + bigEndian(adler32(data))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(truncatingIfNeeded: index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return b << 16 | a
    }
}
