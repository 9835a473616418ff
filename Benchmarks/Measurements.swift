import Foundation
import VectorStore

/// Latencies of a run of queries.
struct LatencyStats {
    var milliseconds: [Double]

    init(_ durations: [Duration]) {
        milliseconds = durations.map { Double($0.components.seconds) * 1_000 + Double($0.components.attoseconds) / 1e15 }
            .sorted()
    }

    func percentile(_ p: Double) -> Double {
        guard !milliseconds.isEmpty else { return .nan }
        let rank = min(milliseconds.count - 1, max(0, Int((p * Double(milliseconds.count)).rounded(.up)) - 1))
        return milliseconds[rank]
    }

    var p50: Double { percentile(0.5) }
    var p99: Double { percentile(0.99) }
}

/// Mean recall@k of `results` against `truth` (asset sets per query).
func meanRecall(_ results: [[VectorHit]], truth: [[VectorHit]]) -> Double {
    var total = 0.0
    for (found, expected) in zip(results, truth) where !expected.isEmpty {
        total += Double(Set(found.map(\.assetID)).intersection(expected.map(\.assetID)).count) / Double(expected.count)
    }
    return total / Double(max(1, truth.count))
}

/// Runs `queries` sequentially; returns results and per-query latencies.
func timeSequential(_ queries: [VectorQuery], on store: any VectorIndex) async throws -> ([[VectorHit]], LatencyStats) {
    var results: [[VectorHit]] = []
    var durations: [Duration] = []
    let clock = ContinuousClock()
    for query in queries {
        let started = clock.now
        results.append(try await store.search(query))
        durations.append(clock.now - started)
    }
    return (results, LatencyStats(durations))
}

/// Runs `queries` from `clients` concurrent tasks; returns queries per second.
func throughput(_ queries: [VectorQuery], on store: any VectorIndex, clients: Int) async throws -> Double {
    let clock = ContinuousClock()
    let started = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        for client in 0..<clients {
            group.addTask {
                for index in stride(from: client, to: queries.count, by: clients) {
                    _ = try await store.search(queries[index])
                }
            }
        }
        try await group.waitForAll()
    }
    let elapsed = clock.now - started
    return Double(queries.count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

/// Seconds elapsed while running `body`.
func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let clock = ContinuousClock()
    let started = clock.now
    try await body()
    let elapsed = clock.now - started
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

/// One row of the result table.
struct ResultRow {
    var store: String
    var setting: String
    var filter: String
    var p50: Double
    var p99: Double
    var queriesPerSecond: Double?
    /// Mean recall@10 against the reference; nil when not checked.
    var recall: Double?

    static let header = "| store | search | filter | p50 ms | p99 ms | q/s (clients) | recall@10 |\n|---|---|---|---:|---:|---:|---:|"

    func markdown(clients: Int) -> String {
        let rate = queriesPerSecond.map { String(format: "%.0f", $0) + " (\(clients))" } ?? "–"
        return "| \(store) | \(setting) | \(filter) | " + String(format: "%.1f | %.1f", p50, p99) + " | \(rate) | "
            + (recall.map { String(format: "%.3f", $0) } ?? "–") + " |"
    }
}
