import AssetCatalog
import Foundation
import Logging
import Synchronization
import VectorStore

/// Answers text queries (and, through image spaces, image queries) over the asset store: plans the
/// request over lexical search and the available embedding spaces, runs each source, fuses the ranked
/// lists with reciprocal rank fusion, applies filters and pages.
///
/// The lexical index is built from the store on first use and rebuilt when the store's asset count
/// changes (checked at most every ``lexicalRefreshInterval``) or after ``invalidateLexicalIndex()``.
public final class SearchEngine: Sendable {
    /// Name of the BM25 algorithm.
    public static let lexical = "lexical"

    let store: any AssetStore
    let vectors: (any VectorIndex)?
    let embedders: [String: any SpaceEmbedder]
    let weights: [String: Float]
    let logger: Logger
    let lexicalRefreshInterval: Duration
    let lexicalState = Mutex(LexicalState())
    let spaceState = Mutex<(counts: [String: [VectorKind: Int]], checkedAt: ContinuousClock.Instant)?>(nil)
    let queryCache = LRUCache<String, [Float]>(capacity: 4096)

    /// The current lexical snapshot and the refresh in flight: concurrent queries share one refresh
    /// instead of each rebuilding the index. `generation` moves on invalidation, so a refresh started
    /// before it never installs its (older) result.
    struct LexicalState: Sendable {
        var snapshot: LexicalSnapshot?
        var refresh: Task<LexicalSnapshot, any Error>?
        var generation = 0
    }

    /// The lexical index plus the metadata filters need, built at one point in time.
    struct LexicalSnapshot: Sendable {
        var index: LexicalIndex
        var filterFields: [AssetID: FilterFields]
        var builtAt: ContinuousClock.Instant
        var checkedAt: ContinuousClock.Instant
    }

    struct FilterFields: Sendable {
        var library: String
        var category: String?
        var license: String?
        var largestSide: Double?
    }

    /// - Parameters:
    ///   - vectors: the vector index (usually the same store object); nil for lexical-only search
    ///   - embedders: loaded spaces by name; a space is searchable once it also has vectors in `vectors`
    ///   - weights: RRF weight per source label (`lexical`, `minilm`, `siglip:image`); 1 when absent
    public init(
        store: any AssetStore, vectors: (any VectorIndex)? = nil, embedders: [any SpaceEmbedder] = [],
        weights: [String: Float] = [:], logger: Logger = Logger(label: "asset3d.search"),
        lexicalRefreshInterval: Duration = .seconds(2)
    ) {
        self.store = store
        self.vectors = vectors
        self.embedders = Dictionary(embedders.map { ($0.space.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.weights = weights
        self.logger = logger
        self.lexicalRefreshInterval = lexicalRefreshInterval
    }

    /// Forces the next query to rebuild the lexical index and recount spaces (call after writing in-process).
    public func invalidateLexicalIndex() {
        lexicalState.withLock { $0 = LexicalState(generation: $0.generation + 1) }
        spaceState.withLock { $0 = nil }
    }

    /// Algorithms that can answer queries right now: lexical plus every loaded space with vectors.
    public func availableAlgorithms() async -> [String] {
        let capabilities = (try? await spaceCapabilities()) ?? [:]
        return [Self.lexical] + capabilities.keys.sorted()
    }

    /// The spaces this engine loaded (searchable once the store holds their vectors).
    public var loadedSpaces: [any SpaceEmbedder] { embedders.keys.sorted().compactMap { embedders[$0] } }

    func weight(of label: String) -> Float { weights[label] ?? 1 }

    /// Runs a text query.
    public func search(_ request: TextSearchRequest) async throws(SearchError) -> SearchResponse {
        let query = request.query.trimmingCharacters(in: .whitespacesAndNewlines)
        try validate(request, trimmedQuery: query)
        let language: QueryLanguage =
            switch request.language {
            case .en?: .en
            case .zh?: .zh
            case nil: QueryLanguage(detecting: query)
            }
        let mode = request.mode ?? (request.crossModal ? .cross : .inner)
        let planner = QueryPlanner(capabilities: try await spaceCapabilities())
        let plan = try planner.plan(algorithm: request.algorithm.lowercased(), mode: mode, input: .text(language))
        let depth = (request.page + 1) * request.topK
        // Single sources only need one extra hit to know whether a next page exists; fusion needs depth.
        let fetch = plan.sources.count == 1 ? depth + 1 : max(depth + 1, 100)
        var lists: [RankedList] = []
        for source in plan.sources {
            if source.name == Self.lexical {
                lists.append(try await lexicalList(query, depth: fetch, filter: request.filter))
            } else {
                let vector = try await queryVector(space: source.name, text: query)
                lists.append(try await vectorList(source, vector: vector, depth: fetch, filter: request.filter))
            }
        }
        return try await page(
            RankFusion.fuse(lists), topK: request.topK, page: request.page, algorithm: plan.description,
            language: language, skipped: plan.skipped)
    }

    /// Cuts the requested page out of the fused ranking and loads its assets.
    func page(
        _ fused: [RankFusion.Fused], topK: Int, page: Int, algorithm: String, language: QueryLanguage?,
        skipped: [String: String]
    ) async throws(SearchError) -> SearchResponse {
        let depth = (page + 1) * topK
        let page = Array(fused.dropFirst(page * topK).prefix(topK))
        let hits = try await hydrate(page)
        return SearchResponse(
            hits: hits, algorithm: algorithm, language: language, skipped: skipped, hasMore: fused.count > depth)
    }

    func validate(_ request: TextSearchRequest, trimmedQuery query: String) throws(SearchError) {
        guard !query.isEmpty else { throw SearchError(.invalidRequest, "query must not be empty") }
        guard query.count <= SearchLimits.maxQueryLength else {
            throw SearchError(
                .invalidRequest, "query is \(query.count) characters long; the limit is \(SearchLimits.maxQueryLength)")
        }
        try validatePaging(topK: request.topK, page: request.page)
    }

    func validatePaging(topK: Int, page: Int) throws(SearchError) {
        guard (1...SearchLimits.maxTopK).contains(topK) else {
            throw SearchError(.invalidRequest, "top_k must be between 1 and \(SearchLimits.maxTopK) (got \(topK))")
        }
        guard page >= 0, (page + 1) * topK <= SearchLimits.maxDepth else {
            throw SearchError(
                .invalidRequest, "page must be ≥ 0 and (page + 1) × top_k at most \(SearchLimits.maxDepth)")
        }
    }

    /// Loads the assets of fused hits, keeping the order and dropping ids deleted meanwhile.
    func hydrate(_ ranked: [RankFusion.Fused]) async throws(SearchError) -> [SearchHit] {
        let assets: [AssetID: Asset]
        do {
            assets = try await SearchMetrics.timed("asset3d_store_seconds", [("operation", "load_assets")]) {
                try await store.assets(ranked.map(\.assetID))
            }
        } catch {
            throw Self.storeFailure(error, logger: logger)
        }
        return ranked.compactMap { item in
            assets[item.assetID].map { asset in
                SearchHit(
                    asset: asset, similarity: item.similarity, scores: item.scores,
                    matchedView: item.viewIndex.flatMap { index in asset.views.first { $0.index == index } })
            }
        }
    }

    static func storeFailure(_ error: any Error, logger: Logger) -> SearchError {
        logger.error("store failure", metadata: ["error": "\(error)"])
        return SearchError(.unavailable, "the asset store is unavailable; try again shortly")
    }
}

/// Names of the built-in embedding spaces (DESIGN.md, "Embedding spaces").
public enum KnownSpaces {
    public static let names: Set<String> = ["siglip", "clip", "chinese_clip", "minilm", "qwen"]
}
