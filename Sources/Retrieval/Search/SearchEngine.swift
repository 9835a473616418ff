import AssetCatalog
import Foundation
import Logging
import Synchronization
import VectorStore

/// Answers text (and, with vector spaces, image) queries over the asset store.
///
/// The lexical index is built from the store on first use and rebuilt when the store's asset count
/// changes (checked at most every ``lexicalRefreshInterval``) or after ``invalidateLexicalIndex()``.
public final class SearchEngine: Sendable {
    /// Name of the BM25 algorithm.
    public static let lexical = "lexical"
    /// Algorithm names that pick spaces automatically.
    public static let automatic: Set<String> = ["auto", "hybrid"]

    let store: any AssetStore
    let logger: Logger
    let lexicalRefreshInterval: Duration
    private let lexicalState = Mutex<LexicalSnapshot?>(nil)

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

    public init(store: any AssetStore, logger: Logger = Logger(label: "asset3d.search"),
                lexicalRefreshInterval: Duration = .seconds(2)) {
        self.store = store
        self.logger = logger
        self.lexicalRefreshInterval = lexicalRefreshInterval
    }

    /// Forces the next query to rebuild the lexical index (call after writing assets in-process).
    public func invalidateLexicalIndex() {
        lexicalState.withLock { $0 = nil }
    }

    /// Algorithms that can answer text queries right now.
    public func availableAlgorithms() async -> [String] {
        [Self.lexical]
    }

    /// Runs a text query.
    public func search(_ request: TextSearchRequest) async throws(SearchError) -> SearchResponse {
        let query = request.query.trimmingCharacters(in: .whitespacesAndNewlines)
        try validate(request, trimmedQuery: query)
        let detected = QueryLanguage(detecting: query)
        let language: QueryLanguage =
            switch request.language {
            case .en?: .en
            case .zh?: .zh
            case nil: detected
            }
        let algorithm = request.algorithm.lowercased()
        let available = await availableAlgorithms()
        guard algorithm == Self.lexical || Self.automatic.contains(algorithm) || available.contains(algorithm) else {
            if KnownSpaces.names.contains(algorithm) {
                throw SearchError(
                    .unsupported,
                    "algorithm \"\(algorithm)\" is not indexed yet; ingest it with `asset3d ingest --spaces \(algorithm)` "
                        + "(available: \(available.joined(separator: ", ")))")
            }
            throw SearchError(
                .unknownAlgorithm,
                "unknown algorithm \"\(request.algorithm)\"; available: \((available + ["auto", "hybrid"]).joined(separator: ", "))")
        }
        if request.crossModal && (algorithm == Self.lexical) {
            throw SearchError(.unsupported, "the lexical algorithm has no image side; cross_modal needs an image space")
        }
        let depth = (request.page + 1) * request.topK
        let snapshot = try await lexicalSnapshot()
        let filter = request.filter
        let lexicalHits = snapshot.index.search(query, limit: depth + 1) { id in
            guard !filter.isEmpty else { return true }
            guard let fields = snapshot.filterFields[id] else { return false }
            return filter.matches(
                library: fields.library, category: fields.category, license: fields.license,
                largestSide: fields.largestSide)
        }
        let page = Array(lexicalHits.dropFirst(request.page * request.topK).prefix(request.topK))
        let hits = try await hydrate(page.map { ($0.assetID, $0.normalizedScore, [Self.lexical: $0.score]) })
        return SearchResponse(
            hits: hits, algorithm: Self.lexical, language: language, hasMore: lexicalHits.count > depth)
    }

    func validate(_ request: TextSearchRequest, trimmedQuery query: String) throws(SearchError) {
        guard !query.isEmpty else { throw SearchError(.invalidRequest, "query must not be empty") }
        guard query.count <= SearchLimits.maxQueryLength else {
            throw SearchError(
                .invalidRequest, "query is \(query.count) characters long; the limit is \(SearchLimits.maxQueryLength)")
        }
        guard (1...SearchLimits.maxTopK).contains(request.topK) else {
            throw SearchError(.invalidRequest, "top_k must be between 1 and \(SearchLimits.maxTopK) (got \(request.topK))")
        }
        guard request.page >= 0, (request.page + 1) * request.topK <= SearchLimits.maxDepth else {
            throw SearchError(
                .invalidRequest, "page must be ≥ 0 and (page + 1) × top_k at most \(SearchLimits.maxDepth)")
        }
    }

    /// Loads the assets of ranked ids, keeping the order and dropping ids deleted meanwhile.
    func hydrate(_ ranked: [(AssetID, Float, [String: Float])]) async throws(SearchError) -> [SearchHit] {
        let assets: [AssetID: Asset]
        do {
            assets = try await store.assets(ranked.map(\.0))
        } catch {
            throw Self.storeFailure(error, logger: logger)
        }
        return ranked.compactMap { id, similarity, scores in
            assets[id].map { SearchHit(asset: $0, similarity: similarity, scores: scores) }
        }
    }

    func lexicalSnapshot() async throws(SearchError) -> LexicalSnapshot {
        let now = ContinuousClock.now
        let cached = lexicalState.withLock { $0 }
        if let cached, now - cached.checkedAt < lexicalRefreshInterval { return cached }
        do {
            if let cached, try await store.assetCount() == cached.index.count {
                lexicalState.withLock { $0?.checkedAt = now }
                return cached
            }
            let assets = try await store.allAssets()
            let snapshot = LexicalSnapshot(
                index: LexicalIndex(assets: assets),
                filterFields: Dictionary(
                    assets.map {
                        ($0.id,
                         FilterFields(library: $0.library, category: $0.category, license: $0.license,
                                      largestSide: $0.dimensions?.largestSide))
                    }, uniquingKeysWith: { first, _ in first }),
                builtAt: now, checkedAt: now)
            lexicalState.withLock { $0 = snapshot }
            logger.debug("lexical index built", metadata: ["assets": "\(assets.count)"])
            return snapshot
        } catch {
            throw Self.storeFailure(error, logger: logger)
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
