import Foundation

/// The activation functions found in `config.json` files (`hidden_act`).
public enum Activation: String, Sendable, Codable, CaseIterable {
    /// `0.5·x·(1 + erf(x/√2))` — BERT's "gelu".
    case gelu
    /// The tanh approximation, `gelu_pytorch_tanh` in SigLIP's configs.
    case geluPytorchTanh = "gelu_pytorch_tanh"
    /// Older name of the tanh approximation.
    case geluNew = "gelu_new"
    /// `x·σ(1.702·x)` — OpenAI CLIP's "quick_gelu".
    case quickGelu = "quick_gelu"
    /// `max(0, x)`.
    case relu
}

extension Ops {
    /// Applies `activation` element-wise, in place. `x`: any shape.
    public static func activate(_ x: inout Tensor, _ activation: Activation) {
        let count = x.count
        x.scalars.withUnsafeMutableBufferPointer { xs in
            let p = SendablePointer(base: xs.baseAddress!)
            Parallel.forEachChunk(count: count, costPerItem: 24) { range in
                activate(p.base + range.lowerBound, count: range.count, activation)
            }
        }
    }

    /// `activation` over `count` values at `v`, in place.
    @inline(__always)
    static func activate(_ v: UnsafeMutablePointer<Float>, count: Int, _ activation: Activation) {
        switch activation {
        case .gelu:
            for i in 0..<count { v[i] = geluErf(v[i]) }
        case .geluPytorchTanh, .geluNew:
            for i in 0..<count { v[i] = geluTanh(v[i]) }
        case .quickGelu:
            for i in 0..<count { v[i] = v[i] / (1 + expApproximation(-1.702 * v[i])) }
        case .relu:
            for i in 0..<count { v[i] = max(0, v[i]) }
        }
    }

    @inline(__always)
    static func geluErf(_ x: Float) -> Float {
        0.5 * x * (1 + erfApproximation(x * 0.707_106_781_186_547_5))
    }

    /// erf as a rational function: `x · P(x²) / Q(x²)` on [−4, 4] (erf is ±1 in Float32 beyond).
    /// The coefficients were fitted for this project (weighted least squares towards minimax);
    /// absolute error below 4e-7 (against libm's erf rounded to Float32), and unlike libm's `erff` the loop vectorises — GELU over a
    /// `[N, 1536]` activation was a third of BERT's time with `erff`.
    @inline(__always)
    static func erfApproximation(_ value: Float) -> Float {
        let x = min(4, max(-4, value))
        let t = x * x
        var p: Float = -1.366_747_313_470e-08
        p = p * t + 4.780_679_179_619e-06
        p = p * t + 3.826_971_853_936e-04
        p = p * t + 3.839_528_780_206e-03
        p = p * t + 5.433_266_168_440e-02
        p = p * t + 1.847_099_580_884e-01
        p = p * t + 1.128_379_182_092e+00
        var q: Float = 6.401_059_863_748e-05
        q = q * t + 1.309_585_717_237e-03
        q = q * t + 1.545_353_121_865e-02
        q = q * t + 1.138_262_507_995e-01
        q = q * t + 4.970_284_836_846e-01
        q = q * t + 1
        // Beyond 3.9, erf rounds to ±1 in Float32; return that exactly.
        return abs(value) > 3.9 ? (value > 0 ? 1 : -1) : x * p / q
    }

    @inline(__always)
    static func geluTanh(_ x: Float) -> Float {
        // 0.5·x·(1 + tanh(u)) = x·σ(2u) = x / (1 + e^(−2u))
        let u = 0.797_884_560_802_865_4 * (x + 0.044_715 * x * x * x)
        return x / (1 + expApproximation(-2 * u))
    }

    /// e^x without a libm call, so loops over it vectorise: x = n·ln2 + r with |r| ≤ ln2/2, e^r by
    /// its Taylor series to r⁷ (truncation below 1e-8), 2ⁿ assembled in the exponent bits.
    /// Relative error below 2e-7; 0 below −87 (where Float32 would go subnormal), +∞ above 88 (a
    /// little early: Float32 overflows at 88.72; callers only need the limits).
    ///
    /// n is rounded by adding and subtracting 1.5·2²³ (the sum's last mantissa bit is worth 1, so
    /// the addition rounds to the nearest integer, ties to even — exactly `rounded(.toNearestOrEven)`,
    /// which compiles to a `rintf` call on baseline x86-64 and kept every loop over exp scalar).
    /// The sum's bit pattern is then `0x4B40_0000 + n`, which gives 2ⁿ with integer operations only.
    @inline(__always)
    static func expApproximation(_ value: Float) -> Float {
        let x = min(88, max(-87, value))
        let shifted = x * 1.442_695_040_888_963_4 + 12_582_912
        let n = shifted - 12_582_912
        // ln 2 in two parts, so r = x − n·ln2 keeps its low bits.
        let r = (x - n * 0.693_145_751_953_125) - n * 1.428_606_765_330_187e-06
        var p: Float = 1.0 / 5040
        p = p * r + 1.0 / 720
        p = p * r + 1.0 / 120
        p = p * r + 1.0 / 24
        p = p * r + 1.0 / 6
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let scale = Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
        let result = p * scale
        return value < -87 ? 0 : (value > 88 ? .infinity : result)
    }

    /// Softmax over the last dimension, in place, with the row maximum subtracted first.
    /// `x`: `[R, C]`.
    public static func softmaxRows(_ x: inout Tensor) {
        let c = x.columns
        let rows = x.rows
        x.scalars.withUnsafeMutableBufferPointer { xs in
            let p = SendablePointer(base: xs.baseAddress!)
            Parallel.forEachChunk(count: rows, costPerItem: c * 8) { range in
                for row in range { softmaxInPlace(p.base + row * c, count: c) }
            }
        }
    }

    @inline(__always)
    static func softmaxInPlace(_ v: UnsafeMutablePointer<Float>, count: Int) {
        guard count > 0 else { return }
        // Maximum and sum over SIMD lanes, exps in a loop of their own: a loop that also carries
        // a float sum does not vectorise, and kept every exp scalar (8 % of a SigLIP run).
        var lanes = SIMD8<Float>(repeating: v[0])
        var i = 0
        while i + 8 <= count {
            lanes = pointwiseMax(lanes, UnsafeRawPointer(v + i).loadUnaligned(as: SIMD8<Float>.self))
            i += 8
        }
        var peak = lanes.max()
        while i < count {
            peak = max(peak, v[i])
            i += 1
        }
        for j in 0..<count { v[j] = expApproximation(v[j] - peak) }
        let inv = 1 / laneSum(v, count: count) { $0 }
        for j in 0..<count { v[j] *= inv }
    }

    /// Element-wise `x += y`, in place. Both tensors have the same shape.
    public static func add(_ x: inout Tensor, _ y: Tensor) throws {
        guard x.shape == y.shape else { throw NeuralError.shapeMismatch("add: \(x.shape) + \(y.shape)") }
        x.scalars.withUnsafeMutableBufferPointer { xs in
            y.scalars.withUnsafeBufferPointer { ys in
                for i in 0..<xs.count { xs[i] += ys[i] }
            }
        }
    }
}
