import CNeuralKernels
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

    /// CNeuralKernels' code for it (`enum nk_activation`).
    var kernelCode: Int32 {
        switch self {
        case .gelu: Int32(nk_gelu.rawValue)
        case .geluPytorchTanh, .geluNew: Int32(nk_gelu_tanh.rawValue)
        case .quickGelu: Int32(nk_quick_gelu.rawValue)
        case .relu: Int32(nk_relu.rawValue)
        }
    }
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

    /// `activation` over `count` values at `v`, in place (CNeuralKernels: AVX-512 where available).
    @inline(__always)
    static func activate(_ v: UnsafeMutablePointer<Float>, count: Int, _ activation: Activation) {
        nk_activate(v, count, activation.kernelCode)
    }

    /// e^x as every kernel computes it: x = n·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor series to
    /// r⁷, 2ⁿ assembled in the exponent bits (n rounded with the 1.5·2²³ trick, so the loops over it
    /// vectorise). Relative error below 2e-7; 0 below −87, +∞ above 88. (CNeuralKernels' scalar form.)
    static func expApproximation(_ value: Float) -> Float { nk_exp_approximation(value) }

    /// erf as every kernel computes it: `x · P(x²) / Q(x²)` on [−4, 4], ±1 beyond 3.9 (coefficients
    /// fitted for this project; absolute error below 4e-7 against libm). GELU over a `[N, 1536]`
    /// activation was a third of BERT's time with libm's `erff`, which does not vectorise.
    static func erfApproximation(_ value: Float) -> Float { nk_erf_approximation(value) }

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

    /// Softmax of `count` values at `v`, in place, the maximum subtracted first.
    @inline(__always)
    static func softmaxInPlace(_ v: UnsafeMutablePointer<Float>, count: Int) {
        nk_softmax(v, count)
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
