import Foundation

/// Pillow's resampling filters, with Pillow's numbering (`PIL.Image.Resampling`), which is also the
/// `resample` value of Hugging Face's `preprocessor_config.json`.
public enum ResamplingFilter: Int, Sendable, Codable, CaseIterable {
    /// Nearest neighbour (Pillow's affine scaler, no antialiasing).
    case nearest = 0
    /// Lanczos, a = 3.
    case lanczos = 1
    /// Triangle filter ("bilinear"), support 1.
    case bilinear = 2
    /// Keys cubic, a = −0.5, support 2.
    case bicubic = 3
    /// Box filter, support ½.
    case box = 4
    /// Hamming-windowed sinc, support 1.
    case hamming = 5

    /// The filter's radius at scale 1; when shrinking it is stretched by the scale factor
    /// (antialiasing), as Pillow's `ImagingResample` does.
    var support: Double {
        switch self {
        case .nearest, .box: return 0.5
        case .bilinear, .hamming: return 1
        case .bicubic: return 2
        case .lanczos: return 3
        }
    }

    /// The kernel, written exactly as Pillow's C code so the doubles round the same way.
    func weight(_ x: Double) -> Double {
        switch self {
        case .nearest, .box:
            return x > -0.5 && x <= 0.5 ? 1 : 0
        case .bilinear:
            let x = abs(x)
            return x < 1 ? 1 - x : 0
        case .hamming:
            let x = abs(x)
            if x == 0 { return 1 }
            if x >= 1 { return 0 }
            let px = x * Double.pi
            // Pillow writes 0.54f and 0.46f: float constants promoted to double.
            return sin(px) / px * (Double(Float(0.54)) + Double(Float(0.46)) * cos(px))
        case .bicubic:
            let a = -0.5
            let x = abs(x)
            if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
            if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
            return 0
        case .lanczos:
            guard -3 <= x && x < 3 else { return 0 }
            return Self.sinc(x) * Self.sinc(x / 3)
        }
    }

    private static func sinc(_ x: Double) -> Double {
        if x == 0 { return 1 }
        let px = x * Double.pi
        return sin(px) / px
    }
}

/// Per-output-pixel filter taps for one axis, in Pillow's 8-bit fixed point
/// (`precompute_coeffs` + `normalize_coeffs_8bpc`).
struct ResampleCoefficients {
    /// Fractional bits of the fixed-point weights: 32 − 8 (sample) − 2 (headroom).
    static let precisionBits = 22

    /// Maximum taps per output pixel; `weights` holds `outSize × tapStride` entries.
    let tapStride: Int
    /// First input index of each output pixel's taps.
    let first: [Int]
    /// Number of taps of each output pixel.
    let count: [Int]
    /// Fixed-point weights, zero past `count`.
    let weights: [Int32]

    init(inSize: Int, outSize: Int, filter: ResamplingFilter) {
        // Pillow passes the box as floats; (in1 − in0) is computed in float, then widened.
        let scale = Double(Float(inSize)) / Double(outSize)
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        let stride = Int(support.rounded(.up)) * 2 + 1
        let inverseScale = 1 / filterScale
        var first = [Int](repeating: 0, count: outSize)
        var count = [Int](repeating: 0, count: outSize)
        var weights = [Int32](repeating: 0, count: outSize * stride)
        var taps = [Double](repeating: 0, count: stride)
        for xx in 0..<outSize {
            let center = (Double(xx) + 0.5) * scale
            let xmin = max(Int(center - support + 0.5), 0)
            let xmax = min(Int(center + support + 0.5), inSize) - xmin
            var sum = 0.0
            for x in 0..<max(xmax, 0) {
                let w = filter.weight((Double(x + xmin) - center + 0.5) * inverseScale)
                taps[x] = w
                sum += w
            }
            for x in 0..<max(xmax, 0) {
                let w = sum != 0 ? taps[x] / sum : taps[x]
                let scaled = w * Double(1 << Self.precisionBits)
                weights[xx * stride + x] = Int32(w < 0 ? -0.5 + scaled : 0.5 + scaled)
            }
            first[xx] = xmin
            count[xx] = max(xmax, 0)
        }
        self.tapStride = stride
        self.first = first
        self.count = count
        self.weights = weights
    }
}
