import AssetCatalog
import Foundation
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
    let logger: Logger

    public init(embedder: any SpaceEmbedder, vectors: any VectorIndex, batchSize: Int = 32,
                logger: Logger = Logger(label: "asset3d.ingest")) {
        self.embedder = embedder
        self.vectors = vectors
        self.batchSize = max(1, batchSize)
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

    /// Embeds the captions of `assets` in every language the model reads.
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
        return report
    }
}
