/// A walk over a PNG's chunks, done before libpng sees the data: it gives the header (for the
/// decompression-bomb guard), the EXIF/XMP metadata, whether the data ends early, and a copy of the
/// stream reduced to the chunks that define pixels.
struct PNGChunks {
    /// IHDR fields.
    var width = 0
    var height = 0
    var bitDepth = 0
    var colorType = 0
    /// True when a valid IHDR was the first chunk.
    var hasHeader = false
    /// The eXIf payload (a TIFF structure).
    var exif: [UInt8]?
    /// An uncompressed XMP packet from iTXt "XML:com.adobe.xmp".
    var xmp: [UInt8]?
    /// True when a chunk runs past the end of the data or IEND is missing.
    var truncated = false
    /// Total bytes of compressed image data (IDAT payloads).
    var compressedBytes = 0
    /// Byte ranges of the chunks kept for libpng: IHDR, PLTE, tRNS, IDAT, IEND.
    private var kept: [Range<Int>] = []

    /// Chunks that change pixel values or are needed to produce them. Everything else is dropped,
    /// notably gAMA/cHRM/sRGB/iCCP/cICP: Pillow ignores them, while libpng's simplified API would
    /// colour-correct to sRGB.
    private static let pixelChunks: Set<String> = ["IHDR", "PLTE", "tRNS", "IDAT", "IEND"]

    init(_ bytes: UnsafeRawBufferPointer) {
        var offset = 8
        var first = true
        while true {
            guard offset + 8 <= bytes.count else {
                truncated = true
                return
            }
            let length = Self.u32(bytes, offset)
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let dataStart = offset + 8
            let (end, overflow) = dataStart.addingReportingOverflow(length + 4)
            guard !overflow, end <= bytes.count else {
                truncated = true
                if type == "IDAT" { kept.append(offset..<bytes.count) }
                return
            }
            let data = UnsafeRawBufferPointer(rebasing: bytes[dataStart..<(dataStart + length)])
            if first {
                first = false
                guard type == "IHDR", length == 13 else { return }
                width = Self.u32(data, 0)
                height = Self.u32(data, 4)
                bitDepth = Int(data[8])
                colorType = Int(data[9])
                hasHeader = true
            }
            if Self.pixelChunks.contains(type) { kept.append(offset..<end) }
            if type == "IDAT" { compressedBytes += length }
            if type == "eXIf", exif == nil { exif = Array(data) }
            if type == "iTXt", xmp == nil { xmp = Self.uncompressedXMP(data) }
            if type == "IEND" { return }
            offset = end
        }
    }

    /// False when the compressed data is too short to hold the pixels the header announces even at
    /// deflate's best ratio (about 1032:1), so a lying header is rejected before any allocation.
    var dataCanHoldImage: Bool {
        let samples = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType] ?? 1
        let bits = Double(width) * Double(height) * Double(samples * bitDepth)
        return Double(compressedBytes) * 1100 * 8 >= bits
    }

    /// The PNG signature plus the kept chunks; with `headerOverride`, IHDR's bit depth and colour
    /// type are replaced (and its CRC recomputed).
    func reducedStream(
        from bytes: UnsafeRawBufferPointer, headerOverride: (bitDepth: UInt8, colorType: UInt8)?
    )
        -> [UInt8]
    {
        var out = ImageFormat.pngSignature
        out.reserveCapacity(kept.reduce(8) { $0 + $1.count })
        for range in kept {
            let start = out.count
            out.append(contentsOf: bytes[range])
            if let headerOverride, range.lowerBound == 8 {
                out[start + 8 + 8] = headerOverride.bitDepth
                out[start + 8 + 9] = headerOverride.colorType
                let crc = CRC32.checksum(out[(start + 4)..<(start + 8 + 13)])
                for i in 0..<4 { out[start + 8 + 13 + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * i)) }
            }
        }
        return out
    }

    private static func u32(_ bytes: UnsafeRawBufferPointer, _ at: Int) -> Int {
        Int(bytes[at]) << 24 | Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
    }

    /// iTXt layout: keyword\0, compression flag, method, language\0, translated keyword\0, text.
    private static func uncompressedXMP(_ data: UnsafeRawBufferPointer) -> [UInt8]? {
        let keyword = Array("XML:com.adobe.xmp".utf8) + [0]
        guard data.starts(with: keyword), data.count > keyword.count + 2,
            data[keyword.count] == 0  // not compressed
        else { return nil }
        var at = keyword.count + 2
        for _ in 0..<2 {  // language tag, translated keyword
            while at < data.count, data[at] != 0 { at += 1 }
            at += 1
        }
        return at <= data.count ? Array(data[at...]) : nil
    }
}

/// CRC-32 as PNG uses it (ISO 3309, reflected polynomial 0xEDB88320).
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}
