import AssetCatalog
import Foundation
import Retrieval
import RetrievalTestSupport
import Synchronization
import Testing
import VectorStore

/// An asset store that counts full catalog reads (first pages), around a real embedded store.
final class ReadCountingStore: AssetStore {
    let inner: EmbeddedStore
    let fullReads = Mutex(0)

    init(_ inner: EmbeddedStore) { self.inner = inner }

    func upsert(_ assets: [Asset]) async throws { try await inner.upsert(assets) }
    func asset(_ id: AssetID) async throws -> Asset? { try await inner.asset(id) }
    func assets(_ ids: [AssetID]) async throws -> [AssetID: Asset] { try await inner.assets(ids) }
    func assets(after cursor: AssetID?, limit: Int) async throws -> [Asset] {
        if cursor == nil { fullReads.withLock { $0 += 1 } }
        return try await inner.assets(after: cursor, limit: limit)
    }
    func assetCount() async throws -> Int { try await inner.assetCount() }
    func delete(_ ids: [AssetID]) async throws { try await inner.delete(ids) }
}

/// The lexical index under concurrent queries and catalog changes.
@Suite struct LexicalRefreshTests {
    @Test func concurrentFirstQueriesShareOneIndexBuild() async throws {
        let fixture = try await EngineFixture()
        defer { fixture.cleanUp() }
        let store = ReadCountingStore(fixture.store)
        let engine = SearchEngine(store: store, lexicalRefreshInterval: .seconds(3600))
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<16 {
                group.addTask { try await engine.search(TextSearchRequest(query: "chair", algorithm: "lexical")).hits.count }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 2, count: 16))
        #expect(store.fullReads.withLock { $0 } == 1)
    }

    @Test func newAssetsAreSeenAfterTheRefreshInterval() async throws {
        let fixture = try await EngineFixture()
        defer { fixture.cleanUp() }
        let store = ReadCountingStore(fixture.store)
        let engine = SearchEngine(store: store, lexicalRefreshInterval: .zero)
        #expect(try await engine.search(TextSearchRequest(query: "stool", algorithm: "lexical")).hits.isEmpty)
        try await store.upsert([EngineFixture.asset("stool-a", "Bar stool", category: "Kitchen", root: fixture.root)])
        let hits = try await engine.search(TextSearchRequest(query: "stool", algorithm: "lexical")).hits
        #expect(hits.map(\.asset.id) == ["stool-a"])
        // Unchanged catalog: the count check keeps the index, no second rebuild.
        _ = try await engine.search(TextSearchRequest(query: "stool", algorithm: "lexical"))
        #expect(store.fullReads.withLock { $0 } == 2)
    }
}
