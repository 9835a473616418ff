/// Limits checked against an image's header before any pixel memory is allocated
/// (the decompression-bomb guard).
public struct DecodeLimits: Sendable, Equatable {
    /// Largest accepted `width × height`. The default is Pillow's error threshold
    /// (`2 × Image.MAX_IMAGE_PIXELS` = 178,956,970 pixels, ≈ 716 MB as RGBA).
    public var maxPixels: Int

    /// Pillow's threshold; servers taking uploads may want a smaller one.
    public static let `default` = DecodeLimits(maxPixels: 178_956_970)

    /// A limit of `maxPixels` pixels (must be positive).
    public init(maxPixels: Int) {
        self.maxPixels = maxPixels
    }

    /// Throws unless a `width × height` image fits the limit (and has a positive area).
    func check(width: Int, height: Int, format: ImageFormat) throws {
        guard width > 0, height > 0 else {
            throw ImageCodecError.corrupt(format: format, detail: "the header gives a size of \(width)×\(height)")
        }
        let (area, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, area <= maxPixels else {
            throw ImageCodecError.tooLarge(width: width, height: height, limit: maxPixels)
        }
    }
}
