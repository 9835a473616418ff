import CVectorKernels

/// The 4-bit first tier of ``ExactSearch`` over one matrix: the inputs its parallel blocks share (read-only) and
/// the work of one block.
struct NibblePass {
    let query: Int8Quantizer.Query
    let queryCodes: UnsafePointer<Int8>
    let matrix: VectorMatrix
    let rowCodes: UnsafeBufferPointer<Int8Quantizer.RowCode>
    let owners: UnsafeBufferPointer<Int32>
    let assetCount: Int
    let mask: [Bool]?
    let k: Int

    /// Rows `start..<start + length`: each row's upper bound on its float32 score goes to `upper[row]`; returns
    /// the block's k best admitted assets by lower bound.
    ///
    /// The kernel's dot products become bounds in one loop the compiler vectorises, while they are in cache; then
    /// a second pass takes the maximum lower bound of each run of an asset's rows and offers it once, checking
    /// admission once per run.
    func block(start: Int, length: Int, upper: UnsafeMutablePointer<Float>) -> [BlockBest.Run] {
        var best = BlockBest(capacity: k)
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: length) { raw in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: length) { lower in
                let stride = matrix.nibbleStride
                a3d_nibble_dot_rows(matrix.nibbles + start * stride, length, stride, queryCodes, raw.baseAddress!)
                for index in 0..<length {
                    let dot = Int8Quantizer.nibbleDot(raw[index], query: query)
                    let (approximate, bound) = ExactSearch.estimate(rowCodes[start + index], dot: dot, query: query)
                    lower[index] = approximate - bound
                    upper[start + index] = approximate + bound
                }
                // A run's maximum is kept in locals and offered once, when the run ends.
                var (runOwner, admitted, runBest): (Int32, Bool, Float) = (-1, false, -.infinity)
                for index in 0..<length {
                    let owner = owners[start + index]
                    if owner != runOwner {
                        if admitted { best.offer(runBest, owner: runOwner) }
                        runOwner = owner
                        admitted = Int(owner) < assetCount && (mask?[Int(owner)] ?? true)
                        runBest = lower[index]
                    } else {
                        runBest = max(runBest, lower[index])
                    }
                }
                if admitted { best.offer(runBest, owner: runOwner) }
            }
        }
        return best.finish()
    }
}
