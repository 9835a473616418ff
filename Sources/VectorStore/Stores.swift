import AssetCatalog

/// Persists assets (metadata, captions, file locations). Upserts are idempotent by id.
public protocol AssetStore: Sendable {
    /// Inserts or replaces assets by id.
    func upsert(_ assets: [Asset]) async throws
    /// One asset, or nil when unknown.
    func asset(_ id: AssetID) async throws -> Asset?
    /// Several assets; unknown ids are absent from the result.
    func assets(_ ids: [AssetID]) async throws -> [AssetID: Asset]
    /// Every asset, ordered by id. Used to build in-memory indexes (lexical search).
    func allAssets() async throws -> [Asset]
    /// Number of assets.
    func assetCount() async throws -> Int
    /// Removes assets and every vector they own; unknown ids are ignored.
    func delete(_ ids: [AssetID]) async throws
}

/// One nearest-neighbour query against one space and one or more vector kinds.
public struct VectorQuery: Sendable {
    /// Space name.
    public var space: String
    /// Kinds searched; the best score per asset across them wins.
    public var kinds: Set<VectorKind>
    /// Query vector (L2-normalised).
    public var vector: [Float]
    /// Number of distinct assets wanted.
    public var k: Int
    /// Metadata restriction.
    public var filter: AssetFilter
    /// Assets never returned (e.g. the query asset in "find similar").
    public var excluding: Set<AssetID>

    public init(
        space: String, kinds: Set<VectorKind>, vector: [Float], k: Int, filter: AssetFilter = AssetFilter(),
        excluding: Set<AssetID> = []
    ) {
        self.space = space
        self.kinds = kinds
        self.vector = vector
        self.k = k
        self.filter = filter
        self.excluding = excluding
    }
}

/// One asset found by a vector query: its best-matching vector and that vector's cosine similarity.
public struct VectorHit: Sendable, Hashable {
    public var assetID: AssetID
    /// Kind of the best-matching vector.
    public var kind: VectorKind
    /// View index of the best-matching vector (``VectorKind/imageView``), else 0.
    public var viewIndex: Int
    /// Cosine similarity in [-1, 1].
    public var score: Float

    public init(assetID: AssetID, kind: VectorKind, viewIndex: Int, score: Float) {
        self.assetID = assetID
        self.kind = kind
        self.viewIndex = viewIndex
        self.score = score
    }
}

/// What a space holds.
public struct SpaceSummary: Sendable, Hashable, Codable {
    public var space: EmbeddingSpace
    /// Vector counts per kind.
    public var counts: [VectorKind: Int]

    public init(space: EmbeddingSpace, counts: [VectorKind: Int]) {
        self.space = space
        self.counts = counts
    }
}

/// Stores vectors per embedding space and answers k-NN queries aggregated per asset
/// (max over an asset's matching vectors; DESIGN.md, "Embedding spaces").
public protocol VectorIndex: Sendable {
    /// Creates the space if missing; throws if a space of that name exists with another model or dimension.
    func ensureSpace(_ space: EmbeddingSpace) async throws
    /// Every space with its counts.
    func spaces() async throws -> [SpaceSummary]
    /// Drops a space and its vectors; other spaces are untouched.
    func dropSpace(named name: String) async throws
    /// Inserts or replaces vectors keyed by (asset, kind, view). Rejects wrong dimensions and NaN/Inf.
    func upsert(space: String, _ records: [VectorRecord]) async throws
    /// The k best assets for the query.
    func search(_ query: VectorQuery) async throws -> [VectorHit]
    /// Every vector an asset owns in a space (used by "find similar" and by resumable ingestion).
    func vectors(of asset: AssetID, space: String) async throws -> [VectorRecord]
}
