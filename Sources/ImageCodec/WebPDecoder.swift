import CWebP

/// WebP decoding through libwebp. Still images are decoded straight into our buffer (RGB, or RGBA
/// when the bitstream has alpha, as Pillow chooses its mode); animations yield their first frame
/// through libwebp's animation decoder, as Pillow does.
enum WebPDecoder {
    /// EXIF and XMP payloads read from the RIFF chunks (libwebp's still-image API skips them).
    struct Metadata {
        var exif: [UInt8]?
        var xmp: [UInt8]?
        /// True when the RIFF size or a chunk's size runs past the end of the data.
        var truncated = false
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, limits: DecodeLimits) throws -> (Image, Metadata) {
        let metadata = scan(bytes)
        guard bytes.count >= 16 else { throw ImageCodecError.truncated(format: .webp) }
        let firstChunk = String(decoding: bytes[12..<16], as: UTF8.self)
        guard ["VP8 ", "VP8L", "VP8X"].contains(firstChunk) else {
            throw ImageCodecError.corrupt(format: .webp, detail: "no VP8, VP8L or VP8X chunk follows the RIFF header")
        }
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw ImageCodecError.empty }
        var features = WebPBitstreamFeatures()
        let status = WebPGetFeatures(base, bytes.count, &features)
        guard status == VP8_STATUS_OK else { throw failure(status, metadata: metadata) }
        let width = Int(features.width), height = Int(features.height)
        try limits.check(width: width, height: height, format: .webp)
        let channels = features.has_alpha != 0 ? 4 : 3

        if features.has_animation != 0 {
            return (try firstFrame(bytes, width: width, height: height, channels: channels), metadata)
        }
        var config = WebPDecoderConfig()
        guard WebPInitDecoderConfig(&config) != 0 else {
            throw ImageCodecError.corrupt(format: .webp, detail: "libwebp version mismatch")
        }
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        let decoded = pixels.withUnsafeMutableBufferPointer { out -> VP8StatusCode in
            config.output.colorspace = channels == 4 ? MODE_RGBA : MODE_RGB
            config.output.is_external_memory = 1
            config.output.u.RGBA = WebPRGBABuffer(
                rgba: out.baseAddress, stride: Int32(width * channels),
                size: out.count)
            return WebPDecode(base, bytes.count, &config)
        }
        guard decoded == VP8_STATUS_OK else { throw failure(decoded, metadata: metadata) }
        return (Image(width: width, height: height, channels: channels, pixels: pixels), metadata)
    }

    /// The first frame of an animation, composited on its transparent canvas.
    private static func firstFrame(
        _ bytes: UnsafeRawBufferPointer, width: Int, height: Int, channels: Int
    )
        throws -> Image
    {
        var options = WebPAnimDecoderOptions()
        guard WebPAnimDecoderOptionsInit(&options) != 0 else {
            throw ImageCodecError.corrupt(format: .webp, detail: "libwebp version mismatch")
        }
        options.color_mode = MODE_RGBA
        options.use_threads = 0
        var data = WebPData(bytes: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), size: bytes.count)
        guard let decoder = WebPAnimDecoderNew(&data, &options) else {
            throw ImageCodecError.corrupt(format: .webp, detail: "the animation could not be parsed")
        }
        defer { WebPAnimDecoderDelete(decoder) }
        var frame: UnsafeMutablePointer<UInt8>?
        var timestamp: Int32 = 0
        guard WebPAnimDecoderGetNext(decoder, &frame, &timestamp) != 0, let frame else {
            throw ImageCodecError.corrupt(format: .webp, detail: "the first animation frame could not be decoded")
        }
        let rgba = UnsafeBufferPointer(start: frame, count: width * height * 4)
        if channels == 4 { return Image(width: width, height: height, channels: 4, pixels: Array(rgba)) }
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            rgb[i * 3] = rgba[i * 4]
            rgb[i * 3 + 1] = rgba[i * 4 + 1]
            rgb[i * 3 + 2] = rgba[i * 4 + 2]
        }
        return Image(width: width, height: height, channels: 3, pixels: rgb)
    }

    private static func failure(_ status: VP8StatusCode, metadata: Metadata) -> ImageCodecError {
        switch status {
        case VP8_STATUS_NOT_ENOUGH_DATA, VP8_STATUS_SUSPENDED:
            return .truncated(format: .webp)
        case VP8_STATUS_UNSUPPORTED_FEATURE:
            return .unsupported(format: .webp, detail: "the bitstream uses a feature libwebp does not support")
        case VP8_STATUS_OUT_OF_MEMORY:
            return .corrupt(format: .webp, detail: "libwebp ran out of memory")
        default:
            return metadata.truncated
                ? .truncated(format: .webp)
                : .corrupt(format: .webp, detail: "the bitstream is invalid")
        }
    }

    /// Walks the RIFF chunks after "WEBP" for EXIF and XMP.
    private static func scan(_ bytes: UnsafeRawBufferPointer) -> Metadata {
        var metadata = Metadata()
        func u32le(_ at: Int) -> Int {
            Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        guard bytes.count >= 12 else {
            metadata.truncated = true
            return metadata
        }
        if u32le(4) + 8 > bytes.count { metadata.truncated = true }
        var offset = 12
        while offset + 8 <= bytes.count {
            let tag = String(decoding: bytes[offset..<(offset + 4)], as: UTF8.self)
            let size = u32le(offset + 4)
            let start = offset + 8
            guard start + size <= bytes.count else {
                metadata.truncated = true
                break
            }
            if tag == "EXIF", metadata.exif == nil { metadata.exif = Array(bytes[start..<(start + size)]) }
            if tag == "XMP ", metadata.xmp == nil { metadata.xmp = Array(bytes[start..<(start + size)]) }
            offset = start + size + (size & 1)  // chunks are padded to even sizes
        }
        return metadata
    }
}
