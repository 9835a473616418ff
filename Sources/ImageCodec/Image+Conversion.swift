/// Channel-layout conversions, each reproducing Pillow's integer arithmetic.
extension Image {
    /// What `convertedToRGB` does with an alpha channel.
    public enum AlphaHandling: Sendable, Equatable {
        /// Drop alpha and keep the stored colours: Pillow's `Image.convert("RGB")`, which is what
        /// transformers 4.57's `convert_to_rgb` (`do_convert_rgb`) does.
        case discard
        /// Blend over opaque white with Pillow's `Image.alpha_composite` (what transformers'
        /// `convert_to_rgb` did in earlier releases): transparent areas become white.
        case compositeOnWhite
    }

    /// A 3-channel copy: grey is replicated, RGB is returned as is, alpha is handled per `alpha`.
    public func convertedToRGB(alpha: AlphaHandling) -> Image {
        if channels == 3 { return self }
        let count = width * height
        var out = [UInt8](repeating: 0, count: count * 3)
        let c = channels
        let composite = alpha == .compositeOnWhite && hasAlpha
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<count {
                    let s = i * c
                    let (r, g, b): (UInt8, UInt8, UInt8) =
                        c >= 3 ? (src[s], src[s + 1], src[s + 2]) : (src[s], src[s], src[s])
                    if composite {
                        let a = Int(src[s + c - 1])
                        dst[i * 3] = overWhite(r, alpha: a)
                        dst[i * 3 + 1] = overWhite(g, alpha: a)
                        dst[i * 3 + 2] = overWhite(b, alpha: a)
                    } else {
                        dst[i * 3] = r
                        dst[i * 3 + 1] = g
                        dst[i * 3 + 2] = b
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: out)
    }

    /// A 4-channel copy: grey is replicated, missing alpha becomes 255 (Pillow's `convert("RGBA")`).
    public func convertedToRGBA() -> Image {
        if channels == 4 { return self }
        let count = width * height
        var out = [UInt8](repeating: 255, count: count * 4)
        let c = channels
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<count {
                    let s = i * c
                    if c >= 3 {
                        dst[i * 4] = src[s]
                        dst[i * 4 + 1] = src[s + 1]
                        dst[i * 4 + 2] = src[s + 2]
                    } else {
                        dst[i * 4] = src[s]
                        dst[i * 4 + 1] = src[s]
                        dst[i * 4 + 2] = src[s]
                    }
                    if c == 2 { dst[i * 4 + 3] = src[s + 1] }
                }
            }
        }
        return Image(width: width, height: height, channels: 4, pixels: out)
    }

    /// A 1-channel copy with Pillow's `convert("L")` luma (ITU-R 601-2, 16-bit fixed point);
    /// alpha is dropped.
    public func convertedToGrey() -> Image {
        if channels == 1 { return self }
        let count = width * height
        var out = [UInt8](repeating: 0, count: count)
        let c = channels
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<count {
                    let s = i * c
                    if c >= 3 {
                        let luma = Int(src[s]) * 19595 + Int(src[s + 1]) * 38470 + Int(src[s + 2]) * 7471 + 0x8000
                        dst[i] = UInt8(truncatingIfNeeded: luma >> 16)
                    } else {
                        dst[i] = src[s]
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: 1, pixels: out)
    }
}

/// One colour sample of Pillow's `ImagingAlphaComposite` with an opaque white destination:
/// 7 extra bits of precision, divisions by 255 rounded as Pillow rounds them.
@inline(__always)
func overWhite(_ value: UInt8, alpha: Int) -> UInt8 {
    if alpha == 0 { return 255 }
    let precisionBits: UInt32 = 7
    let srcA = UInt32(alpha)
    let blend: UInt32 = 255 * (255 - srcA)  // destination alpha is 255
    let outA255 = srcA * 255 + blend
    let coef1 = srcA * 255 * 255 * (1 << precisionBits) / outA255
    let coef2 = 255 * (1 << precisionBits) - coef1
    let tmp = UInt32(value) * coef1 + 255 * coef2 + (0x80 << precisionBits)
    return UInt8(truncatingIfNeeded: (((tmp >> 8) + tmp) >> 8) >> precisionBits)
}
