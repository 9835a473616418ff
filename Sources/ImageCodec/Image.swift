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

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(channels >= 1 && channels <= 4, "channels must be 1…4")
        precondition(pixels.count == width * height * channels, "pixel buffer does not match the size")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }
}
