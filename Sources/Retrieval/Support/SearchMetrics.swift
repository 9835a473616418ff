import Metrics

/// Timers the engine records (exported by the server's `/metrics`): per-source search latency,
/// query-embedding time per space, and store time per operation.
enum SearchMetrics {
    /// Runs `body` and records its duration under `label` with `dimensions`.
    static func timed<T>(
        _ label: String, _ dimensions: [(String, String)], _ body: () async throws -> T
    ) async rethrows -> T {
        let start = ContinuousClock.now
        defer { record(label, dimensions, since: start) }
        return try await body()
    }

    /// Records the time elapsed since `start`.
    static func record(_ label: String, _ dimensions: [(String, String)], since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        Timer(label: label, dimensions: dimensions).recordNanoseconds(
            elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000)
    }
}
