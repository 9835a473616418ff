import AssetCatalog

/// Persists assets (metadata, captions, file locations). Upserts are idempotent by id.
///
/// Implementations are safe to call from many tasks at once.
public protocol AssetStore: Sendable {
    /// Inserts or replaces assets by id. Every id must be well formed (``AssetID/isWellFormed``).
    func upsert(_ assets: [Asset]) async throws
    /// One asset, or nil when unknown.
    func asset(_ id: AssetID) async throws -> Asset?
    /// Several assets; unknown ids are absent from the result.
    func assets(_ ids: [AssetID]) async throws -> [AssetID: Asset]
    /// One page of assets in id order (keyset pagination): up to `limit` assets whose id sorts after
    /// `cursor` (from the first asset when nil). Ids sort by their UTF-8 bytes. An empty page means the end.
    func assets(after cursor: AssetID?, limit: Int) async throws -> [Asset]
    /// Number of assets.
    func assetCount() async throws -> Int
    /// Removes assets and every vector they own; unknown ids are ignored.
    func delete(_ ids: [AssetID]) async throws
}

extension AssetStore {
    /// Every asset, ordered by id, read page by page. Prefer ``assetPages(pageSize:)`` for large catalogs.
    public func allAssets(pageSize: Int = 1_000) async throws -> [Asset] {
        var all: [Asset] = []
        for try await page in assetPages(pageSize: pageSize) { all += page }
        return all
    }

    /// The whole catalog as a sequence of pages in id order (see ``assets(after:limit:)``).
    public func assetPages(pageSize: Int = 1_000) -> AssetPages {
        AssetPages(store: self, pageSize: pageSize)
    }
}

/// The pages of an ``AssetStore`` in id order; each page is one read, so memory stays bounded.
public struct AssetPages: AsyncSequence, Sendable {
    /// One page of assets.
    public typealias Element = [Asset]

    let store: any AssetStore
    let pageSize: Int

    /// Iterates the pages.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let store: any AssetStore
        let pageSize: Int
        var cursor: AssetID?
        var finished = false

        /// The next non-empty page, or nil at the end.
        public mutating func next() async throws -> [Asset]? {
            guard !finished else { return nil }
            let page = try await store.assets(after: cursor, limit: Swift.max(1, pageSize))
            guard let last = page.last else {
                finished = true
                return nil
            }
            cursor = last.id
            if page.count < pageSize { finished = true }
            return page
        }
    }

    /// Starts at the first asset.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(store: store, pageSize: pageSize)
    }
}

/// How exact a vector search must be.
public enum SearchMode: Sendable, Hashable {
    /// The store's default: exact for the embedded store, HNSW with its configured `ef_search` for PostgreSQL.
    case automatic
    /// Exact search (a full scan on PostgreSQL: slow on large spaces, used by tests and the recall monitor).
    case exact
    /// Approximate search through the HNSW index with this candidate list size (`hnsw.ef_search`,
    /// 1…1000). Stores without an approximate index search exactly.
    case approximate(efSearch: Int)
}

/// One nearest-neighbour query against one space and one or more vector kinds.
public struct VectorQuery: Sendable {
    /// Space name.
    public var space: String
    /// Kinds searched; the best score per asset across them wins.
    public var kinds: Set<VectorKind>
    /// Query vector; normalised by the store (a zero vector is rejected).
    public var vector: [Float]
    /// Number of distinct assets wanted (≥ 1).
    public var k: Int
    /// Metadata restriction.
    public var filter: AssetFilter
    /// Assets never returned (e.g. the query asset in "find similar").
    public var excluding: Set<AssetID>
    /// Exact or approximate.
    public var mode: SearchMode

    public init(
        space: String, kinds: Set<VectorKind>, vector: [Float], k: Int, filter: AssetFilter = AssetFilter(),
        excluding: Set<AssetID> = [], mode: SearchMode = .automatic
    ) {
        self.space = space
        self.kinds = kinds
        self.vector = vector
        self.k = k
        self.filter = filter
        self.excluding = excluding
        self.mode = mode
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
    /// Vector counts per kind (kinds without vectors are absent).
    public var counts: [VectorKind: Int]

    public init(space: EmbeddingSpace, counts: [VectorKind: Int]) {
        self.space = space
        self.counts = counts
    }
}

/// Stores vectors per embedding space and answers k-NN queries aggregated per asset
/// (max over an asset's matching vectors; DESIGN.md, "Embedding spaces").
///
/// Vectors belong to assets: writing vectors for an asset the store does not hold fails with
/// ``StoreError/Code/unknownAsset``, and deleting an asset deletes its vectors.
public protocol VectorIndex: Sendable {
    /// Creates the space if missing; throws ``StoreError/Code/spaceConflict`` if a space of that name exists with
    /// another model, revision or dimension.
    func ensureSpace(_ space: EmbeddingSpace) async throws
    /// Every space with its counts, ordered by name.
    func spaces() async throws -> [SpaceSummary]
    /// Drops a space and its vectors; other spaces are untouched. Unknown names are ignored.
    func dropSpace(named name: String) async throws
    /// Inserts or replaces vectors keyed by (asset, kind, view); normalises them. Rejects wrong dimensions,
    /// NaN/Inf and zero vectors, and unknown assets; a batch is written entirely or not at all.
    func upsert(space: String, _ records: [VectorRecord]) async throws
    /// Removes the vectors of these assets from one space (all kinds), e.g. before re-embedding fewer views.
    func deleteVectors(space: String, of assets: [AssetID]) async throws
    /// The k best assets for the query, best first; ties broken by asset id.
    func search(_ query: VectorQuery) async throws -> [VectorHit]
    /// Every vector an asset owns in a space (used by "find similar"), ordered by kind and view.
    func vectors(of asset: AssetID, space: String) async throws -> [VectorRecord]
    /// The assets that have at least one vector of `kind` in the space (resumable ingestion skips them).
    func assetIDs(withVectorsIn space: String, kind: VectorKind) async throws -> Set<AssetID>
}
