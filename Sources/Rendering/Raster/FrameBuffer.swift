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
        // Integer division is slow; the usual sample counts (1, 4, 16) are powers of two.
        let shift = samples.nonzeroBitCount == 1 ? UInt32(samples.trailingZeroBitCount) : nil
        @inline(__always) func average(_ sum: UInt32) -> UInt32 {
            let rounded = sum + samples / 2
            return min(255, shift.map { rounded >> $0 } ?? rounded / samples)
        }
        if factor == 2, channels == 3 {
            pixels.withUnsafeMutableBufferPointer { out in resolve2x2OverWhite(into: out, outWidth, outHeight) }
            return Image(width: outWidth, height: outHeight, channels: channels, pixels: pixels)
        }
        pixels.withUnsafeMutableBufferPointer { out in
            for y in 0..<outHeight {
                for x in 0..<outWidth {
                    // Sum the block's channels two lanes at a time: (r, b) and (g, a), 16 bits each.
                    var redBlue: UInt32 = 0, greenAlpha: UInt32 = 0, any: UInt32 = 0
                    let block = color + y * factor * width + x * factor
                    if factor == 2 {
                        // The default; unrolled.
                        let c0 = block[0], c1 = block[1], c2 = block[width], c3 = block[width + 1]
                        any = c0 | c1 | c2 | c3
                        redBlue = (c0 & 0x00FF_00FF) &+ (c1 & 0x00FF_00FF) &+ (c2 & 0x00FF_00FF) &+ (c3 & 0x00FF_00FF)
                        greenAlpha =
                            ((c0 >> 8) & 0x00FF_00FF) &+ ((c1 >> 8) & 0x00FF_00FF)
                            &+ ((c2 >> 8) & 0x00FF_00FF) &+ ((c3 >> 8) & 0x00FF_00FF)
                    } else {
                        for sy in 0..<factor {
                            let row = block + sy * width
                            for sx in 0..<factor {
                                let c = row[sx]
                                any |= c
                                redBlue &+= c & 0x00FF_00FF
                                greenAlpha &+= (c >> 8) & 0x00FF_00FF
                            }
                        }
                    }
                    let o = (y * outWidth + x) * channels
                    if any == 0 {
                        // Nothing drawn: background (white, or transparent black).
                        if channels == 3 {
                            out[o] = 255; out[o + 1] = 255; out[o + 2] = 255
                        }  // RGBA stays 0: transparent
                        continue
                    }
                    let r = redBlue & 0xFFFF, b = redBlue >> 16, g = greenAlpha & 0xFFFF, a = greenAlpha >> 16
                    if channels == 3 {
                        // Premultiplied colour over white: c + (1 − α)·255.
                        let uncovered = 255 * samples - a
                        out[o] = UInt8(average(r + uncovered))
                        out[o + 1] = UInt8(average(g + uncovered))
                        out[o + 2] = UInt8(average(b + uncovered))
                    } else {
                        // Un-premultiply for straight alpha.
                        out[o] = UInt8(min(255, (r * 255 + a / 2) / a))
                        out[o + 1] = UInt8(min(255, (g * 255 + a / 2) / a))
                        out[o + 2] = UInt8(min(255, (b * 255 + a / 2) / a))
                        out[o + 3] = UInt8(average(a))
                    }
                }
            }
        }
        return Image(width: outWidth, height: outHeight, channels: channels, pixels: pixels)
    }

    /// The default resolve (2×2 samples, white background) as one tight loop: sums of the four
    /// premultiplied samples two channels per word, plus the uncovered share of white.
    /// Every sum is at most 4 × 255, so the shifted result always fits a byte.
    private func resolve2x2OverWhite(into out: UnsafeMutableBufferPointer<UInt8>, _ outWidth: Int, _ outHeight: Int) {
        guard let base = out.baseAddress else { return }
        for y in 0..<outHeight {
            let top = color + 2 &* y &* width, bottom = top + width
            var o = base + y &* outWidth &* 3
            for x in 0..<outWidth {
                let c0 = top[2 &* x], c1 = top[2 &* x &+ 1], c2 = bottom[2 &* x], c3 = bottom[2 &* x &+ 1]
                let redBlue = (c0 & 0x00FF_00FF) &+ (c1 & 0x00FF_00FF) &+ (c2 & 0x00FF_00FF) &+ (c3 & 0x00FF_00FF)
                let greenAlpha =
                    ((c0 >> 8) & 0x00FF_00FF) &+ ((c1 >> 8) & 0x00FF_00FF)
                    &+ ((c2 >> 8) & 0x00FF_00FF) &+ ((c3 >> 8) & 0x00FF_00FF)
                let white = 1020 &- (greenAlpha >> 16) &+ 2  // uncovered share of white, plus rounding
                o[0] = UInt8(truncatingIfNeeded: ((redBlue & 0xFFFF) &+ white) >> 2)
                o[1] = UInt8(truncatingIfNeeded: ((greenAlpha & 0xFFFF) &+ white) >> 2)
                o[2] = UInt8(truncatingIfNeeded: ((redBlue >> 16) &+ white) >> 2)
                o += 3
            }
        }
    }
}
