extension Ops {
    /// How token vectors become one sequence vector.
    public enum Pooling: String, Sendable, CaseIterable {
        /// Average of the real tokens (sentence-transformers' `pooling_mode_mean_tokens`).
        case mean
        /// The first token (`[CLS]`).
        case cls
        /// The last real token (decoder-style embedders).
        case lastToken
        /// Element-wise maximum over the real tokens.
        case max
    }

    /// Pools each sequence of `layout` into one vector.
    ///
    /// - Parameters:
    ///   - x: `[N, C]`
    /// - Returns: `[B, C]`
    public static func pool(_ x: Tensor, layout: SequenceLayout, mode: Pooling) throws -> Tensor {
        guard x.rows == layout.rowCount else {
            throw NeuralError.shapeMismatch("pool: \(x.shape) for \(layout.rowCount) rows")
        }
        let c = x.columns
        var out = Tensor(zeros: [layout.batchSize, c])  // [B, C]
        out.scalars.withUnsafeMutableBufferPointer { o in
            x.scalars.withUnsafeBufferPointer { xs in
                for b in 0..<layout.batchSize {
                    let length = layout.lengths[b]
                    guard length > 0 else { continue }
                    let first = xs.baseAddress! + layout.offsets[b] * c
                    let dst = o.baseAddress! + b * c
                    switch mode {
                    case .cls:
                        dst.update(from: first, count: c)
                    case .lastToken:
                        dst.update(from: first + (length - 1) * c, count: c)
                    case .mean:
                        for t in 0..<length {
                            let row = first + t * c
                            for i in 0..<c { dst[i] += row[i] }
                        }
                        let inv = 1 / Float(length)
                        for i in 0..<c { dst[i] *= inv }
                    case .max:
                        dst.update(from: first, count: c)
                        for t in 1..<length {
                            let row = first + t * c
                            for i in 0..<c { dst[i] = Swift.max(dst[i], row[i]) }
                        }
                    }
                }
            }
        }
        return out
    }

    /// Gathers rows of an embedding table.
    ///
    /// - Parameters:
    ///   - table: `[V, C]`
    ///   - ids: N indices into `0..<V`
    /// - Returns: `[N, C]`
    public static func embedding(_ table: Tensor, ids: [Int]) throws -> Tensor {
        guard table.shape.count == 2 else { throw NeuralError.shapeMismatch("embedding table \(table.shape)") }
        let (v, c) = (table.shape[0], table.shape[1])
        var out = Tensor(zeros: [ids.count, c])  // [N, C]
        for id in ids where id < 0 || id >= v { throw NeuralError.indexOutOfRange(index: id, count: v) }
        out.scalars.withUnsafeMutableBufferPointer { o in
            table.scalars.withUnsafeBufferPointer { t in
                for (row, id) in ids.enumerated() {
                    (o.baseAddress! + row * c).update(from: t.baseAddress! + id * c, count: c)
                }
            }
        }
        return out
    }
}
