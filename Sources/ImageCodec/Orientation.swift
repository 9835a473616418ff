/// EXIF orientation (tag 0x0112): how the stored pixels must be turned to be seen upright.
/// The raw values 1…8 and their meaning follow the EXIF/TIFF specification; `Image.oriented(_:)`
/// applies them the way Pillow's `ImageOps.exif_transpose` does.
public enum Orientation: Int, Sendable, CaseIterable {
    /// 1: stored upright.
    case up = 1
    /// 2: mirrored left↔right.
    case upMirrored = 2
    /// 3: rotated 180°.
    case down = 3
    /// 4: mirrored top↔bottom.
    case downMirrored = 4
    /// 5: mirrored along the main diagonal (transpose).
    case leftMirrored = 5
    /// 6: needs a 90° clockwise turn.
    case right = 6
    /// 7: mirrored along the anti-diagonal (transverse).
    case rightMirrored = 7
    /// 8: needs a 90° counter-clockwise turn.
    case left = 8

    /// Reads the orientation from a TIFF structure (the payload of a JPEG "Exif" APP1 segment,
    /// a PNG eXIf chunk or a WebP EXIF chunk, with or without the "Exif\0\0" prefix).
    /// Returns nil when the structure is damaged or has no valid orientation entry.
    static func fromEXIF(_ bytes: [UInt8]) -> Orientation? {
        var tiff = bytes[...]
        if tiff.starts(with: Array("Exif".utf8) + [0, 0]) { tiff = tiff.dropFirst(6) }
        let base = tiff.startIndex
        guard tiff.count >= 8 else { return nil }
        let littleEndian: Bool
        switch (tiff[base], tiff[base + 1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            let a = Int(tiff[base + at]), b = Int(tiff[base + at + 1])
            return littleEndian ? a | b << 8 : a << 8 | b
        }
        func u32(_ at: Int) -> Int? {
            guard let lo = u16(littleEndian ? at : at + 2), let hi = u16(littleEndian ? at + 2 : at) else {
                return nil
            }
            return hi << 16 | lo
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return nil }
        for entry in 0..<count {
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at), let type = u16(at + 2) else { return nil }
            guard tag == 0x0112 else { continue }
            let value: Int?
            switch type {
            case 3: value = u16(at + 8)  // SHORT
            case 4: value = u32(at + 8)  // LONG
            default: value = nil
            }
            return value.flatMap(Orientation.init(rawValue:))
        }
        return nil
    }

    /// Reads `tiff:Orientation="N"` or `<tiff:Orientation>N<` from an XMP packet, as Pillow does
    /// when the EXIF data has no orientation.
    static func fromXMP(_ bytes: [UInt8]) -> Orientation? {
        let key = Array("tiff:Orientation".utf8)
        guard bytes.count > key.count + 2 else { return nil }
        var index = 0
        while index + key.count + 2 <= bytes.count {
            if bytes[index] == key[0], Array(bytes[index..<(index + key.count)]) == key {
                var at = index + key.count
                if bytes[at] == UInt8(ascii: "=") && bytes[at + 1] == UInt8(ascii: "\"") {
                    at += 2
                } else if bytes[at] == UInt8(ascii: ">") {
                    at += 1
                } else {
                    index += 1
                    continue
                }
                if at < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[at]) {
                    return Orientation(rawValue: Int(bytes[at] - UInt8(ascii: "0")))
                }
            }
            index += 1
        }
        return nil
    }
}

extension Image {
    /// The image turned upright according to `orientation` (Pillow's `exif_transpose`:
    /// 2 FLIP_LEFT_RIGHT, 3 ROTATE_180, 4 FLIP_TOP_BOTTOM, 5 TRANSPOSE, 6 ROTATE_270,
    /// 7 TRANSVERSE, 8 ROTATE_90).
    public func oriented(_ orientation: Orientation) -> Image {
        let w = width, h = height, c = channels
        // For output pixel (x, y): the source pixel is base + x * dx + y * dy (in pixels).
        let outW: Int, outH: Int, base: Int, dx: Int, dy: Int
        switch orientation {
        case .up: return self
        case .upMirrored: (outW, outH, base, dx, dy) = (w, h, w - 1, -1, w)
        case .down: (outW, outH, base, dx, dy) = (w, h, w * h - 1, -1, -w)
        case .downMirrored: (outW, outH, base, dx, dy) = (w, h, (h - 1) * w, 1, -w)
        case .leftMirrored: (outW, outH, base, dx, dy) = (h, w, 0, w, 1)
        case .right: (outW, outH, base, dx, dy) = (h, w, (h - 1) * w, -w, 1)
        case .rightMirrored: (outW, outH, base, dx, dy) = (h, w, w * h - 1, -w, -1)
        case .left: (outW, outH, base, dx, dy) = (h, w, w - 1, w, -1)
        }
        var out = [UInt8](repeating: 0, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<outH {
                    var s = base + y * dy
                    var d = y * outW * c
                    for _ in 0..<outW {
                        for k in 0..<c { dst[d + k] = src[s * c + k] }
                        s += dx
                        d += c
                    }
                }
            }
        }
        return Image(width: outW, height: outH, channels: c, pixels: out)
    }
}
