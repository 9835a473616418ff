/// Keeps the `capacity` best elements seen so far under a strict "better than" order, in a binary heap whose root
/// is the worst kept element: O(n log k) selection without sorting everything. Shared by the stores and the
/// search engine (package access; inlinable so each caller's comparison is specialised).
package struct TopK<Element> {
    package let capacity: Int
    @usableFromInline let isBetter: (Element, Element) -> Bool
    @usableFromInline var heap: [Element] = []

    @inlinable
    package init(capacity: Int, isBetter: @escaping (Element, Element) -> Bool) {
        self.capacity = max(capacity, 0)
        self.isBetter = isBetter
        heap.reserveCapacity(min(self.capacity, 4096))
    }

    /// Elements kept so far (at most `capacity`).
    @inlinable package var count: Int { heap.count }

    /// The worst kept element: once `capacity` are kept, the `capacity`-th best seen.
    @inlinable package var worst: Element? { heap.first }

    @inlinable
    package mutating func insert(_ element: Element) {
        guard capacity > 0 else { return }
        if heap.count < capacity {
            heap.append(element)
            siftUp(heap.count - 1)
        } else if isBetter(element, heap[0]) {
            heap[0] = element
            siftDown(0)
        }
    }

    /// The kept elements, best first.
    @inlinable package func sorted() -> [Element] { heap.sorted(by: isBetter) }

    // The heap is ordered so that the root is the worst: a parent is "worse or equal" than its children.
    @inlinable
    mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard isBetter(heap[parent], heap[child]) else { return }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    @inlinable
    mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var worst = parent
            if left < heap.count && isBetter(heap[worst], heap[left]) { worst = left }
            if right < heap.count && isBetter(heap[worst], heap[right]) { worst = right }
            if worst == parent { return }
            heap.swapAt(parent, worst)
            parent = worst
        }
    }
}
