import AssetCatalog
import Logging
import Synchronization
import VectorStore

extension SearchEngine {
    /// The lexical index, rebuilt when the store's asset count changed (checked at most every
    /// ``lexicalRefreshInterval``).
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


    /// Lexical hits for a request, filtered.
    func lexicalList(_ query: String, depth: Int, filter: AssetFilter) async throws(SearchError) -> RankedList {
        let snapshot = try await lexicalSnapshot()
        let start = ContinuousClock.now
        defer { SearchMetrics.record("asset3d_search_source_seconds", [("source", Self.lexical)], since: start) }
        let hits = snapshot.index.search(query, limit: depth) { id in
            guard !filter.isEmpty else { return true }
            guard let fields = snapshot.filterFields[id] else { return false }
            return filter.matches(
                library: fields.library, category: fields.category, license: fields.license,
                largestSide: fields.largestSide)
        }
        return RankedList(
            source: Self.lexical, weight: weight(of: Self.lexical),
            entries: hits.map { .init(assetID: $0.assetID, score: $0.normalizedScore, rawScore: $0.score) })
    }
}
