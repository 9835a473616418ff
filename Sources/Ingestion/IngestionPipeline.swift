import AssetCatalog
import Foundation
import Logging
import VectorStore

/// Progress of a running ingestion, reported after every batch.
public struct IngestProgress: Sendable {
    /// Current stage, e.g. `assets`, `minilm text_en`.
    public var stage: String
    public var done: Int
    public var total: Int

    public init(stage: String, done: Int, total: Int) {
        self.stage = stage
        self.done = done
        self.total = total
    }
}

/// What an ingestion did.
public struct IngestReport: Sendable {
    /// Assets read from the catalog (after `maxAssets`).
    public var read = 0
    /// Assets written to the store.
    public var stored = 0
    /// Assets whose files could not be made available (listed in `failures`).
    public var failed = 0
    /// Catalog entries skipped while reading.
    public var skippedEntries: [CatalogProblem] = []
    /// Catalog notes (repairs, missing translations).
    public var notes: [CatalogProblem] = []
    /// Per-asset failures: id → reason.
    public var failures: [AssetID: String] = [:]
    /// The assets written, in catalog order (the embedding stages work on these).
    public var storedAssets: [Asset] = []
}

/// Ingestion options.
public struct IngestOptions: Sendable {
    /// Stop after this many catalog entries (`MAX_ASSETS`).
    public var maxAssets: Int?
    /// Assets written per store transaction; a crash loses at most one batch, which a rerun redoes.
    public var batchSize: Int

    public init(maxAssets: Int? = nil, batchSize: Int = 64) {
        self.maxAssets = maxAssets
        self.batchSize = max(1, batchSize)
    }
}

/// read → materialize files → store, in batches. Idempotent: rerunning after a crash (or to add assets)
/// upserts by id, so counts stay exact and nothing is duplicated.
public struct IngestionPipeline: Sendable {
    let catalog: any Catalog
    let store: any AssetStore
    let logger: Logger

    public init(catalog: any Catalog, store: any AssetStore, logger: Logger = Logger(label: "asset3d.ingest")) {
        self.catalog = catalog
        self.store = store
        self.logger = logger
    }

    /// Runs the asset stage. `progress` is called after each batch.
    public func run(
        _ options: IngestOptions, progress: @Sendable (IngestProgress) -> Void = { _ in }
    ) async throws -> IngestReport {
        var report = IngestReport()
        let contents = try catalog.read()
        report.skippedEntries = contents.problems.filter(\.skipped)
        report.notes = contents.problems.filter { !$0.skipped }
        var assets = contents.assets
        if let maxAssets = options.maxAssets, maxAssets >= 0 { assets = Array(assets.prefix(maxAssets)) }
        report.read = assets.count
        progress(IngestProgress(stage: "assets", done: 0, total: assets.count))
        var done = 0
        for start in stride(from: 0, to: assets.count, by: options.batchSize) {
            let batch = Array(assets[start..<min(start + options.batchSize, assets.count)])
            let failures = catalog.materialize(batch)
            var ready: [Asset] = []
            for asset in batch {
                if let error = failures[asset.id] {
                    report.failed += 1
                    report.failures[asset.id] = error.message
                    logger.warning("asset skipped", metadata: ["asset": "\(asset.id)", "reason": "\(error.message)"])
                } else {
                    ready.append(asset)
                }
            }
            let stored = try await store.assets(ready.map(\.id))
            ready = ready.map { asset in stored[asset.id].map { asset.keepingDerivedData(of: $0) } ?? asset }
            try await store.upsert(ready)
            report.stored += ready.count
            report.storedAssets += ready
            done += batch.count
            progress(IngestProgress(stage: "assets", done: done, total: assets.count))
        }
        return report
    }
}
