import AssetCatalog
import Foundation
import Testing
@testable import VectorStore

@Suite("Embedded vector index")
struct EmbeddedVectorTests {
    static let space = EmbeddingSpace(name: "test", modelID: "test/model", revision: "r1", dimension: 24)

    /// 60 assets in 3 categories; 4 views each plus an English text vector.
    static func populate(_ store: EmbeddedStore, seed: UInt64 = 7) async throws -> [VectorRecord] {
        var random = SeededGenerator(seed: seed)
        let categories = ["Kitchen", "Bedroom", "Bathroom"]
        let assets = (0..<60).map { index in
            Fixtures.asset(String(format: "asset-%02d", index), category: categories[index % 3],
                           license: index % 2 == 0 ? "CC0" : "CC-BY")
        }
        try await store.upsert(assets)
        try await store.ensureSpace(space)
        var records: [VectorRecord] = []
        for asset in assets {
            for view in 0..<4 {
                records.append(VectorRecord(assetID: asset.id, kind: .imageView, viewIndex: view,
                                            vector: random.vector(space.dimension)))
            }
            records.append(VectorRecord(assetID: asset.id, kind: .textEN, vector: random.vector(space.dimension)))
        }
        try await store.upsert(space: space.name, records)
        return records
    }

    @Test("Exact search equals the naive reference: max over views, matched view, kinds, filters, exclusions")
    func matchesReference() async throws {
        let directory = try TemporaryDirectory()
        let store = try EmbeddedStore(directory: directory.url)
        let records = try await Self.populate(store)
        var random = SeededGenerator(seed: 99)
        let kitchen = Set((0..<60).filter { $0 % 3 == 0 }.map { AssetID(String(format: "asset-%02d", $0)) })
        for _ in 0..<20 {
            let query = random.vector(Self.space.dimension)
            for kinds in [Set([VectorKind.imageView]), [.textEN], [.imageView, .textEN]] {
                let hits = try await store.search(VectorQuery(space: "test", kinds: kinds, vector: query, k: 7))
                let expected = referenceSearch(records, query: query, kinds: kinds, k: 7)
                #expect(hits.map(\.assetID) == expected.map(\.assetID))
                #expect(hits.map(\.kind) == expected.map(\.kind))
                #expect(hits.map(\.viewIndex) == expected.map(\.viewIndex))
                for (hit, reference) in zip(hits, expected) { #expect(abs(hit.score - reference.score) < 1e-5) }
            }
            let filtered = try await store.search(
                VectorQuery(space: "test", kinds: [.imageView], vector: query, k: 5,
                            filter: AssetFilter(categories: ["kitchen"]), excluding: ["asset-00", "asset-03"]))
            let expected = referenceSearch(records, query: query, kinds: [.imageView], k: 5) {
                kitchen.contains($0) && $0 != "asset-00" && $0 != "asset-03"
            }
            #expect(filtered.map(\.assetID) == expected.map(\.assetID))
        }
    }

    @Test("Memory follows writes: new, replaced and deleted vectors and assets")
    func memoryFollowsWrites() async throws {
        let directory = try TemporaryDirectory()
        let store = try EmbeddedStore(directory: directory.url)
        _ = try await Self.populate(store)
        var random = SeededGenerator(seed: 5)
        let query = unit(random.vector(Self.space.dimension))
        _ = try await store.search(VectorQuery(space: "test", kinds: [.imageView], vector: query, k: 3))

        // A new asset whose view 2 is the query itself must come first, with view 2.
        try await store.upsert([Fixtures.asset("newcomer")])
        try await store.upsert(space: "test", [
            VectorRecord(assetID: "newcomer", kind: .imageView, viewIndex: 2, vector: query.map { $0 * 3 }),
            VectorRecord(assetID: "newcomer", kind: .imageView, viewIndex: 0, vector: random.vector(24)),
        ])
        var hits = try await store.search(VectorQuery(space: "test", kinds: [.imageView], vector: query, k: 3))
        #expect(hits.first?.assetID == "newcomer")
        #expect(hits.first?.viewIndex == 2)
        #expect(abs((hits.first?.score ?? 0) - 1) < 1e-5)

        // Replacing that view moves the asset down.
        try await store.upsert(space: "test", [
            VectorRecord(assetID: "newcomer", kind: .imageView, viewIndex: 2, vector: query.map { -$0 })
        ])
        hits = try await store.search(VectorQuery(space: "test", kinds: [.imageView], vector: query, k: 3))
        #expect(!hits.contains { $0.assetID == "newcomer" })

        // Deleting the current best asset removes it from results; deleting vectors of the next does too.
        let first = try #require(hits.first?.assetID)
        let second = hits[1].assetID
        try await store.delete([first])
        try await store.deleteVectors(space: "test", of: [second])
        hits = try await store.search(VectorQuery(space: "test", kinds: [.imageView], vector: query, k: 3))
        #expect(!hits.contains { $0.assetID == first || $0.assetID == second })

        // A fresh instance (nothing in memory) agrees with the one that followed the writes.
        let fresh = try EmbeddedStore(directory: directory.url)
        for seed in 0..<5 as Range<UInt64> {
            var generator = SeededGenerator(seed: 1_000 + seed)
            let probe = generator.vector(24)
            let query = VectorQuery(space: "test", kinds: [.imageView, .textEN], vector: probe, k: 10)
            #expect(try await store.search(query) == fresh.search(query))
        }
    }

    @Test("Writes by another instance on the same file (another process) are seen by the next search")
    func otherProcessWrites() async throws {
        let directory = try TemporaryDirectory()
        let server = try EmbeddedStore(directory: directory.url)
        _ = try await Self.populate(server)
        let probe = unit(randomVector(seed: 3, 24))
        _ = try await server.search(VectorQuery(space: "test", kinds: [.imageView], vector: probe, k: 1))

        let ingest = try EmbeddedStore(directory: directory.url)
        try await ingest.upsert([Fixtures.asset("from-ingest")])
        try await ingest.upsert(space: "test", [VectorRecord(assetID: "from-ingest", kind: .imageView, vector: probe)])
        let hits = try await server.search(VectorQuery(space: "test", kinds: [.imageView], vector: probe, k: 1))
        #expect(hits.first?.assetID == "from-ingest")

        try await ingest.dropSpace(named: "test")
        let error = await #expect(throws: StoreError.self) {
            try await server.search(VectorQuery(space: "test", kinds: [.imageView], vector: probe, k: 1))
        }
        #expect(error?.code == .unknownSpace)
    }

    @Test("float16 storage rounds once: memory and a reload agree, scores stay within half precision")
    func float16() async throws {
        let directory = try TemporaryDirectory()
        let store = try EmbeddedStore(directory: directory.url, options: .init(vectorEncoding: .float16))
        let records = try await Self.populate(store)
        let stored = try await store.vectors(of: "asset-05", space: "test")
        #expect(stored.count == 5)
        let original = records.filter { $0.assetID == "asset-05" }.sorted {
            ($0.kind.storageCode, $0.viewIndex) < ($1.kind.storageCode, $1.viewIndex)
        }
        for (read, written) in zip(stored, original) {
            for (a, b) in zip(read.vector, unit(written.vector)) { #expect(abs(a - b) < 1e-3) }
        }
        let probe = randomVector(seed: 11, 24)
        let query = VectorQuery(space: "test", kinds: [.imageView], vector: probe, k: 10)
        let before = try await store.search(query)
        let reopened = try EmbeddedStore(directory: directory.url, options: .init(vectorEncoding: .float32))
        #expect(try await reopened.search(query) == before)
        let exact = referenceSearch(records, query: probe, kinds: [.imageView], k: 10)
        for (hit, reference) in zip(before, exact) { #expect(abs(hit.score - reference.score) < 3e-3) }
    }

    @Test("Searches and writes running at once end consistent with the file")
    func concurrentSearchAndWrite() async throws {
        let directory = try TemporaryDirectory()
        let store = try EmbeddedStore(directory: directory.url)
        _ = try await Self.populate(store)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<4 {
                group.addTask { try await Self.writeVectors(store, worker: worker) }
                group.addTask { try await Self.searchRepeatedly(store, seed: UInt64(worker)) }
            }
            for try await done in group { #expect(done == 20) }
        }
        let fresh = try EmbeddedStore(directory: directory.url)
        for seed in 0..<5 as Range<UInt64> {
            let query = VectorQuery(space: "test", kinds: [.imageView], vector: randomVector(seed: seed, 24), k: 15)
            #expect(try await store.search(query) == fresh.search(query))
        }
        #expect(try await store.assetCount() == 60 + 4 * 20)
    }

    private static func writeVectors(_ store: EmbeddedStore, worker: Int) async throws -> Int {
        var random = SeededGenerator(seed: UInt64(100 + worker))
        for step in 0..<20 {
            let id = AssetID("w\(worker)-\(step)")
            try await store.upsert([Fixtures.asset(id.rawValue)])
            try await store.upsert(space: "test", (0..<3).map {
                VectorRecord(assetID: id, kind: .imageView, viewIndex: $0, vector: random.vector(24))
            })
        }
        return 20
    }

    private static func searchRepeatedly(_ store: EmbeddedStore, seed: UInt64) async throws -> Int {
        var random = SeededGenerator(seed: seed)
        for _ in 0..<20 {
            let hits = try await store.search(VectorQuery(space: "test", kinds: [.imageView], vector: random.vector(24), k: 5))
            #expect(hits.count == 5)
        }
        return 20
    }
}
