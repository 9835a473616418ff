import Foundation

/// Naive kernels, written for clarity and computed in Float64: the yardstick for `Ops` in tests.
/// Never used on a hot path.
public enum Reference {
    /// `[N, in] · [out, in]ᵀ + [out] → [N, out]`, three plain loops.
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
        let (n, k, m) = (x.rows, x.columns, weight.shape[0])
        var y = Tensor(zeros: Array(x.shape.dropLast()) + [m])
        for i in 0..<n {
            for o in 0..<m {
                var sum = Double(bias?.scalars[o] ?? 0)
                for e in 0..<k { sum += Double(x.scalars[i * k + e]) * Double(weight.scalars[o * k + e]) }
                y.scalars[i * m + o] = Float(sum)
            }
        }
        return y
    }

    /// Layer normalisation of each row of `[N, C]` (biased variance).
    public static func layerNorm(_ x: Tensor, gamma: Tensor, beta: Tensor, eps: Float) -> Tensor {
        var y = x
        let c = x.columns
        for row in 0..<x.rows {
            let values = (0..<c).map { Double(x.scalars[row * c + $0]) }
            let mean = values.reduce(0, +) / Double(c)
            let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(c)
            for i in 0..<c {
                let normed = (values[i] - mean) / (variance + Double(eps)).squareRoot()
                y.scalars[row * c + i] = Float(normed * Double(gamma.scalars[i]) + Double(beta.scalars[i]))
            }
        }
        return y
    }

    /// The activation's textbook formula, element by element.
    public static func activate(_ x: Tensor, _ activation: Activation) -> Tensor {
        var y = x
        for i in 0..<x.count {
            let v = Double(x.scalars[i])
            let r: Double
            switch activation {
            case .gelu: r = 0.5 * v * (1 + erf(v / 2.0.squareRoot()))
            case .geluPytorchTanh, .geluNew: r = 0.5 * v * (1 + tanh((2 / Double.pi).squareRoot() * (v + 0.044715 * v * v * v)))
            case .quickGelu: r = v / (1 + exp(-1.702 * v))
            case .relu: r = max(0, v)
            }
            y.scalars[i] = Float(r)
        }
        return y
    }

    /// Softmax of each row of `[R, C]`.
    public static func softmaxRows(_ x: Tensor) -> Tensor {
        var y = x
        let c = x.columns
        for row in 0..<x.rows {
            let values = (0..<c).map { Double(x.scalars[row * c + $0]) }
            let peak = values.max() ?? 0
            let exps = values.map { exp($0 - peak) }
            let sum = exps.reduce(0, +)
            for i in 0..<c { y.scalars[row * c + i] = Float(exps[i] / sum) }
        }
        return y
    }

    /// Hugging Face-style attention on a padded batch: separate Q, K, V of shape `[B, T, C]`, an
    /// attention mask `[B, T]` (1 = token, 0 = padding) turned into an additive bias of the most
    /// negative Float (also for keys after the query when `causal`), softmax over keys. Returns `[B, T, C]`; padding query rows are set to zero
    /// (their values are meaningless and never pooled).
    public static func attention(q: Tensor, k: Tensor, v: Tensor, mask: [[Int]], heads: Int, causal: Bool = false) -> Tensor {
        let (b, t, c) = (q.shape[0], q.shape[1], q.shape[2])
        let d = c / heads
        var out = Tensor(zeros: [b, t, c])
        for batch in 0..<b {
            for h in 0..<heads {
                for i in 0..<t where mask[batch][i] != 0 {
                    var scores = [Double](repeating: 0, count: t)
                    for j in 0..<t {
                        var dot = 0.0
                        for e in 0..<d {
                            dot += Double(q.scalars[(batch * t + i) * c + h * d + e])
                                * Double(k.scalars[(batch * t + j) * c + h * d + e])
                        }
                        let visible = mask[batch][j] != 0 && (!causal || j <= i)
                        let bias = visible ? 0 : -Double(Float.greatestFiniteMagnitude)
                        scores[j] = dot / Double(d).squareRoot() + bias
                    }
                    let peak = scores.max() ?? 0
                    let exps = scores.map { exp($0 - peak) }
                    let sum = exps.reduce(0, +)
                    for e in 0..<d {
                        var acc = 0.0
                        for j in 0..<t { acc += exps[j] / sum * Double(v.scalars[(batch * t + j) * c + h * d + e]) }
                        out.scalars[(batch * t + i) * c + h * d + e] = Float(acc)
                    }
                }
            }
        }
        return out
    }

    /// Masked mean over the time axis: `[B, T, C]`, mask `[B, T]` → `[B, C]`, as
    /// sentence-transformers' mean pooling (sum of real tokens / their count).
    public static func meanPool(_ x: Tensor, mask: [[Int]]) -> Tensor {
        let (b, t, c) = (x.shape[0], x.shape[1], x.shape[2])
        var out = Tensor(zeros: [b, c])
        for batch in 0..<b {
            let count = Double(max(1, mask[batch].reduce(0, +)))
            for i in 0..<c {
                var sum = 0.0
                for j in 0..<t where mask[batch][j] != 0 { sum += Double(x.scalars[(batch * t + j) * c + i]) }
                out.scalars[batch * c + i] = Float(sum / count)
            }
        }
        return out
    }

    /// Each row divided by its Euclidean length.
    public static func l2Normalize(_ x: Tensor) -> Tensor {
        var y = x
        let c = x.columns
        for row in 0..<x.rows {
            let norm = (0..<c).map { Double(x.scalars[row * c + $0]) }.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for i in 0..<c { y.scalars[row * c + i] = Float(Double(x.scalars[row * c + i]) / max(norm, 1e-12)) }
        }
        return y
    }
}
