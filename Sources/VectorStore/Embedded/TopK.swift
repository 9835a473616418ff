import AssetCatalog

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
