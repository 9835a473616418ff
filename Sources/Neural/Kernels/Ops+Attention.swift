import CBLAS
import CNeuralKernels
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
        // Short sequences: one work item per (sequence, head) on all cores, each by CNeuralKernels'
        // register-blocked kernel (four query rows at a time; no BLAS calls); cost grows with L².
        let items = layout.lengths.indices.filter { layout.lengths[$0] > 0 }.flatMap { b in (0..<heads).map { (b, $0) } }
        let work = layout.lengths.reduce(0) { $0 + $1 * $1 } * heads * d
        out.scalars.withUnsafeMutableBufferPointer { outBuffer in
            qkv.scalars.withUnsafeBufferPointer { inBuffer in
                let src = SendableConstPointer(base: inBuffer.baseAddress!)
                let dst = SendablePointer(base: outBuffer.baseAddress!)
                Parallel.forEachChunk(count: items.count, costPerItem: max(1, work / max(1, items.count))) { range in
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: nk_attention_scratch(longest, d))
                    defer { scratch.deallocate() }
                    for item in range {
                        let (b, h) = items[item]
                        let rows = src.base + layout.offsets[b] * 3 * c
                        nk_attend_head(rows + h * d, rows + c + h * d, rows + 2 * c + h * d, 3 * c,
                                       dst.base + layout.offsets[b] * c + h * d, c, layout.lengths[b],
                                       layout.lengths[b], d, scale, causal ? 1 : 0, scratch)
                    }
                }
            }
        }
        return out
    }

    /// The attention output of the rows `queryRows` only (all keys of their sequences still count):
    /// what a last layer needs when only some tokens are pooled (a class token, an end token).
    ///
    /// - Parameters:
    ///   - qkv: `[N, 3C]` as for `attention(qkv:layout:heads:causal:)`
    ///   - queryRows: rows of real tokens of `layout`
    /// - Returns: `[queryRows.count, C]`, row `i` the output of row `queryRows[i]`
    public static func attention(qkv: Tensor, layout: SequenceLayout, heads: Int, causal: Bool = false,
                                 queryRows: [Int]) throws -> Tensor {
        let c3 = qkv.columns
        guard heads > 0, c3 % (3 * heads) == 0, qkv.rows == layout.rowCount else {
            throw NeuralError.shapeMismatch("attention: qkv \(qkv.shape), \(heads) heads, \(layout.rowCount) rows")
        }
        let (c, d) = (c3 / 3, c3 / 3 / heads)
        // (sequence, position) of every query row.
        let places = try queryRows.map { row in
            guard let b = layout.lengths.indices.first(where: {
                (layout.offsets[$0]..<(layout.offsets[$0] + layout.lengths[$0])).contains(row)
            }) else { throw NeuralError.indexOutOfRange(index: row, count: layout.rowCount) }
            return (b, row - layout.offsets[b])
        }
        let scale = 1 / Float(d).squareRoot()
        let longest = layout.lengths.max() ?? 0
        var out = Tensor(zeros: [queryRows.count, c])  // [R, C]
        out.scalars.withUnsafeMutableBufferPointer { outBuffer in
            qkv.scalars.withUnsafeBufferPointer { inBuffer in
                let (src, dst) = (SendableConstPointer(base: inBuffer.baseAddress!), SendablePointer(base: outBuffer.baseAddress!))
                Parallel.forEachChunk(count: places.count * heads, costPerItem: longest * d * 2) { range in
                    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: nk_attention_scratch(longest, d))
                    defer { scratch.deallocate() }
                    for item in range {
                        let (i, h) = item.quotientAndRemainder(dividingBy: heads)
                        let (b, position) = places[i]
                        let rows = src.base + layout.offsets[b] * 3 * c
                        // One query over the keys it sees: all of its sequence, or up to itself when causal.
                        let keys = causal ? position + 1 : layout.lengths[b]
                        nk_attend_head(rows + position * 3 * c + h * d, rows + c + h * d, rows + 2 * c + h * d, 3 * c,
                                       dst.base + i * c + h * d, c, 1, keys, d, scale, 0, scratch)
                    }
                }
            }
        }
        return out
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
