import ImageCodec

/// Colour and depth samples of one view at supersampled resolution.
///
/// Colour is premultiplied RGBA8 packed in a UInt32 (r in the low byte), so blending over the
/// cleared (transparent) background stays correct. Depth holds 1/distance: larger is nearer,
/// 0 is "nothing drawn".
final class FrameBuffer {
    let width: Int
    let height: Int
    let color: UnsafeMutablePointer<UInt32>
    let depth: UnsafeMutablePointer<Float>

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
        color = .allocate(capacity: width * height)
        color.initialize(repeating: 0, count: width * height)
        depth = .allocate(capacity: width * height)
        depth.initialize(repeating: 0, count: width * height)
    }

    deinit {
        color.deallocate()
        depth.deallocate()
    }

    /// Averages `factor`×`factor` blocks into an image over `background`.
    func resolve(factor: Int, background: Background) -> Image {
        let outWidth = width / factor, outHeight = height / factor
        let channels = background == .white ? 3 : 4
        var pixels = [UInt8](repeating: 0, count: outWidth * outHeight * channels)
        let samples = UInt32(factor * factor)
        let half = samples / 2
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<outHeight {
                for x in 0..<outWidth {
                    var r: UInt32 = 0, g: UInt32 = 0, b: UInt32 = 0, a: UInt32 = 0
                    for sy in 0..<factor {
                        let row = color + (y * factor + sy) * width + x * factor
                        for sx in 0..<factor {
                            let c = row[sx]
                            r += c & 0xFF
                            g += (c >> 8) & 0xFF
                            b += (c >> 16) & 0xFF
                            a += c >> 24
                        }
                    }
                    let o = (y * outWidth + x) * channels
                    if channels == 3 {
                        // Premultiplied colour over white: c + (1 − α)·255.
                        let uncovered = (255 * samples - a)
                        out[o] = UInt8(min(255, (r + uncovered + half) / samples))
                        out[o + 1] = UInt8(min(255, (g + uncovered + half) / samples))
                        out[o + 2] = UInt8(min(255, (b + uncovered + half) / samples))
                    } else if a == 0 {
                        out[o] = 0; out[o + 1] = 0; out[o + 2] = 0; out[o + 3] = 0
                    } else {
                        // Un-premultiply for straight alpha.
                        out[o] = UInt8(min(255, (r * 255 + a / 2) / a))
                        out[o + 1] = UInt8(min(255, (g * 255 + a / 2) / a))
                        out[o + 2] = UInt8(min(255, (b * 255 + a / 2) / a))
                        out[o + 3] = UInt8((a + half) / samples)
                    }
                }
            }
        }
        return Image(width: outWidth, height: outHeight, channels: channels, pixels: pixels)
    }
}
