import CNeuralKernels
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
            res.withUnsafeBufferPointer { r in
                let xp = SendablePointer(base: xs.baseAddress!)
                let rp = residual == nil ? nil : r.baseAddress.map { SendableConstPointer(base: $0) }
                normalizeRows(xp, residual: rp, into: xp, rows: rows, width: c, gamma: gamma, beta: beta, eps: eps)
            }
        }
    }

    /// `LayerNorm(x)` as a new tensor (`x` unchanged): one pass instead of a copy and a pass.
    public static func layerNormed(_ x: Tensor, gamma: Tensor, beta: Tensor, eps: Float) throws -> Tensor {
        let c = x.columns
        guard gamma.count == c, beta.count == c else {
            throw NeuralError.shapeMismatch("layerNorm: \(x.shape) with gamma \(gamma.shape), beta \(beta.shape)")
        }
        let rows = x.rows
        let scalars = [Float](unsafeUninitializedCapacity: x.count) { out, count in
            x.scalars.withUnsafeBufferPointer { xs in
                guard let source = xs.baseAddress, let target = out.baseAddress else { return }
                // The kernel writes `x` back only when it adds a residual, which it does not here.
                normalizeRows(SendablePointer(base: UnsafeMutablePointer(mutating: source)), residual: nil,
                              into: SendablePointer(base: target), rows: rows, width: c, gamma: gamma, beta: beta,
                              eps: eps)
            }
            count = x.count
        }
        return try Tensor(shape: x.shape, scalars: scalars)
    }

    /// Rows of `x` (plus `residual`, kept in `x`) normalised into `out`, split across the cores.
    private static func normalizeRows(_ x: SendablePointer<Float>, residual: SendableConstPointer<Float>?,
                                      into out: SendablePointer<Float>, rows: Int, width c: Int, gamma: Tensor,
                                      beta: Tensor, eps: Float) {
        gamma.scalars.withUnsafeBufferPointer { g in
            beta.scalars.withUnsafeBufferPointer { b in
                let (gp, bp) = (SendableConstPointer(base: g.baseAddress!), SendableConstPointer(base: b.baseAddress!))
                // Rows are cheap with AVX-512 (three passes over C values): up to 32,768 · 8 values (a
                // 64-token text's 49,152 included) stay on the calling thread instead of waking another.
                Parallel.forEachChunk(count: rows, costPerItem: max(1, c / 8)) { range in
                    let offset = range.lowerBound * c
                    nk_add_layer_norm(x.base + offset, residual.map { $0.base + offset }, out.base + offset,
                                      range.count, c, gp.base, bp.base, eps)
                }
            }
        }
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
