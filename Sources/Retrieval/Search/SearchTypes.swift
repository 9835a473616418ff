import AssetCatalog
import ImageCodec
import VectorStore

/// A text query as the API and CLI receive it (the original demo's fields plus additive ones).
public struct TextSearchRequest: Sendable {
    /// The query text, English, Chinese or mixed.
    public var query: String
    /// `lexical`, a space name (`minilm`, `siglip`, …), `auto` or `hybrid`.
    public var algorithm: String
    /// Caption language to search; nil detects it from the query.
    public var language: Language?
    /// Compare the text with rendered views instead of captions (text → image); the original demo's flag.
    public var crossModal: Bool
    /// Modalities to search; overrides `crossModal` when set.
    public var mode: QueryMode?
    /// Results per page (1…``SearchLimits/maxTopK``).
    public var topK: Int
    /// Zero-based page number.
    public var page: Int
    /// Metadata restrictions.
    public var filter: AssetFilter

    public init(
        query: String, algorithm: String = "auto", language: Language? = nil, crossModal: Bool = false,
        mode: QueryMode? = nil, topK: Int = 10, page: Int = 0, filter: AssetFilter = AssetFilter()
    ) {
        self.mode = mode
        self.query = query
        self.algorithm = algorithm
        self.language = language
        self.crossModal = crossModal
        self.topK = topK
        self.page = page
        self.filter = filter
    }
}

/// Bounds every request is checked against.
public enum SearchLimits {
    /// Largest `top_k`.
    public static let maxTopK = 100
    /// Longest query, in characters.
    public static let maxQueryLength = 1_000
    /// Deepest result reachable through paging (`(page + 1) * top_k`).
    public static let maxDepth = 1_000
}

/// One result: the asset, its fused similarity, what each algorithm scored, and the view that matched.
public struct SearchHit: Sendable {
    public var asset: Asset
    /// Score used for ranking, in [0, 1] for lexical (normalised BM25) and [-1, 1] for cosine.
    public var similarity: Float
    /// Score per algorithm/space that found the asset.
    public var scores: [String: Float]
    /// The rendered view that matched best, for image-side matches.
    public var matchedView: ViewInfo?

    public init(asset: Asset, similarity: Float, scores: [String: Float], matchedView: ViewInfo? = nil) {
        self.asset = asset
        self.similarity = similarity
        self.scores = scores
        self.matchedView = matchedView
    }
}

/// The answer to a search.
public struct SearchResponse: Sendable {
    /// Ranked hits of the requested page.
    public var hits: [SearchHit]
    /// Algorithm(s) that produced them (`lexical`, `minilm`, `hybrid(lexical+minilm)`…).
    public var algorithm: String
    /// Detected or requested query language (nil for image and similar queries).
    public var language: QueryLanguage?
    /// Spaces that could not serve the request, with the reason (e.g. Chinese text on an English-only model).
    public var skipped: [String: String]
    /// True when a further page exists.
    public var hasMore: Bool

    public init(hits: [SearchHit], algorithm: String, language: QueryLanguage?, skipped: [String: String] = [:],
                hasMore: Bool = false) {
        self.hits = hits
        self.algorithm = algorithm
        self.language = language
        self.skipped = skipped
        self.hasMore = hasMore
    }
}

/// An image query: find assets whose views (inner) or captions (cross) match a picture.
public struct ImageSearchRequest: Sendable {
    /// The decoded picture.
    public var image: Image
    /// A space name, `auto` or `hybrid`.
    public var algorithm: String
    /// `inner` = image → views, `cross` = image → captions, `hybrid` = both.
    public var mode: QueryMode
    public var topK: Int
    public var page: Int
    public var filter: AssetFilter

    public init(image: Image, algorithm: String = "auto", mode: QueryMode = .inner, topK: Int = 10, page: Int = 0,
                filter: AssetFilter = AssetFilter()) {
        self.image = image
        self.algorithm = algorithm
        self.mode = mode
        self.topK = topK
        self.page = page
        self.filter = filter
    }
}

/// "More like this": the assets closest to a stored asset, the asset itself excluded.
public struct SimilarRequest: Sendable {
    public var assetID: AssetID
    /// A space name or `auto` (every space with vectors for the asset, fused).
    public var algorithm: String
    public var topK: Int
    public var page: Int
    public var filter: AssetFilter

    public init(assetID: AssetID, algorithm: String = "auto", topK: Int = 10, page: Int = 0,
                filter: AssetFilter = AssetFilter()) {
        self.assetID = assetID
        self.algorithm = algorithm
        self.topK = topK
        self.page = page
        self.filter = filter
    }
}
