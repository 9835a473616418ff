import AssetCatalog
import Logging
import Synchronization
import VectorStore

extension SearchEngine {
    /// Loaded spaces that hold vectors, with their counts (re-read at most every ``lexicalRefreshInterval``).
    func spaceCapabilities() async throws(SearchError) -> [String: SpaceCapability] {
        guard let vectors, !embedders.isEmpty else { return [:] }
        let now = ContinuousClock.now
        var counts = spaceState.withLock { state -> [String: [VectorKind: Int]]? in
            guard let state, now - state.checkedAt < lexicalRefreshInterval else { return nil }
            return state.counts
        }
        if counts == nil {
            do {
                let summaries = try await vectors.spaces()
                let fresh = Dictionary(
                    summaries.map { ($0.space.name, $0.counts) }, uniquingKeysWith: { first, _ in first })
                spaceState.withLock { $0 = (fresh, now) }
                counts = fresh
            } catch {
                throw Self.storeFailure(error, logger: logger)
            }
        }
        var capabilities: [String: SpaceCapability] = [:]
        for (name, embedder) in embedders {
            guard let kinds = counts?[name], kinds.values.contains(where: { $0 > 0 }) else { continue }
            capabilities[name] = SpaceCapability(embedder: embedder, counts: kinds)
        }
        return capabilities
    }

    /// The query's vector in a space, cached by (space, text).
    func queryVector(space: String, text: String) async throws(SearchError) -> [Float] {
        let key = space + "\u{0}" + text
        if let cached = queryCache.value(for: key) { return cached }
        guard let embedder = embedders[space] else {
            throw SearchError(.unsupported, "space \(space) is not loaded")
        }
        do {
            let vector = try await SearchMetrics.timed("asset3d_query_embedding_seconds", [("space", space)]) {
                try await embedder.embedQuery(text)
            }
            queryCache.insert(vector, for: key)
            return vector
        } catch {
            logger.error("query embedding failed", metadata: ["space": "\(space)", "error": "\(error)"])
            throw SearchError(.unavailable, "the \(space) model could not embed the query; try again shortly")
        }
    }

    /// k-NN hits of one planned source, as a ranked list.
    func vectorList(_ source: PlannedSource, vector: [Float], depth: Int, filter: AssetFilter, excluding: Set<AssetID> = [])
        async throws(SearchError) -> RankedList
    {
        guard let vectors else { throw SearchError(.unsupported, "this store has no vectors") }
        let hits: [VectorHit]
        do {
            hits = try await SearchMetrics.timed("asset3d_search_source_seconds", [("source", source.label)]) {
                try await vectors.search(
                    VectorQuery(
                        space: source.name, kinds: source.kinds, vector: vector, k: depth, filter: filter,
                        excluding: excluding))
            }
        } catch {
            throw Self.storeFailure(error, logger: logger)
        }
        return RankedList(
            source: source.label, weight: weight(of: source.label),
            entries: hits.map {
                .init(
                    assetID: $0.assetID, score: $0.score, rawScore: $0.score,
                    viewIndex: $0.kind == .imageView ? $0.viewIndex : nil)
            })
    }
}
