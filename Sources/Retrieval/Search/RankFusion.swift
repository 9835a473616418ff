import AssetCatalog

/// One ranked list from one source (lexical, or a space in one modality) before fusion.
struct RankedList: Sendable {
    /// `lexical`, `minilm`, `siglip:image`, ….
    var source: String
    /// Weight in reciprocal rank fusion.
    var weight: Float
    var entries: [Entry]

    struct Entry: Sendable {
        var assetID: AssetID
        /// Score shown to users: normalised BM25 for lexical, cosine for vectors.
        var score: Float
        /// Raw score reported under `scores`.
        var rawScore: Float
        /// Matched view for image-side hits.
        var viewIndex: Int?
    }
}

/// Reciprocal rank fusion: score(a) = Σ_s w_s / (k + rank_s(a)), normalised by the best possible score
/// Σ_s w_s / (k + 1) so a document ranked first everywhere scores 1.
enum RankFusion {
    /// The usual constant from Cormack et al. (2009); large enough that one list cannot dominate.
    static let k: Float = 60

    struct Fused: Sendable {
        var assetID: AssetID
        var similarity: Float
        var scores: [String: Float]
        var viewIndex: Int?
    }

    static func fuse(_ lists: [RankedList]) -> [Fused] {
        if lists.count == 1, let only = lists.first {
            return only.entries.map {
                Fused(assetID: $0.assetID, similarity: $0.score, scores: [only.source: $0.rawScore], viewIndex: $0.viewIndex)
            }
        }
        let best = lists.reduce(Float(0)) { $0 + $1.weight / (k + 1) }
        var fused: [AssetID: Fused] = [:]
        var viewScore: [AssetID: Float] = [:]
        for list in lists {
            for (rank, entry) in list.entries.enumerated() {
                let contribution = list.weight / (k + Float(rank + 1))
                var item = fused[entry.assetID] ?? Fused(assetID: entry.assetID, similarity: 0, scores: [:])
                item.similarity += contribution
                item.scores[list.source] = entry.rawScore
                if let view = entry.viewIndex, entry.score > (viewScore[entry.assetID] ?? -.infinity) {
                    item.viewIndex = view
                    viewScore[entry.assetID] = entry.score
                }
                fused[entry.assetID] = item
            }
        }
        return fused.values
            .map { var item = $0; item.similarity /= max(best, .leastNonzeroMagnitude); return item }
            .sorted { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.assetID < $1.assetID }
    }
}
