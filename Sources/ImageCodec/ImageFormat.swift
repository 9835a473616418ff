/// The container formats the decoder reads, recognised from their first bytes (never the file name).
public enum ImageFormat: String, Sendable, Codable, CaseIterable {
    /// JPEG (JFIF/EXIF, baseline or progressive, grey/YCbCr/CMYK/YCCK).
    case jpeg
    /// PNG (any bit depth and colour type, interlaced or not).
    case png
    /// WebP (lossy, lossless, with alpha; the first frame of an animation).
    case webp

    /// The name used in messages ("JPEG", "PNG", "WebP").
    public var displayName: String {
        switch self {
        case .jpeg: return "JPEG"
        case .png: return "PNG"
        case .webp: return "WebP"
        }
    }

    /// The format whose signature starts `bytes`, or nil.
    public static func sniff(_ bytes: UnsafeRawBufferPointer) -> ImageFormat? {
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if bytes.starts(with: pngSignature) { return .png }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)),
            Array(bytes[8..<12]) == Array("WEBP".utf8)
        {
            return .webp
        }
        return nil
    }

    /// The 8-byte PNG file signature.
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A short phrase saying what unrecognised data looks like, for error messages.
    static func describeUnrecognized(_ bytes: UnsafeRawBufferPointer) -> String {
        let known: [(prefix: [UInt8], name: String)] = [
            (Array("GIF8".utf8), "it looks like a GIF image, which is not supported"),
            (Array("BM".utf8), "it looks like a BMP image, which is not supported"),
            ([0x49, 0x49, 0x2A, 0x00], "it looks like a TIFF image, which is not supported"),
            ([0x4D, 0x4D, 0x00, 0x2A], "it looks like a TIFF image, which is not supported"),
            (Array("%PDF".utf8), "it looks like a PDF document"),
            ([0x50, 0x4B, 0x03, 0x04], "it looks like a ZIP archive"),
            ([0x1F, 0x8B], "it looks like gzip-compressed data"),
            (Array("RIFF".utf8), "it is a RIFF file but not WebP"),
            ([0x89, 0x50, 0x4E, 0x47], "it has a damaged PNG signature"),
            ([0xFF, 0xD8], "it has a damaged JPEG signature"),
        ]
        for entry in known where bytes.starts(with: entry.prefix) { return entry.name }
        if bytes.count >= 12, Array(bytes[4..<8]) == Array("ftyp".utf8) {
            return "it looks like an ISO media file (HEIC/AVIF/MP4), which is not supported"
        }
        let head = bytes.prefix(512)
        let printable = head.filter { $0 == 9 || $0 == 10 || $0 == 13 || (0x20..<0x7F).contains($0) || $0 >= 0x80 }
        if !head.isEmpty, printable.count == head.count, !head.contains(0) {
            return "it looks like text"
        }
        let hex = bytes.prefix(8).map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: " ")
        return "it starts with bytes \(hex)"
    }
}
