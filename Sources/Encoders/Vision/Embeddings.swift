import Neural

/// Token plus position embeddings of packed sequences (position `t` of each sequence gets row
/// `t` of `positions`). `table`: `[V, C]`, `positions`: `[P, C]` → `[N, C]`
func embedTokens(_ ids: [[Int]], table: Tensor, positions: Tensor) throws -> Tensor {
    let c = table.columns
    let (v, p) = (table.rows, positions.rows)
    var x = Tensor(zeros: [ids.reduce(0) { $0 + $1.count }, c])
    var row = 0
    for tokens in ids {
        guard tokens.count <= p else { throw NeuralError.shapeMismatch("\(tokens.count) tokens for \(p) positions") }
        for (position, id) in tokens.enumerated() {
            guard (0..<v).contains(id) else { throw NeuralError.indexOutOfRange(index: id, count: v) }
            x.scalars.withUnsafeMutableBufferPointer { out in
                table.scalars.withUnsafeBufferPointer { t in
                    positions.scalars.withUnsafeBufferPointer { pos in
                        let o = out.baseAddress! + row * c
                        let (tr, pr) = (t.baseAddress! + id * c, pos.baseAddress! + position * c)
                        for i in 0..<c { o[i] = tr[i] + pr[i] }
                    }
                }
            }
            row += 1
        }
    }
    return x
}

/// Adds `block` `[P, C]` to every consecutive group of P rows of `x` `[B·P, C]`, in place.
func addRepeating(_ x: inout Tensor, _ block: Tensor) throws {
    guard x.columns == block.columns, block.count > 0, x.count % block.count == 0 else {
        throw NeuralError.shapeMismatch("cannot add \(block.shape) to every group of rows of \(x.shape)")
    }
    let size = block.count
    x.scalars.withUnsafeMutableBufferPointer { xs in
        block.scalars.withUnsafeBufferPointer { bs in
            for start in stride(from: 0, to: xs.count, by: size) {
                let o = xs.baseAddress! + start
                for i in 0..<size { o[i] += bs[i] }
            }
        }
    }
}

/// Each image's patch vectors preceded by the class embedding (CLIP's vision input).
/// `patches`: `[B·P, C]`, `classEmbedding`: `[C]` → `[B·(P+1), C]`
func prependingClassToken(_ patches: Tensor, classEmbedding: Tensor, batch: Int) throws -> Tensor {
    let c = patches.columns
    guard classEmbedding.count == c, batch > 0, patches.rows % batch == 0 else {
        throw NeuralError.shapeMismatch("class token \(classEmbedding.shape) for patches \(patches.shape)")
    }
    let p = patches.rows / batch
    var out = [Float]()
    out.reserveCapacity((patches.rows + batch) * c)
    for b in 0..<batch {
        out += classEmbedding.scalars
        out += patches.scalars[(b * p * c)..<((b + 1) * p * c)]
    }
    return try Tensor(shape: [batch * (p + 1), c], scalars: out)
}

/// Rows `indices` of `x` `[N, C]` → `[indices.count, C]`.
func gatherRows(_ x: Tensor, _ indices: [Int]) throws -> Tensor {
    let c = x.columns
    var out = [Float]()
    out.reserveCapacity(indices.count * c)
    for index in indices {
        guard (0..<x.rows).contains(index) else { throw NeuralError.indexOutOfRange(index: index, count: x.rows) }
        out += x.scalars[(index * c)..<((index + 1) * c)]
    }
    return try Tensor(shape: [indices.count, c], scalars: out)
}
