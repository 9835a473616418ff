import CBLAS
import Foundation

extension Ops {
    /// Multi-head scaled dot-product self-attention, bidirectional, each sequence attending only to
    /// its own real tokens (the padding mask of `layout`).
    ///
    /// Reads queries, keys and values straight out of the fused projection (no reshapes, no copies):
    /// head `h` of token `t` is columns `h·D ..< (h+1)·D` of the Q, K or V block of row `t`.
    ///
    /// - Parameters:
    ///   - qkv: `[N, 3C]`, columns `[Q | K | V]`, C = heads · D
    ///   - layout: where each sequence's rows are
    ///   - heads: H
    ///   - causal: each token attends only to itself and earlier tokens (CLIP's text tower)
    /// - Returns: `[N, C]`, heads concatenated as `[H, D]` per row; padding rows are zero.
    public static func attention(qkv: Tensor, layout: SequenceLayout, heads: Int, causal: Bool = false) throws -> Tensor {
        BLASRuntime.configure()
        let c3 = qkv.columns
        guard heads > 0, c3 % (3 * heads) == 0, qkv.rows == layout.rowCount else {
            throw NeuralError.shapeMismatch("attention: qkv \(qkv.shape), \(heads) heads, \(layout.rowCount) rows")
        }
        let c = c3 / 3
        let d = c / heads
        let scale = 1 / Float(d).squareRoot()
        var out = Tensor(zeros: [layout.rowCount, c])  // [N, C]
        let longest = layout.lengths.max() ?? 0
        guard longest > 0 else { return out }
        // Long sequences: two sgemms per head straight on the strided Q, K, V blocks.
        if longest >= Self.gemmAttentionLength {
            attendWithGEMM(qkv: qkv, out: &out, layout: layout, heads: heads, headDim: d, scale: scale, causal: causal)
            return out
        }
        // Short sequences: one work item per (sequence, head) on all cores; cost grows with L².
        let items = layout.lengths.indices.flatMap { b in (0..<heads).map { (b, $0) } }
        let work = layout.lengths.reduce(0) { $0 + $1 * $1 } * heads * d
        out.scalars.withUnsafeMutableBufferPointer { outBuffer in
            qkv.scalars.withUnsafeBufferPointer { inBuffer in
                let src = SendableConstPointer(base: inBuffer.baseAddress!)
                let dst = SendablePointer(base: outBuffer.baseAddress!)
                Parallel.forEachChunk(count: items.count, costPerItem: max(1, work / max(1, items.count))) { range in
                    var scores = [Float](repeating: 0, count: longest)
                    scores.withUnsafeMutableBufferPointer { s in
                        for item in range {
                            let (b, h) = items[item]
                            attendOneHead(src: src.base, dst: dst.base, offset: layout.offsets[b],
                                          length: layout.lengths[b], head: h, headDim: d, channels: c,
                                          scale: scale, causal: causal, scores: s.baseAddress!)
                        }
                    }
                }
            }
        }
        return out
    }

    /// One head of one sequence: for every query row, scores against all keys, softmax, weighted
    /// sum of values. `scores` has room for `length` values.
    @inline(__always)
    static func attendOneHead(src: UnsafePointer<Float>, dst: UnsafeMutablePointer<Float>, offset: Int,
                              length: Int, head: Int, headDim d: Int, channels c: Int, scale: Float,
                              causal: Bool, scores: UnsafeMutablePointer<Float>) {
        let stride = 3 * c
        let qBase = src + offset * stride + head * d           // Q[t, h, :]
        let kBase = src + offset * stride + c + head * d       // K[t, h, :]
        let vBase = src + offset * stride + 2 * c + head * d   // V[t, h, :]
        for i in 0..<length {
            let q = qBase + i * stride
            let keys = causal ? i + 1 : length  // masked keys get probability 0: leave them out
            for j in 0..<keys {
                scores[j] = dotProduct(q, kBase + j * stride, count: d) * scale
            }
            softmaxInPlace(scores, count: keys)
            let o = dst + (offset + i) * c + head * d
            for e in 0..<d { o[e] = 0 }
            for j in 0..<keys {
                let v = vBase + j * stride
                let p = scores[j]
                for e in 0..<d { o[e] += p * v[e] }
            }
        }
    }

    /// `Σ a[e]·b[e]` over eight independent lanes, then the lanes summed. A plain `dot += a[e]·b[e]`
    /// loop cannot be vectorised (reordering a float sum changes it), so it ran one add per four
    /// cycles — attention over 14 tokens took a sixth as long as all of MiniLM's projections.
    @inline(__always)
    static func dotProduct(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var lanes = SIMD8<Float>()
        var e = 0
        while e + 8 <= count {
            let x = UnsafeRawPointer(a + e).loadUnaligned(as: SIMD8<Float>.self)
            let y = UnsafeRawPointer(b + e).loadUnaligned(as: SIMD8<Float>.self)
            lanes += x * y
            e += 8
        }
        var sum = lanes.sum()
        while e < count {
            sum += a[e] * b[e]
            e += 1
        }
        return sum
    }

    /// From this sequence length on, attention runs on sgemm (where OpenBLAS's blocking pays off).
    static let gemmAttentionLength = 64

    /// Per sequence and head: `S = Q·Kᵀ·scale` `[L, L]`, softmax of every row, `O = S·V` `[L, D]`,
    /// reading Q, K, V with a row stride of 3C and writing O with a row stride of C.
    private static func attendWithGEMM(qkv: Tensor, out: inout Tensor, layout: SequenceLayout, heads: Int,
                                       headDim d: Int, scale: Float, causal: Bool) {
        let c = d * heads
        let longest = layout.lengths.max() ?? 0
        // One work item per (sequence, head), spread over the cores; each has its own score matrix.
        let items = layout.lengths.indices.filter { layout.lengths[$0] > 0 }.flatMap { b in (0..<heads).map { (b, $0) } }
        qkv.scalars.withUnsafeBufferPointer { src in
            out.scalars.withUnsafeMutableBufferPointer { dst in
                let (sp, dp) = (SendableConstPointer(base: src.baseAddress!), SendablePointer(base: dst.baseAddress!))
                Parallel.forEachChunk(count: items.count, costPerItem: 1 << 20) { range in
                    var scores = [Float](repeating: 0, count: longest * longest)
                    scores.withUnsafeMutableBufferPointer { s in
                        for item in range {
                            let (b, h) = items[item]
                            let length = layout.lengths[b]
                            let rows = sp.base + layout.offsets[b] * 3 * c
                            let q = rows + h * d, k = rows + c + h * d, v = rows + 2 * c + h * d
                            // [L, D] · [L, D]ᵀ → [L, L]
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasInt(length), blasInt(length),
                                        blasInt(d), scale, q, blasInt(3 * c), k, blasInt(3 * c), 0, s.baseAddress,
                                        blasInt(length))
                            for row in 0..<length {
                                let scoreRow = s.baseAddress! + row * length
                                let keys = causal ? row + 1 : length
                                softmaxInPlace(scoreRow, count: keys)
                                for j in keys..<length { scoreRow[j] = 0 }
                            }
                            // [L, L] · [L, D] → [L, D] into the head's columns of the output rows
                            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasInt(length), blasInt(d),
                                        blasInt(length), 1, s.baseAddress, blasInt(length), v, blasInt(3 * c), 0,
                                        dp.base + layout.offsets[b] * c + h * d, blasInt(c))
                        }
                    }
                }
            }
        }
    }
}
