import CPNG

/// PNG decoding through libpng's simplified `png_image` API (which catches libpng's errors itself,
/// so no setjmp reaches Swift), arranged so that the pixels equal Pillow's:
/// - colour-management chunks are dropped first (Pillow ignores them; libpng would convert);
/// - palettes, low bit depths and tRNS are expanded by libpng as Pillow expands them;
/// - 16-bit samples keep their high byte, as Pillow's `;16B` unpackers do. 16-bit grey and RGB are
///   read as raw linear values; 16-bit grey+alpha is handed to libpng as 8-bit RGBA of the same
///   width (identical bytes per pixel, hence identical unfiltering) and split afterwards.
///   16-bit RGBA and 16-bit files with tRNS are scaled by libpng, which rounds (`v·255/65535`)
///   where Pillow truncates (`v >> 8`): those differ by at most 1.
/// - 16-bit grey becomes 8-bit grey by its high byte. (Pillow keeps it as `I;16` and saturates
///   every value above 255 when converting to RGB; that is not reproduced.)
enum PNGDecoder {
    static func decode(_ bytes: UnsafeRawBufferPointer, limits: DecodeLimits) throws -> (Image, PNGChunks) {
        let chunks = PNGChunks(bytes)
        guard chunks.hasHeader else {
            throw chunks.truncated
                ? ImageCodecError.truncated(format: .png)
                : ImageCodecError.corrupt(format: .png, detail: "the file does not start with an IHDR chunk")
        }
        try limits.check(width: chunks.width, height: chunks.height, format: .png)
        guard chunks.dataCanHoldImage else {
            throw chunks.truncated
                ? ImageCodecError.truncated(format: .png)
                : ImageCodecError.corrupt(
                    format: .png,
                    detail:
                        "\(chunks.compressedBytes) bytes of image data cannot hold \(chunks.width)×\(chunks.height) pixels"
                )
        }

        let greyAlpha16 = chunks.bitDepth == 16 && chunks.colorType == 4
        var stream = chunks.reducedStream(from: bytes, headerOverride: greyAlpha16 ? (8, 6) : nil)
        return try stream.withUnsafeMutableBytes { data in
            let image = try read(data, chunks: chunks, greyAlpha16: greyAlpha16)
            return (image, chunks)
        }
    }

    private static func read(
        _ data: UnsafeMutableRawBufferPointer, chunks: PNGChunks, greyAlpha16: Bool
    )
        throws -> Image
    {
        var control = png_image()
        control.version = png_uint_32(PNG_IMAGE_VERSION)
        defer { png_image_free(&control) }
        guard png_image_begin_read_from_memory(&control, data.baseAddress, data.count) != 0 else {
            throw failure(control, chunks: chunks)
        }
        let width = Int(control.width), height = Int(control.height)
        let fileFormat = control.format & ~png_uint_32(PNG_FORMAT_FLAG_COLORMAP)
        let hasAlpha = fileFormat & png_uint_32(PNG_FORMAT_FLAG_ALPHA) != 0
        let isColor = fileFormat & png_uint_32(PNG_FORMAT_FLAG_COLOR) != 0
        let is16 = fileFormat & png_uint_32(PNG_FORMAT_FLAG_LINEAR) != 0
        let channels = (isColor ? 3 : 1) + (hasAlpha ? 1 : 0)

        if is16 && !hasAlpha {
            // Raw 16-bit samples: no gamma chunk is left, so libpng treats them as linear and
            // linear output needs no conversion.
            control.format = fileFormat
            var wide = [UInt16](repeating: 0, count: width * height * channels)
            let ok = wide.withUnsafeMutableBytes { png_image_finish_read(&control, nil, $0.baseAddress, 0, nil) }
            guard ok != 0 else { throw failure(control, chunks: chunks) }
            let narrow = wide.map { UInt8(truncatingIfNeeded: $0 >> 8) }
            return Image(width: width, height: height, channels: channels, pixels: narrow)
        }

        // 8-bit output. For the 16-bit-with-alpha cases left here, tell libpng the samples are
        // already sRGB-encoded so it only scales them.
        control.format = fileFormat & ~png_uint_32(PNG_FORMAT_FLAG_LINEAR)
        if is16 { control.flags |= png_uint_32(PNG_IMAGE_FLAG_16BIT_sRGB) }
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        let ok = pixels.withUnsafeMutableBytes { png_image_finish_read(&control, nil, $0.baseAddress, 0, nil) }
        guard ok != 0 else { throw failure(control, chunks: chunks) }
        if greyAlpha16 {
            // Bytes per pixel: G_hi G_lo A_hi A_lo, read as "RGBA".
            var ga = [UInt8](repeating: 0, count: width * height * 2)
            for i in 0..<(width * height) {
                ga[i * 2] = pixels[i * 4]
                ga[i * 2 + 1] = pixels[i * 4 + 2]
            }
            return Image(width: width, height: height, channels: 2, pixels: ga)
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    private static func failure(_ control: png_image, chunks: PNGChunks) -> ImageCodecError {
        var message = control.message
        let text = withUnsafeBytes(of: &message) { raw in
            String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        if chunks.truncated { return .truncated(format: .png) }
        return .corrupt(format: .png, detail: text.isEmpty ? "libpng rejected the data" : text)
    }
}
