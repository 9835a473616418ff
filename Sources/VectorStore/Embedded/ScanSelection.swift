/// The `k` best values among distinct owners seen so far, each owner keeping its best value. A scan block keeps
/// one; merging the blocks' lists gives the exact k-th best over all owners (an owner missing from a block's list
/// had k other owners at least as good there), without a shared per-owner array the blocks would race on.
struct BestOwners {
    let capacity: Int
    private(set) var owners: [Int32] = []
    private(set) var values: [Float] = []
    /// The worst kept value once `capacity` owners are kept, else -∞.
    private(set) var floor: Float = -.infinity
    private var floorIndex = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 0)
        owners.reserveCapacity(self.capacity)
        values.reserveCapacity(self.capacity)
    }

    @inline(__always)
    mutating func offer(_ value: Float, owner: Int32) {
        guard capacity > 0, value > floor || owners.count < capacity else { return }
        if let index = owners.firstIndex(of: owner) {
            guard value > values[index] else { return }
            values[index] = value
            if owners.count == capacity && index == floorIndex { recomputeFloor() }
        } else if owners.count < capacity {
            owners.append(owner)
            values.append(value)
            if owners.count == capacity { recomputeFloor() }
        } else {
            owners[floorIndex] = owner
            values[floorIndex] = value
            recomputeFloor()
        }
    }

    private mutating func recomputeFloor() {
        floorIndex = values.indices.min { values[$0] < values[$1] } ?? 0
        floor = values[floorIndex]
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
