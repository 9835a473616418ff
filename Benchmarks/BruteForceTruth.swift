import AssetCatalog
import Dispatch
import Foundation
import VectorStore

/// Ground truth computed without any store: every asset's views regenerated from the synthetic catalog, scored in
/// float32 against each query, max over views, top k by (score desc, id). Checks the embedded store's exact search
/// (which the PostgreSQL rows are then measured against) independently of its own code.
enum BruteForceTruth {
    /// Top-k hits per query; `admits(index)` restricts the assets (nil: all).
    static func topK(_ catalog: SyntheticCatalog, queries: [[Float]], k: Int, admits: (@Sendable (Int) -> Bool)? = nil)
        -> [[VectorHit]]
    {
        let assets = catalog.assets
        let workers = 2 * ProcessInfo.processInfo.activeProcessorCount
        let chunk = (assets + workers - 1) / workers
        let scores = ScoreTable(count: assets * queries.count)  // [asset, query]
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for asset in (worker * chunk)..<min(assets, (worker + 1) * chunk) {
                guard admits?(asset) ?? true else { continue }
                let views = catalog.viewRecords(asset).map(\.vector)
                for (number, query) in queries.enumerated() {
                    var best = -Float.infinity
                    for view in views {
                        var dot: Float = 0
                        for index in 0..<query.count { dot += view[index] * query[index] }
                        best = max(best, dot)
                    }
                    scores.set(asset * queries.count + number, best)
                }
            }
        }
        return queries.indices.map { number in
            var scored: [(asset: Int, score: Float)] = []
            for asset in 0..<assets {
                let score = scores.get(asset * queries.count + number)
                if score > -.infinity { scored.append((asset, score)) }
            }
            // Ids are zero-padded indices, so index order is id order.
            scored.sort { $0.score != $1.score ? $0.score > $1.score : $0.asset < $1.asset }
            return scored.prefix(k).map {
                VectorHit(assetID: catalog.id($0.asset), kind: .imageView, viewIndex: 0, score: $0.score)
            }
        }
    }
}

/// A float table written from `concurrentPerform` workers at disjoint indices.
private final class ScoreTable: @unchecked Sendable {
    private let values: UnsafeMutablePointer<Float>
    init(count: Int) {
        values = .allocate(capacity: count)
        values.initialize(repeating: -.infinity, count: count)
    }
    deinit { values.deallocate() }
    func set(_ index: Int, _ value: Float) { values[index] = value }
    func get(_ index: Int) -> Float { values[index] }
}
