import Synchronization

/// A small thread-safe least-recently-used cache (query embeddings: the same query text is typed again
/// and again, and embedding it costs milliseconds).
final class LRUCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var values: [Key: (value: Value, tick: UInt64)] = [:]
        var tick: UInt64 = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) { self.capacity = max(1, capacity) }

    func value(for key: Key) -> Value? {
        state.withLock { state in
            guard let entry = state.values[key] else { return nil }
            state.tick += 1
            state.values[key] = (entry.value, state.tick)
            return entry.value
        }
    }

    func insert(_ value: Value, for key: Key) {
        state.withLock { state in
            state.tick += 1
            state.values[key] = (value, state.tick)
            if state.values.count > capacity {
                // Evict the oldest eighth at once so eviction stays amortised O(1) per insert.
                let excess = state.values.count - capacity * 7 / 8
                let oldest = state.values.sorted { $0.value.tick < $1.value.tick }.prefix(excess).map(\.key)
                for key in oldest { state.values[key] = nil }
            }
        }
    }

    var count: Int { state.withLock { $0.values.count } }
}
