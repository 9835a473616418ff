import AssetCatalog
import CBLAS
import CVectorKernels
import Dispatch

/// Exact k-NN with per-asset aggregation (an asset scores the best of its rows across the searched kinds; rows
/// are unit vectors, so cosine is a dot product), answered by a quantised scan that stays exact:
///
/// 1. Every row's approximate score x̂·q̂ from its 4-bit codes (an eighth of the float bytes; the scan is
///    memory-bound), with a rigorous bound on its distance from the float score (``Int8Quantizer``); the rows
///    that may still reach the top k (step 2's rule with the 4-bit bounds) are scored again from their int8
///    codes, with a bound sixteen times tighter. A selective filter goes straight to int8 on its admitted rows.
/// 2. T = the k-th best lower bound over assets. An asset whose rows' upper bounds are all below T cannot be in
///    the top k: k other assets score at least T.
/// 3. Rows whose upper bound reaches T are scored in float32; the k best assets among them are the answer,
///    identical to scoring every row in float32 (``reference``).
enum ExactSearch {
    /// Rows per kernel call; calls run in parallel.
    static let blockRows = 16_384
    /// A filter admitting fewer than 1/this of the assets is selective: its rows are listed and only they are read.
    static let selectiveFraction = 4

    /// Integer dot products of the `selected` rows of one matrix (in that order).
    struct RowDots {
        var selected: [Int32]
        var values: [Int32]
    }

    static func search(
        _ query: [Float], matrices: [(VectorKind, VectorMatrix)], directory: AssetDirectory, k: Int,
        filter: AssetFilter, excluding: Set<AssetID>
    ) -> [VectorHit] {
        scan(query, matrices: matrices, directory: directory, k: k, filter: filter, excluding: excluding).hits
    }

    /// ``search``, also returning how many rows pass 2 scored in float32 (tests and benchmarks check pruning).
    static func scan(
        _ query: [Float], matrices: [(VectorKind, VectorMatrix)], directory: AssetDirectory, k: Int,
        filter: AssetFilter, excluding: Set<AssetID>
    ) -> (hits: [VectorHit], floatRows: Int) {
        let mask = directory.admissionMask(filter: filter, excluding: excluding)
        let assetCount = directory.count
        guard k > 0, assetCount > 0 else { return ([], 0) }
        let coded = Int8Quantizer.encode(query: query)

        // Pass 1: integer dot products and each asset's best lower bound.
        let (dots, threshold) = integerPass(coded, matrices: matrices, assetCount: assetCount, k: k, mask: mask)

        // Pass 2: float32 scores of the rows that may belong to a top-k asset.
        var scoring = Aggregation(assetCount: assetCount)
        var floatRows = 0
        for ((kind, matrix), rowDots) in zip(matrices, dots) {
            query.withUnsafeBufferPointer { q in
                matrix.views.withUnsafeBufferPointer { views in
                    withEstimates(matrix, dots: rowDots, query: coded) {
                        row, owner, approximate, bound in
                        guard approximate + bound >= threshold else { return }
                        floatRows += 1
                        let score = cblas_sdot(blasint(matrix.dimension), matrix.row(row), 1, q.baseAddress, 1)
                        scoring.offer(score: score, owner: owner, kind: kind.storageCode, view: views[row])
                    }
                }
            }
        }
        return (scoring.top(k: k, directory: directory), floatRows)
    }

    /// Pass 1: the int8 dot products of the rows that may reach the top k, and the threshold T (the k-th best
    /// lower bound over assets).
    ///
    /// A selective filter lists its rows and scores only those, from their int8 codes. A full scan reads the 4-bit
    /// codes of every row first and the int8 codes only of rows whose 4-bit upper bound reaches that tier's
    /// threshold (the k-th best 4-bit lower bound); every step but the last few thousand rows runs in parallel.
    private static func integerPass(
        _ coded: Int8Quantizer.Query, matrices: [(VectorKind, VectorMatrix)], assetCount: Int, k: Int, mask: [Bool]?
    ) -> (dots: [RowDots], threshold: Float) {
        let selective = mask.map { mask in mask.lazy.filter { $0 }.count * selectiveFraction < mask.count } ?? false
        var lowerBest = AssetMaxima(assetCount: assetCount)
        let dots: [RowDots]
        if selective {
            dots = matrices.map { _, matrix in
                let selected = admittedRows(of: matrix, assetCount: assetCount, mask: mask)
                return RowDots(selected: selected, values: integerDots(coded, matrix: matrix, selected: selected))
            }
        } else {
            let sketches = matrices.map { _, matrix in
                nibbleBounds(coded, matrix: matrix, assetCount: assetCount, mask: mask, k: k)
            }
            for sketch in sketches {
                for runs in sketch.blockBests {
                    for run in runs { lowerBest.offer(run.value, owner: Int(run.owner)) }
                }
            }
            let sketchThreshold = lowerBest.kthLargest(k: k)
            dots = zip(matrices, sketches).map { entry, sketch in
                let candidates = rowsReaching(sketchThreshold, upper: sketch.upper, of: entry.1, assetCount: assetCount,
                                              mask: mask)
                return RowDots(selected: candidates, values: integerDots(coded, matrix: entry.1, selected: candidates))
            }
        }
        for ((_, matrix), rowDots) in zip(matrices, dots) {
            withEstimates(matrix, dots: rowDots, query: coded) {
                _, owner, approximate, bound in
                lowerBest.offer(approximate - bound, owner: owner)
            }
        }
        return (dots, lowerBest.kthLargest(k: k))
    }

    /// Scores every row in float32 (the same `sdot` per row), one by one: what ``search`` must equal exactly
    /// (tests compare the two).
    static func reference(
        _ query: [Float], matrices: [(VectorKind, VectorMatrix)], directory: AssetDirectory, k: Int,
        filter: AssetFilter, excluding: Set<AssetID>
    ) -> [VectorHit] {
        let mask = directory.admissionMask(filter: filter, excluding: excluding)
        var scoring = Aggregation(assetCount: directory.count)
        for (kind, matrix) in matrices {
            query.withUnsafeBufferPointer { q in
                forEachAdmittedRow(matrix, assetCount: directory.count, mask: mask) { row, owner in
                    let score = cblas_sdot(blasint(matrix.dimension), matrix.row(row), 1, q.baseAddress, 1)
                    scoring.offer(score: score, owner: owner, kind: kind.storageCode, view: matrix.views[row])
                }
            }
        }
        return scoring.top(k: k, directory: directory)
    }

    /// c_r · q̂ for every `selected` row, computed in parallel blocks.
    private static func integerDots(_ query: Int8Quantizer.Query, matrix: VectorMatrix, selected: [Int32]) -> [Int32] {
        let stride = matrix.codeStride
        let codes = matrix.codes
        return query.codes.withUnsafeBufferPointer { q in
            matrix.codeSums.withUnsafeBufferPointer { sums in
                selected.withUnsafeBufferPointer { rows in
                    inParallelBlocks(count: selected.count, of: Int32.self) { start, length, out in
                        a3d_int8_dot_selected_rows(codes, rows.baseAddress! + start, length, stride, q.baseAddress,
                                                   sums.baseAddress!, out)
                    }
                }
            }
        }
    }

    /// Every row's upper bound on its float32 score from its 4-bit codes, and each block's k best admitted assets
    /// by lower bound (``BlockBest``), computed in parallel blocks (kernel, then the block's bounds while its dot
    /// products are in cache).
    private static func nibbleBounds(
        _ query: Int8Quantizer.Query, matrix: VectorMatrix, assetCount: Int, mask: [Bool]?, k: Int
    ) -> (upper: [Float], blockBests: [[BlockBest.Run]]) {
        let count = matrix.rowCount
        var blockBests: [[BlockBest.Run]] = []
        let upper = [Float](unsafeUninitializedCapacity: count) { upper, initialized in
            query.codes.withUnsafeBufferPointer { q in
                matrix.nibbleCodes.withUnsafeBufferPointer { codes in
                    matrix.owners.withUnsafeBufferPointer { owners in
                        let pass = NibblePass(query: query, queryCodes: q.baseAddress!, matrix: matrix, rowCodes: codes,
                                              owners: owners, assetCount: assetCount, mask: mask, k: k)
                        blockBests = blockResults(count: count) { start, length in
                            pass.block(start: start, length: length, upper: upper.baseAddress!)
                        }
                    }
                }
            }
            initialized = count
        }
        return (upper, blockBests)
    }

    /// The admitted rows whose upper bound reaches `threshold`, in row order, found in parallel.
    private static func rowsReaching(_ threshold: Float, upper: [Float], of matrix: VectorMatrix, assetCount: Int,
                                     mask: [Bool]?) -> [Int32] {
        let perBlock = upper.withUnsafeBufferPointer { upper in
            matrix.owners.withUnsafeBufferPointer { owners in
                blockResults(count: upper.count) { start, length in
                    var rows: [Int32] = []
                    for row in start..<start + length where upper[row] >= threshold {
                        let owner = Int(owners[row])
                        guard owner < assetCount, mask?[owner] ?? true else { continue }
                        rows.append(Int32(row))
                    }
                    return rows
                }
            }
        }
        return Array(perBlock.joined())
    }

    /// `count` values, written by `fill(start, length, destination)` for blocks of ``blockRows`` in parallel.
    private static func inParallelBlocks<Value>(
        count: Int, of: Value.Type, _ fill: (Int, Int, UnsafeMutablePointer<Value>) -> Void
    ) -> [Value] {
        guard count > 0 else { return [] }
        return [Value](unsafeUninitializedCapacity: count) { output, initialized in
            let out = output.baseAddress!
            _ = blockResults(count: count) { start, length in fill(start, length, out + start) }
            initialized = count
        }
    }

    /// `body(start, length)` for blocks of ``blockRows`` rows in parallel; the blocks' results in block order.
    private static func blockResults<Result>(count: Int, _ body: (Int, Int) -> Result) -> [Result] {
        let blocks = (count + blockRows - 1) / blockRows
        guard blocks > 0 else { return [] }
        var results = [Result?](repeating: nil, count: blocks)
        results.withUnsafeMutableBufferPointer { slots in
            let slot = slots.baseAddress!
            withoutActuallyEscaping(body) { body in
                let worker = DisjointWork { block in
                    let start = block * blockRows
                    (slot + block).pointee = body(start, min(blockRows, count - start))
                }
                if blocks == 1 {
                    worker.run(0)
                } else {
                    DispatchQueue.concurrentPerform(iterations: blocks) { worker.run($0) }
                }
            }
        }
        return results.map { $0! }
    }

    /// The rows of `matrix` whose asset is known and admitted, in row order.
    private static func admittedRows(of matrix: VectorMatrix, assetCount: Int, mask: [Bool]?) -> [Int32] {
        var rows: [Int32] = []
        forEachAdmittedRow(matrix, assetCount: assetCount, mask: mask) { row, _ in rows.append(Int32(row)) }
        return rows
    }

    /// Calls `body(row, owner, approximate score, bound)` for each selected row (admitted by construction): the
    /// score from the integer dot product and the bound on its distance from the row's float32 score.
    @inline(__always)
    private static func withEstimates(
        _ matrix: VectorMatrix, dots: RowDots, query: Int8Quantizer.Query, _ body: (Int, Int, Float, Float) -> Void
    ) {
        matrix.rowCodes.withUnsafeBufferPointer { codes in
            dots.values.withUnsafeBufferPointer { values in
                matrix.owners.withUnsafeBufferPointer { owners in
                    for (index, row) in dots.selected.enumerated() {
                        let (approximate, bound) = estimate(codes[Int(row)], dot: values[index], query: query)
                        body(Int(row), Int(owners[Int(row)]), approximate, bound)
                    }
                }
            }
        }
    }

    /// A row's approximate score x̂·q̂ and the bound on its distance from the float32 score.
    @inline(__always)
    static func estimate(_ code: Int8Quantizer.RowCode, dot: Int32, query: Int8Quantizer.Query)
        -> (Float, Float)
    {
        (Float(dot) * code.step * query.step, code.errorTerm * query.norm + code.norm * query.error)
    }

    /// Calls `body(row, owner)` for each row whose asset is known and admitted by the filter.
    @inline(__always)
    private static func forEachAdmittedRow(_ matrix: VectorMatrix, assetCount: Int, mask: [Bool]?,
                                           _ body: (Int, Int) -> Void) {
        matrix.owners.withUnsafeBufferPointer { owners in
            for row in 0..<matrix.rowCount {
                let owner = Int(owners[row])
                guard owner < assetCount else { continue }
                if let mask, !mask[owner] { continue }
                body(row, owner)
            }
        }
    }

    /// The k-th largest finite value, or -∞ when fewer than k are finite.
    static func kthLargest(_ values: [Float], k: Int) -> Float {
        var kept = TopK<Float>(capacity: k, isBetter: >)
        for value in values where value > -.infinity { kept.insert(value) }
        guard kept.count == k, let kth = kept.worst else { return -.infinity }
        return kth
    }
}

/// A block scan that may run on `concurrentPerform` workers: blocks write disjoint ranges of a buffer that
/// outlives the call.
private struct DisjointWork: @unchecked Sendable {
    let run: (Int) -> Void
}

/// Best float32 score per asset and the kind/view that produced it.
private struct Aggregation {
    var best: [Float]
    var bestKind: [Int16]
    var bestView: [Int16]
    var touched: [Int32] = []

    init(assetCount: Int) {
        best = [Float](repeating: -.infinity, count: assetCount)
        bestKind = [Int16](repeating: 0, count: assetCount)
        bestView = [Int16](repeating: 0, count: assetCount)
    }

    @inline(__always)
    mutating func offer(score: Float, owner: Int, kind: Int16, view: Int16) {
        let current = best[owner]
        if current == -.infinity { touched.append(Int32(owner)) }
        // Equal scores within one asset: the lower kind, then the lower view wins (as in SQL).
        if score > current || (score == current && (kind, view) < (bestKind[owner], bestView[owner])) {
            best[owner] = score
            bestKind[owner] = kind
            bestView[owner] = view
        }
    }

    func top(k: Int, directory: AssetDirectory) -> [VectorHit] {
        // Better: a higher score, then the smaller asset id (bytewise), matching `ORDER BY score DESC, id`.
        let (best, ids) = (self.best, directory.ids)
        var top = TopK<Int32>(capacity: k) { a, b in
            let (scoreA, scoreB) = (best[Int(a)], best[Int(b)])
            if scoreA != scoreB { return scoreA > scoreB }
            return ids[Int(a)].rawValue.utf8.lexicographicallyPrecedes(ids[Int(b)].rawValue.utf8)
        }
        for owner in touched { top.insert(owner) }
        return top.sorted().map { ordinal in
            let owner = Int(ordinal)
            return VectorHit(
                assetID: ids[owner], kind: VectorKind(storageCode: bestKind[owner]) ?? .textEN,
                viewIndex: Int(bestView[owner]), score: min(1, max(-1, best[owner])))
        }
    }
}
