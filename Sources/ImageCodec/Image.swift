/// An 8-bit image, interleaved, row-major without padding: 1 (grey), 2 (grey+alpha),
/// 3 (RGB) or 4 (RGBA) channels. Decoders produce it; encoders and preprocessors consume it.
public struct Image: Sendable, Equatable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Samples per pixel (1…4).
    public var channels: Int
    /// `width * height * channels` samples.
    public var pixels: [UInt8]

    /// Wraps a pixel buffer whose size is known to be right (traps otherwise); use
    /// `init(width:height:channels:validating:)` for buffers that come from outside.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(channels >= 1 && channels <= 4, "channels must be 1…4")
        precondition(pixels.count == width * height * channels, "pixel buffer does not match the size")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// Wraps a pixel buffer after checking it: throws `ImageCodecError.invalidArgument` when the
    /// channel count is outside 1…4, a dimension is negative or the buffer has the wrong length.
    public init(width: Int, height: Int, channels: Int, validating pixels: [UInt8]) throws {
        guard (1...4).contains(channels) else {
            throw ImageCodecError.invalidArgument("an image has 1…4 channels, not \(channels)")
        }
        let (area, overflow1) = width.multipliedReportingOverflow(by: height)
        let (count, overflow2) = area.multipliedReportingOverflow(by: channels)
        guard width >= 0, height >= 0, !overflow1, !overflow2, count == pixels.count else {
            throw ImageCodecError.invalidArgument(
                "a \(width)×\(height) image with \(channels) channels does not match \(pixels.count) samples")
        }
        self.init(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// An image of one colour: every pixel holds `value` (one sample per channel).
    public init(width: Int, height: Int, filledWith value: [UInt8]) {
        precondition(width >= 0 && height >= 0, "dimensions must not be negative")
        let channels = value.count
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        if channels == 1 {
            pixels = [UInt8](repeating: value[0], count: width * height)
        } else if width * height > 0 {
            for i in 0..<(width * height) {
                for c in 0..<channels { pixels[i * channels + c] = value[c] }
            }
        }
        self.init(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// True for grey+alpha and RGBA images.
    public var hasAlpha: Bool { channels == 2 || channels == 4 }

    /// True for RGB and RGBA images.
    public var isColor: Bool { channels >= 3 }

    /// Bytes in one row.
    public var rowBytes: Int { width * channels }

    /// The samples of pixel (`x`, `y`), one per channel. Meant for tests and spot checks, not loops.
    public func pixel(x: Int, y: Int) -> ArraySlice<UInt8> {
        let start = (y * width + x) * channels
        return pixels[start..<(start + channels)]
    }
}
