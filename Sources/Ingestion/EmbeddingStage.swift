import AssetCatalog
import Foundation
import ImageCodec
import Logging
import Retrieval
import VectorStore

/// What one space's embedding stage did.
public struct EmbeddingReport: Sendable {
    public var space: String
    /// Vectors written per kind.
    public var written: [VectorKind: Int] = [:]
    /// Assets that already had vectors (resumed runs skip them).
    public var alreadyDone: [VectorKind: Int] = [:]
    /// Assets whose embedding failed, with the reason; nothing is stored for them (never a zero vector).
    public var failures: [AssetID: String] = [:]
}

/// Embeds captions (and, for image spaces, views) of stored assets into one space. Resumable: assets that
/// already have vectors of a kind are skipped, so a rerun after a crash finishes the rest.
public struct EmbeddingStage: Sendable {
    let embedder: any SpaceEmbedder
    let vectors: any VectorIndex
    let batchSize: Int
    let fusedViews: Int
    let logger: Logger

    /// - Parameter fusedViews: views fused into one vector by spaces that fuse (`QWEN_NUM_IMAGES`).
    public init(embedder: any SpaceEmbedder, vectors: any VectorIndex, batchSize: Int = 32, fusedViews: Int = 8,
                logger: Logger = Logger(label: "asset3d.ingest")) {
        self.embedder = embedder
        self.vectors = vectors
        self.batchSize = max(1, batchSize)
        self.fusedViews = max(1, fusedViews)
        self.logger = logger
    }

    /// The text a caption vector is computed from. Names alone ("Bed") are ambiguous; the category
    /// ("Bedroom") gives models the context a user's description carries.
    public static func captionText(_ asset: Asset, language: Language) -> String? {
        guard let caption = asset.caption(language)?.text, !caption.isEmpty else { return nil }
        let category = language == .en ? asset.category : asset.categoryZH
        guard let category, !category.isEmpty, !caption.localizedCaseInsensitiveContains(category) else {
            return caption
        }
        return language == .en ? "\(caption), \(category.lowercased())" : "\(caption)，\(category)"
    }

    /// Embeds the captions of `assets` in every language the model reads and, for image spaces, their views.
    public func run(_ assets: [Asset], progress: @Sendable (IngestProgress) -> Void = { _ in }) async throws
        -> EmbeddingReport
    {
        let space = embedder.space
        try await vectors.ensureSpace(space)
        var report = EmbeddingReport(space: space.name)
        for language in [Language.en, .zh] where embedder.textLanguages.contains(language) {
            let kind = VectorKind.text(language)
            let done = try await vectors.assetIDs(withVectorsIn: space.name, kind: kind)
            let todo = assets.compactMap { asset -> (AssetID, String)? in
                guard !done.contains(asset.id), let text = Self.captionText(asset, language: language) else { return nil }
                return (asset.id, text)
            }
            report.alreadyDone[kind] = assets.filter { done.contains($0.id) }.count
            let stage = "\(space.name) \(kind.rawValue)"
            progress(IngestProgress(stage: stage, done: 0, total: todo.count))
            var finished = 0
            for start in stride(from: 0, to: todo.count, by: batchSize) {
                let batch = Array(todo[start..<min(start + batchSize, todo.count)])
                let outcomes = await embedder.embedDocuments(batch.map { .text($0.1) })
                var records: [VectorRecord] = []
                for ((id, _), outcome) in zip(batch, outcomes) {
                    switch outcome {
                    case .success(let vector): records.append(VectorRecord(assetID: id, kind: kind, vector: vector))
                    case .failure(let error): report.failures[id] = error.description
                    }
                }
                if !records.isEmpty {
                    try await vectors.upsert(space: space.name, records)
                    report.written[kind, default: 0] += records.count
                }
                finished += batch.count
                progress(IngestProgress(stage: stage, done: finished, total: todo.count))
            }
        }
        if embedder.readsImages {
            try await embedViews(assets, report: &report, progress: progress)
        }
        return report
    }

    /// One input per asset (fused views) or per view, with the vector kind and view index it fills.
    struct ViewJob {
        var assetID: AssetID
        var kind: VectorKind
        var viewIndex: Int
        var load: @Sendable () throws -> SpaceInput
    }

    func embedViews(
        _ assets: [Asset], report: inout EmbeddingReport, progress: @Sendable (IngestProgress) -> Void
    ) async throws {
        let space = embedder.space
        let kind: VectorKind = embedder.fusesImages ? .imageFused : .imageView
        let done = try await vectors.assetIDs(withVectorsIn: space.name, kind: kind)
        let withViews = assets.filter { !$0.views.isEmpty }
        report.alreadyDone[kind] = withViews.filter { done.contains($0.id) }.count
        var jobs: [[ViewJob]] = []  // per asset, so a batch never splits an asset's views
        for asset in withViews where !done.contains(asset.id) {
            let views = asset.views.sorted { $0.index < $1.index }
            if embedder.fusesImages {
                let chosen = Self.evenlySpaced(views, count: fusedViews)
                jobs.append([
                    ViewJob(assetID: asset.id, kind: .imageFused, viewIndex: 0) {
                        .fusedImages(try chosen.map { try Self.loadView($0, of: asset) })
                    }
                ])
            } else {
                jobs.append(views.map { view in
                    ViewJob(assetID: asset.id, kind: .imageView, viewIndex: view.index) {
                        .image(try Self.loadView(view, of: asset))
                    }
                })
            }
        }
        let stage = "\(space.name) \(kind.rawValue)"
        progress(IngestProgress(stage: stage, done: 0, total: jobs.count))
        // Fused inputs carry several images each; keep requests small.
        let step = embedder.fusesImages ? max(1, batchSize / 4) : batchSize
        var finished = 0
        var next = 0
        while next < jobs.count {
            var batch: [ViewJob] = []
            var assetsInBatch = 0
            while next < jobs.count, batch.isEmpty || batch.count + jobs[next].count <= step {
                batch += jobs[next]
                next += 1
                assetsInBatch += 1
            }
            var inputs: [SpaceInput] = []
            var loaded: [ViewJob] = []
            var failed = Set<AssetID>()
            for job in batch {
                do {
                    inputs.append(try job.load())
                    loaded.append(job)
                } catch {
                    report.failures[job.assetID] = "view \(job.viewIndex): \(error)"
                    failed.insert(job.assetID)
                }
            }
            let outcomes = await embedder.embedDocuments(inputs)
            var records: [VectorRecord] = []
            for (job, outcome) in zip(loaded, outcomes) {
                switch outcome {
                case .success(let vector):
                    records.append(VectorRecord(assetID: job.assetID, kind: job.kind, viewIndex: job.viewIndex, vector: vector))
                case .failure(let error):
                    report.failures[job.assetID] = error.description
                    failed.insert(job.assetID)
                }
            }
            // An asset whose views only partly embedded is written whole or not at all, so a rerun redoes it.
            records.removeAll { failed.contains($0.assetID) }
            if !records.isEmpty {
                try await vectors.upsert(space: space.name, records)
                report.written[kind, default: 0] += records.count
            }
            finished += assetsInBatch
            progress(IngestProgress(stage: stage, done: finished, total: jobs.count))
        }
    }

    /// `count` views spread around the object (all of them when there are fewer).
    static func evenlySpaced(_ views: [ViewInfo], count: Int) -> [ViewInfo] {
        guard views.count > count else { return views }
        return (0..<count).map { views[$0 * views.count / count] }
    }

    static func loadView(_ view: ViewInfo, of asset: Asset) throws -> Image {
        guard let url = asset.files.resolve(view) else {
            throw SpaceError("view \(view.index) of \(asset.id) is missing (\(view.path))")
        }
        return try ImageDecoder.decode(contentsOf: url)
    }
}
