import AssetCatalog
import Foundation
import Synchronization
import Testing
import RetrievalTestSupport
import VectorStore

@testable import Retrieval

/// The engine over a real embedded store with hand-made vectors whose rankings are known.
@Suite struct SearchEngineTests {
    func engine(_ fixture: EngineFixture, embedder: ToyEmbedder = ToyEmbedder()) -> SearchEngine {
        SearchEngine(store: fixture.store, vectors: fixture.store, embedders: [embedder], lexicalRefreshInterval: .zero)
    }

    func ids(_ response: SearchResponse) -> [String] { response.hits.map(\.asset.id.rawValue) }

    @Test func spaceSearchRanksByCosineAndRemembersQueries() async throws {
        let fixture = try await EngineFixture()
        defer { fixture.cleanUp() }
        let toy = ToyEmbedder()
        let engine = engine(fixture, embedder: toy)
        let response = try await engine.search(TextSearchRequest(query: "a comfy chair", algorithm: "toy", topK: 2))
        #expect(ids(response) == ["chair-a", "chair-b"])
        #expect(response.hits.allSatisfy { abs($0.similarity - 1) < 1e-5 })
        #expect(response.algorithm == "toy")
        #expect(response.hasMore)
        _ = try await engine.search(TextSearchRequest(query: "a comfy chair", algorithm: "toy", topK: 2))
        #expect(toy.calls.withLock { $0 } == 1)  // the second query came from the cache
    }

    @Test func autoFusesLexicalAndSpacesWithReciprocalRanks() async throws {
        let fixture = try await EngineFixture()
        defer { fixture.cleanUp() }
        let response = try await engine(fixture).search(TextSearchRequest(query: "office chair", topK: 5))
        #expect(response.algorithm == "hybrid(lexical+toy)")
        // Lexical ranks chair-a (both words) first and chair-b second; toy ties them (ids break the tie).
        #expect(ids(response).prefix(2) == ["chair-a", "chair-b"])
        let first = try #require(response.hits.first)
        #expect(first.scores.keys.sorted() == ["lexical", "toy"])
        #expect(abs(first.similarity - 1) < 1e-5)  // first in every list
        #expect(zip(response.hits, response.hits.dropFirst()).allSatisfy { $0.similarity >= $1.similarity })
    }

    @Test func crossModalMatchesViewsAndReportsTheMatchedView() async throws {
        let fixture = try await EngineFixture()
        defer { fixture.cleanUp() }
        let response = try await engine(fixture).search(
            TextSearchRequest(query: "chair", algorithm: "toy", crossModal: true, topK: 3))
        #expect(ids(response) == ["chair-a", "chair-b", "sofa-a"])
        #expect(response.hits[0].matchedView?.index == 2)
        #expect(response.hits[1].matchedView?.index == 0)
        #expect(response.hits[2].matchedView?.index == 1)
        #expect(response.algorithm == "toy:image")
    }

    @Test func imageQueriesUseViewsOrCaptions() async throws {
        let fixture = try await EngineFixture()
        defer { fixture.cleanUp() }
        let engine = engine(fixture)
        let red = ToyEmbedder.image((255, 0, 0))
        let inner = try await engine.search(ImageSearchRequest(image: red, algorithm: "toy", topK: 2))
        #expect(ids(inner) == ["chair-a", "chair-b"])
        #expect(inner.hits[0].matchedView?.index == 2)
        let cross = try await engine.search(ImageSearchRequest(image: ToyEmbedder.image((0, 0, 255)), mode: .cross, topK: 1))
        #expect(ids(cross) == ["lamp-a"])
        await #expect(throws: SearchError.self) {
            _ = try await engine.search(ImageSearchRequest(image: red, algorithm: "lexical"))
        }
    }

    @Test func filtersApplyToEverySource() async throws {
        let fixture = try await EngineFixture()
        defer { fixture.cleanUp() }
        let engine = engine(fixture)
        let kitchen = AssetFilter(categories: ["kitchen"])
        let response = try await engine.search(TextSearchRequest(query: "chair", topK: 10, filter: kitchen))
        #expect(Set(ids(response)).isSubset(of: ["chair-b", "table-a"]))
        #expect(ids(response).first == "chair-b")
        let small = try await engine.search(
            TextSearchRequest(query: "chair", algorithm: "toy", topK: 10, filter: AssetFilter(maxSize: 50)))
        #expect(ids(small) == ["chair-b"])
    }

    @Test func pagesAreStableAndDisjoint() async throws {
        let fixture = try await EngineFixture()
        defer { fixture.cleanUp() }
        let engine = engine(fixture)
        let all = try await engine.search(TextSearchRequest(query: "chair sofa lamp table", topK: 10))
        var paged: [String] = []
        for page in 0..<5 {
            let response = try await engine.search(TextSearchRequest(query: "chair sofa lamp table", topK: 1, page: page))
            paged += ids(response)
            #expect(response.hasMore == (page < ids(all).count - 1))
        }
        #expect(paged == ids(all))
        #expect(Set(paged).count == paged.count)
    }

    @Test func similarExcludesTheAssetItself() async throws {
        let fixture = try await EngineFixture()
        defer { fixture.cleanUp() }
        let engine = engine(fixture)
        let response = try await engine.similar(SimilarRequest(assetID: "chair-a", algorithm: "toy", topK: 3))
        #expect(!ids(response).contains("chair-a"))
        #expect(ids(response).first == "sofa-a")  // its view 1 (0.2, 0.98) is closest to chair-a's view 0
        #expect(response.algorithm == "toy:image")
        await #expect(throws: SearchError.self) {
            _ = try await engine.similar(SimilarRequest(assetID: "missing"))
        }
    }

    @Test func spacesThatCannotServeAreSkippedOrRefused() async throws {
        let fixture = try await EngineFixture()
        defer { fixture.cleanUp() }
        let engine = engine(fixture)
        // Automatic: the English-only space is skipped and named; lexical answers.
        let auto = try await engine.search(TextSearchRequest(query: "沙发", topK: 3))
        #expect(ids(auto).first == "sofa-a")
        #expect(auto.algorithm == "lexical")
        #expect(auto.skipped["toy"]?.contains("English only") == true)
        // Explicit: the caller's mistake.
        await #expect {
            _ = try await engine.search(TextSearchRequest(query: "沙发", algorithm: "toy"))
        } throws: { ($0 as? SearchError)?.code == .unsupported }
        await #expect {
            _ = try await engine.search(TextSearchRequest(query: "sofa", algorithm: "siglip"))
        } throws: { ($0 as? SearchError)?.code == .unsupported }
        await #expect {
            _ = try await engine.search(TextSearchRequest(query: "sofa", algorithm: "nonsense"))
        } throws: { ($0 as? SearchError)?.code == .unknownAlgorithm }
        #expect(await engine.availableAlgorithms() == ["lexical", "toy"])
    }
}

@Suite struct RankFusionTests {
    @Test func reciprocalRankFusionOrderAndNormalisation() {
        func list(_ source: String, _ ids: [String]) -> RankedList {
            RankedList(source: source, weight: 1, entries: ids.map { .init(assetID: AssetID($0), score: 0.5, rawScore: 0.5) })
        }
        let fused = RankFusion.fuse([list("a", ["x", "y", "z"]), list("b", ["y", "x"])])
        #expect(fused.map(\.assetID.rawValue) == ["x", "y", "z"])  // x: 1/61+1/62 = y: 1/62+1/61; tie → id
        // Normalised by the best possible score (first in both lists).
        #expect(abs(fused[0].similarity - (1.0 / 61 + 1.0 / 62) / (2.0 / 61)) < 1e-6)
        #expect(fused[2].scores.keys.sorted() == ["a"])
        let weighted = RankFusion.fuse([
            RankedList(source: "a", weight: 1, entries: [.init(assetID: "x", score: 1, rawScore: 1)]),
            RankedList(source: "b", weight: 3, entries: [.init(assetID: "y", score: 1, rawScore: 1)]),
        ])
        #expect(weighted.map(\.assetID.rawValue) == ["y", "x"])
    }
}

@Suite struct LRUCacheTests {
    @Test func evictsTheLeastRecentlyUsed() {
        let cache = LRUCache<String, Int>(capacity: 8)
        for i in 0..<8 { cache.insert(i, for: "k\(i)") }
        _ = cache.value(for: "k0")  // k0 is now recent
        cache.insert(8, for: "k8")
        #expect(cache.count <= 8)
        #expect(cache.value(for: "k0") == 0)
        #expect(cache.value(for: "k8") == 8)
        #expect(cache.value(for: "k1") == nil)
    }
}
