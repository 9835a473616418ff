/// The best lower bounds of one scan block's assets: a run of consecutive rows with the same owner (an asset's
/// rows are stored together) offers its maximum once, and the `capacity` best runs are kept in a heap, so a block
/// costs O(rows + runs · log k) for any k.
///
/// Merging the blocks' lists (``AssetMaxima``) gives a threshold no higher than the exact k-th best asset maximum
/// — equal to it when every asset's rows in a block form one run — and a lower threshold only admits more rows to
/// the next tier: the answer stays exact either way.
struct BlockBest {
    /// One run's owner and its best value.
    struct Run {
        var owner: Int32
        var value: Float
    }

    private var kept: TopK<Run>
    private var current = Run(owner: -1, value: -.infinity)

    init(capacity: Int) {
        kept = TopK(capacity: capacity) { $0.value > $1.value }
    }

    /// Offers a row's value; rows of one owner must come one after another to count as one run.
    @inline(__always)
    mutating func offer(_ value: Float, owner: Int32) {
        if owner != current.owner {
            finishRun()
            current = Run(owner: owner, value: value)
        } else if value > current.value {
            current.value = value
        }
    }

    /// The kept runs, best first, once every row was offered.
    mutating func finish() -> [Run] {
        finishRun()
        current = Run(owner: -1, value: -.infinity)
        return kept.sorted()
    }

    private mutating func finishRun() {
        guard current.owner >= 0, current.value > -.infinity, kept.capacity > 0 else { return }
        if let worst = kept.worst, kept.count == kept.capacity, current.value <= worst.value { return }
        kept.insert(current)
    }
}

/// Each asset's best value offered so far, over a dense per-asset array, remembering which assets were touched so
/// the k-th best costs a pass over those only.
struct AssetMaxima {
    private var best: [Float]
    private var touched: [Int32] = []

    init(assetCount: Int) {
        best = [Float](repeating: -.infinity, count: assetCount)
    }

    @inline(__always)
    mutating func offer(_ value: Float, owner: Int) {
        let current = best[owner]
        if current == -.infinity { touched.append(Int32(owner)) }
        if value > current { best[owner] = value }
    }

    /// The k-th largest asset maximum, or -∞ when fewer than k assets have a finite one.
    func kthLargest(k: Int) -> Float {
        ExactSearch.kthLargest(touched.map { best[Int($0)] }, k: k)
    }
}
