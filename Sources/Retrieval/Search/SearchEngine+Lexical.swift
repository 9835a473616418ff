import AssetCatalog
import Logging
import Synchronization
import VectorStore

extension SearchEngine {
    /// The lexical index, rebuilt when the store's asset count changed (checked at most every
    /// ``lexicalRefreshInterval``). Concurrent callers wait for one shared refresh.
    func lexicalSnapshot() async throws(SearchError) -> LexicalSnapshot {
        let now = ContinuousClock.now
        let interval = lexicalRefreshInterval
        enum Next { case ready(LexicalSnapshot), wait(Task<LexicalSnapshot, any Error>) }
        let next = lexicalState.withLock { state -> Next in
            if let snapshot = state.snapshot, now - snapshot.checkedAt < interval { return .ready(snapshot) }
            if let running = state.refresh { return .wait(running) }
            let previous = state.snapshot
            let generation = state.generation
            let task = Task { try await self.refreshLexicalSnapshot(previous: previous, generation: generation) }
            state.refresh = task
            return .wait(task)
        }
        switch next {
        case .ready(let snapshot):
            return snapshot
        case .wait(let refresh):
            do {
                return try await refresh.value
            } catch {
                throw Self.storeFailure(error, logger: logger)
            }
        }
    }

    /// Checks the store and rebuilds the index when its asset count changed; installs the result unless
    /// the index was invalidated meanwhile.
    private func refreshLexicalSnapshot(previous: LexicalSnapshot?, generation: Int) async throws -> LexicalSnapshot {
        let now = ContinuousClock.now
        do {
            var snapshot: LexicalSnapshot
            if var previous, try await store.assetCount() == previous.index.count {
                previous.checkedAt = now
                snapshot = previous
            } else {
                let assets = try await store.allAssets()
                snapshot = LexicalSnapshot(
                    index: LexicalIndex(assets: assets),
                    filterFields: Dictionary(
                        assets.map {
                            ($0.id,
                             FilterFields(library: $0.library, category: $0.category, license: $0.license,
                                          largestSide: $0.dimensions?.largestSide))
                        }, uniquingKeysWith: { first, _ in first }),
                    builtAt: now, checkedAt: now)
                logger.debug("lexical index built", metadata: ["assets": "\(assets.count)"])
            }
            lexicalState.withLock { state in
                guard state.generation == generation else { return }
                state.snapshot = snapshot
                state.refresh = nil
            }
            return snapshot
        } catch {
            lexicalState.withLock { state in
                if state.generation == generation { state.refresh = nil }
            }
            throw error
        }
    }

    /// Builds the lexical index now (a server calls this at start-up, so the first queries do not wait
    /// for it); returns the number of assets indexed.
    public func prepareLexicalIndex() async throws(SearchError) -> Int {
        try await lexicalSnapshot().index.count
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
