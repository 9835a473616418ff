import CTurboJPEG

/// JPEG decoding through libjpeg-turbo's TurboJPEG API (which catches libjpeg's errors itself, so no
/// setjmp reaches Swift). Settings match what Pillow asks libjpeg for: accurate integer IDCT and
/// fancy (smooth) chroma upsampling, so pixels agree with Pillow's wherever both link libjpeg-turbo.
enum JPEGDecoder {
    /// Decodes grey JPEGs to 1 channel, everything else to RGB. CMYK/YCCK JPEGs are read with Adobe's
    /// inverted polarity (as Pillow always does) and turned into RGB with Pillow's `cmyk2rgb`.
    static func decode(_ bytes: UnsafeRawBufferPointer, limits: DecodeLimits) throws -> (Image, JPEGMarkers) {
        let markers = JPEGMarkers(bytes)
        guard let handle = tjInitDecompress() else {
            throw ImageCodecError.corrupt(format: .jpeg, detail: "libjpeg-turbo could not start a decompressor")
        }
        defer { tjDestroy(handle) }
        guard let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { throw ImageCodecError.empty }
        let size = UInt(bytes.count)

        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
        if tjDecompressHeader3(handle, base, size, &width, &height, &subsampling, &colorspace) != 0 {
            throw failure(handle, markers: markers)
        }
        if width <= 0 || height <= 0 {
            // libjpeg accepts a header that ends before any frame as a "tables-only" stream.
            throw markers.endsInHeader
                ? ImageCodecError.truncated(format: .jpeg)
                : ImageCodecError.corrupt(format: .jpeg, detail: "the data holds no image frame")
        }
        try limits.check(width: Int(width), height: Int(height), format: .jpeg)

        let cs = Int(colorspace)
        let (pixelFormat, channels): (TJPF, Int)
        switch cs {
        case Int(TJCS_GRAY.rawValue): (pixelFormat, channels) = (TJPF_GRAY, 1)
        case Int(TJCS_CMYK.rawValue), Int(TJCS_YCCK.rawValue): (pixelFormat, channels) = (TJPF_CMYK, 4)
        default: (pixelFormat, channels) = (TJPF_RGB, 3)
        }
        let w = Int(width), h = Int(height)
        var pixels = [UInt8](repeating: 0, count: w * h * channels)
        let status = pixels.withUnsafeMutableBufferPointer { out in
            tjDecompress2(
                handle, base, size, out.baseAddress, width, 0, height, pixelFormat.rawValue,
                TJFLAG_ACCURATEDCT)
        }
        if status != 0 {
            // Warnings still produce a full image; only truncation is treated as an error, as Pillow
            // raises "image file is truncated" where libjpeg would pad the missing rows with grey.
            let isWarning = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
            if !isWarning || message(handle).contains("Premature end") {
                throw failure(handle, markers: markers)
            }
        }
        if channels == 4 {
            return (cmykToRGB(pixels, width: w, height: h), markers)
        }
        return (Image(width: w, height: h, channels: channels, pixels: pixels), markers)
    }

    /// Pillow's `CMYK;I` unpacking (invert every sample) followed by `cmyk2rgb`:
    /// `R = clip(nk − nk·C/255)` with `nk = 255 − K` and Pillow's rounded division by 255.
    static func cmykToRGB(_ stored: [UInt8], width: Int, height: Int) -> Image {
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        stored.withUnsafeBufferPointer { src in
            rgb.withUnsafeMutableBufferPointer { dst in
                for i in 0..<(width * height) {
                    let k = 255 - Int(src[i * 4 + 3])
                    let nk = 255 - k
                    for ch in 0..<3 {
                        let c = 255 - Int(src[i * 4 + ch])
                        let value = nk - mulDiv255(c, nk)
                        dst[i * 3 + ch] = UInt8(clamping: value)
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: rgb)
    }

    private static func message(_ handle: tjhandle) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown libjpeg error" }
        return String(cString: text)
    }

    private static func failure(_ handle: tjhandle, markers: JPEGMarkers) -> ImageCodecError {
        let text = message(handle)
        if markers.endsInHeader || text.contains("Premature end") {
            return .truncated(format: .jpeg)
        }
        if text.contains("precision") || text.contains("Unsupported") {
            return .unsupported(format: .jpeg, detail: text)
        }
        return .corrupt(format: .jpeg, detail: text)
    }
}

/// Pillow's `MULDIV255`: `a·b/255` rounded, computed as `((t >> 8) + t) >> 8` with `t = a·b + 128`.
@inline(__always)
func mulDiv255(_ a: Int, _ b: Int) -> Int {
    let t = a * b + 128
    return ((t >> 8) + t) >> 8
}
