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
                let v = p.base
                switch activation {
                case .gelu:
                    for i in range { v[i] = geluErf(v[i]) }
                case .geluPytorchTanh, .geluNew:
                    for i in range { v[i] = geluTanh(v[i]) }
                case .quickGelu:
                    for i in range { v[i] = v[i] / (1 + expf(-1.702 * v[i])) }
                case .relu:
                    for i in range { v[i] = max(0, v[i]) }
                }
            }
        }
    }

    @inline(__always)
    static func geluErf(_ x: Float) -> Float {
        0.5 * x * (1 + erff(x * 0.707_106_781_186_547_5))
    }

    @inline(__always)
    static func geluTanh(_ x: Float) -> Float {
        0.5 * x * (1 + tanhf(0.797_884_560_802_865_4 * (x + 0.044_715 * x * x * x)))
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
        var peak = v[0]
        for i in 1..<max(1, count) where v[i] > peak { peak = v[i] }
        var sum: Float = 0
        for i in 0..<count {
            let e = expf(v[i] - peak)
            v[i] = e
            sum += e
        }
        let inv = 1 / sum
        for i in 0..<count { v[i] *= inv }
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
