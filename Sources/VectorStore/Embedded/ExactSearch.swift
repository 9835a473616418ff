import AssetCatalog
import CBLAS

/// Exact k-NN with per-asset aggregation: every row's cosine with BLAS (rows are unit vectors, so cosine is a
/// dot product), the best row per asset across the searched kinds, then the k best assets.
enum ExactSearch {
    /// Rows scored per `sgemv` call: the scores of one block stay in L2 while they are aggregated.
    static let blockRows = 16_384

    static func search(
        _ query: [Float], matrices: [(VectorKind, VectorMatrix)], directory: AssetDirectory, k: Int,
        filter: AssetFilter, excluding: Set<AssetID>
    ) -> [VectorHit] {
        let mask = directory.admissionMask(filter: filter, excluding: excluding)
        let assetCount = directory.count
        // Per asset ordinal: best score so far, and which kind/view produced it.
        var best = [Float](repeating: -.infinity, count: assetCount)
        var bestKind = [Int16](repeating: 0, count: assetCount)
        var bestView = [Int16](repeating: 0, count: assetCount)
        var scores = [Float](repeating: 0, count: blockRows)  // [blockRows]

        for (kind, matrix) in matrices {
            let dimension = matrix.dimension
            let kindCode = kind.storageCode
            var start = 0
            while start < matrix.rowCount {
                let rows = min(blockRows, matrix.rowCount - start)
                // scores[0..<rows] = M[start..<start+rows, :] · q      M: [rows, dimension], q: [dimension]
                query.withUnsafeBufferPointer { q in
                    scores.withUnsafeMutableBufferPointer { out in
                        cblas_sgemv(
                            CblasRowMajor, CblasNoTrans, blasint(rows), blasint(dimension), 1, matrix.row(start),
                            blasint(dimension), q.baseAddress, 1, 0, out.baseAddress, 1)
                    }
                }
                matrix.owners.withUnsafeBufferPointer { owners in
                    matrix.views.withUnsafeBufferPointer { views in
                        for offset in 0..<rows {
                            let row = start + offset
                            let owner = Int(owners[row])
                            guard owner < assetCount else { continue }
                            if let mask, !mask[owner] { continue }
                            let score = scores[offset]
                            let current = best[owner]
                            // Equal scores within one asset: the lower kind, then the lower view wins (as in SQL).
                            if score > current
                                || (score == current
                                    && (kindCode, views[row]) < (bestKind[owner], bestView[owner]))
                            {
                                best[owner] = score
                                bestKind[owner] = kindCode
                                bestView[owner] = views[row]
                            }
                        }
                    }
                }
                start += rows
            }
        }

        var top = TopK(k: k, ids: directory.ids)
        for owner in 0..<assetCount where best[owner] > -.infinity {
            top.offer(score: best[owner], ordinal: Int32(owner))
        }
        return top.sorted().map { entry in
            let owner = Int(entry.ordinal)
            return VectorHit(
                assetID: directory.ids[owner], kind: VectorKind(storageCode: bestKind[owner]) ?? .textEN,
                viewIndex: Int(bestView[owner]), score: min(1, max(-1, entry.score)))
        }
    }
}

/// The k best (score, asset) pairs seen, as a binary min-heap whose root is the worst kept entry.
/// Better means a higher score, then the smaller asset id (bytewise), matching `ORDER BY score DESC, id`.
struct TopK {
    struct Entry {
        var score: Float
        var ordinal: Int32
    }

    let k: Int
    let ids: [AssetID]
    private var heap: [Entry] = []

    init(k: Int, ids: [AssetID]) {
        self.k = k
        self.ids = ids
        heap.reserveCapacity(k)
    }

    /// True when `a` ranks below `b`.
    func worse(_ a: Entry, _ b: Entry) -> Bool {
        if a.score != b.score { return a.score < b.score }
        return ids[Int(b.ordinal)].rawValue.utf8.lexicographicallyPrecedes(ids[Int(a.ordinal)].rawValue.utf8)
    }

    mutating func offer(score: Float, ordinal: Int32) {
        let entry = Entry(score: score, ordinal: ordinal)
        if heap.count < k {
            heap.append(entry)
            siftUp(heap.count - 1)
        } else if let root = heap.first, worse(root, entry) {
            heap[0] = entry
            siftDown(0)
        }
    }

    /// Kept entries, best first.
    func sorted() -> [Entry] {
        heap.sorted { worse($1, $0) }
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard worse(heap[child], heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var worst = parent
            if left < heap.count && worse(heap[left], heap[worst]) { worst = left }
            if right < heap.count && worse(heap[right], heap[worst]) { worst = right }
            guard worst != parent else { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
}
