import Foundation

extension Ops {
    /// Layer normalisation over the last dimension, in place:
    /// `x = (x − mean) / sqrt(var + eps) · gamma + beta`, with the biased variance as PyTorch.
    ///
    /// - Parameters:
    ///   - x: `[N, C]`
    ///   - gamma, beta: `[C]`
    public static func layerNorm(_ x: inout Tensor, gamma: Tensor, beta: Tensor, eps: Float) throws {
        try addLayerNorm(&x, residual: nil, gamma: gamma, beta: beta, eps: eps)
    }

    /// Residual add followed by layer normalisation, in place: `x = LayerNorm(x + residual)`.
    ///
    /// - Parameters:
    ///   - x: `[N, C]`
    ///   - residual: `[N, C]` or nil
    ///   - gamma, beta: `[C]`
    public static func addLayerNorm(_ x: inout Tensor, residual: Tensor?, gamma: Tensor, beta: Tensor,
                                    eps: Float) throws {
        let c = x.columns
        guard gamma.count == c, beta.count == c, residual.map({ $0.shape == x.shape }) ?? true else {
            throw NeuralError.shapeMismatch("layerNorm: \(x.shape) with gamma \(gamma.shape), beta \(beta.shape)")
        }
        let rows = x.rows
        let res = residual?.scalars ?? []
        x.scalars.withUnsafeMutableBufferPointer { xs in
            gamma.scalars.withUnsafeBufferPointer { g in
                beta.scalars.withUnsafeBufferPointer { b in
                    res.withUnsafeBufferPointer { r in
                        let xp = SendablePointer(base: xs.baseAddress!)
                        let rp = residual == nil ? nil : r.baseAddress.map { SendableConstPointer(base: $0) }
                        let gp = g.baseAddress!, bp = b.baseAddress!
                        Parallel.forEachChunk(count: rows, costPerItem: c * 4) { range in
                            for row in range {
                                let v = xp.base + row * c
                                if let rp {
                                    let rr = rp.base + row * c
                                    for i in 0..<c { v[i] += rr[i] }
                                }
                                let mean = laneSum(v, count: c) { $0 } / Float(c)
                                let variance = laneSum(v, count: c) { ($0 - mean) * ($0 - mean) } / Float(c)
                                let inv = 1 / (variance + eps).squareRoot()
                                for i in 0..<c { v[i] = (v[i] - mean) * inv * gp[i] + bp[i] }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `Σ f(v[i])` over eight independent lanes (a plain float sum does not vectorise, see
    /// `dotProduct`), the tail added last.
    @inline(__always)
    static func laneSum(_ v: UnsafePointer<Float>, count: Int, _ f: (SIMD8<Float>) -> SIMD8<Float>) -> Float {
        var lanes = SIMD8<Float>()
        var i = 0
        while i + 8 <= count {
            lanes += f(UnsafeRawPointer(v + i).loadUnaligned(as: SIMD8<Float>.self))
            i += 8
        }
        var sum = lanes.sum()
        while i < count {
            sum += f(SIMD8<Float>(repeating: v[i]))[0]
            i += 1
        }
        return sum
    }

    /// Scales every row of `[N, C]` to unit Euclidean length, in place. Rows of zeros stay zero
    /// (PyTorch's `F.normalize` divides by `max(‖x‖, 1e-12)`).
    public static func l2Normalize(_ x: inout Tensor) {
        let c = x.columns
        x.scalars.withUnsafeMutableBufferPointer { xs in
            for row in 0..<(c == 0 ? 0 : xs.count / c) {
                let v = xs.baseAddress! + row * c
                var sum: Float = 0
                for i in 0..<c { sum += v[i] * v[i] }
                let scale = 1 / max(sum.squareRoot(), 1e-12)
                for i in 0..<c { v[i] *= scale }
            }
        }
    }
}
