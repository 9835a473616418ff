import AssetCatalog
import Foundation
import Logging
import NIOCore
import PostgresNIO
import Testing
@testable import VectorStore

@Suite("PostgreSQL store")
struct PostgresStoreTests {
    @Test("Our binary codec matches pgvector's own text form for vector and halfvec")
    func codec() async throws {
        try await TestDatabase.withStore { store in
            let values: [Float] = [0.5, -1.25, 3, 0, 1e-3, 65_504]
            let text = try await store.withConnection("codec") { connection in
                let rows = try await connection.query(
                    """
                    SELECT \(PGVector(values))::vector(6)::text,
                           \(PGVector(values, format: .halfvec))::halfvec(6)::text,
                           \(PGVector(values))::vector(6)::halfvec(6)::vector(6)
                    """, logger: store.logger)
                var result: [(String, String, PGVector)] = []
                for try await row in rows.decode((String, String, PGVector).self) { result.append(row) }
                return result.map { "\($0.0) \($0.1) \($0.2.components)" }
            }
            #expect(text == ["[0.5,-1.25,3,0,0.001,65504] [0.5,-1.25,3,0,0.0010004044,65504] [0.5, -1.25, 3.0, 0.0, 0.0010004044, 65504.0]"])
        }
    }

    @Test("A 2,048-d space uses halfvec, indexes it with HNSW and round-trips vectors within half precision")
    func halfvecSpace() async throws {
        try await TestDatabase.withStore { store in
            let space = EmbeddingSpace(name: "qwen", modelID: "Qwen/Qwen3-VL-Embedding-2B", dimension: 2_048)
            try await store.upsert((0..<20).map { testAsset("q\($0)") })
            try await store.ensureSpace(space)
            let records = (0..<20).map {
                VectorRecord(assetID: AssetID("q\($0)"), kind: .imageFused, vector: randomVector(seed: UInt64($0), 2_048))
            }
            try await store.upsert(space: "qwen", records)
            let stored = try await store.vectors(of: "q7", space: "qwen")
            for (a, b) in zip(try #require(stored.first).vector, unit(records[7].vector)) { #expect(abs(a - b) < 2e-4) }
            let hits = try await store.search(
                VectorQuery(space: "qwen", kinds: [.imageFused], vector: records[7].vector, k: 3))
            #expect(hits.first?.assetID == "q7")
            #expect(abs((hits.first?.score ?? 0) - 1) < 1e-3)
            let columnType = try await store.withConnection("type") { connection in
                let rows = try await connection.query(
                    """
                    SELECT format_type(atttypid, atttypmod) FROM pg_attribute
                    WHERE attrelid = \(store.names.vectors(1))::regclass AND attname = 'embedding'
                    """, logger: store.logger)
                for try await type in rows.decode(String.self) { return type }
                return ""
            }
            #expect(columnType == "halfvec(2048)")
        }
    }

    @Test("Searches walk the kind's HNSW index, also with filters; exact mode scans the table")
    func explainShowsIndexScan() async throws {
        // exactFilterLimit 0: filtered searches walk the graph however selective the filter is.
        try await TestDatabase.withStore({ $0.exactFilterLimit = 0 }) { store in
            let space = EmbeddingSpace(name: "plan", modelID: "test/plan", dimension: 64)
            var random = SeededGenerator(seed: 42)
            let assets = (0..<2_000).map { testAsset(String(format: "e%04d", $0), category: $0 % 20 == 0 ? "Rare" : "Common") }
            try await store.upsert(assets)
            try await store.ensureSpace(space)
            var records: [VectorRecord] = []
            for asset in assets {
                for view in 0..<4 {
                    records.append(VectorRecord(assetID: asset.id, kind: .imageView, viewIndex: view, vector: random.vector(64)))
                }
            }
            try await store.upsert(space: "plan", records)
            try await store.buildIndexes(space: "plan")  // also ANALYZEs

            let probe = random.vector(64)
            // Random views do not agree with their centroid (cosine ≈ 0.5), so searches walk the views' own
            // index (ViewCentroidTests has the centroid walk).
            let plain = try await store.explainSearch(VectorQuery(space: "plan", kinds: [.imageView], vector: probe, k: 10))
            #expect(plain.contains("Index Scan using vectors_1_hnsw_3"), "\(plain)")
            let filtered = try await store.explainSearch(VectorQuery(
                space: "plan", kinds: [.imageView], vector: probe, k: 10, filter: AssetFilter(categories: ["rare"]),
                excluding: ["e0000"]))
            #expect(filtered.contains("Index Scan using vectors_1_hnsw_3"), "\(filtered)")
            let exact = try await store.explainSearch(
                VectorQuery(space: "plan", kinds: [.imageView], vector: probe, k: 10, mode: .exact))
            #expect(!exact.contains("hnsw") && exact.contains("Seq Scan"), "\(exact)")

            // The 5 % filter still yields k assets (iterative scan), all of the category, none excluded.
            let hits = try await store.search(VectorQuery(
                space: "plan", kinds: [.imageView], vector: probe, k: 10, filter: AssetFilter(categories: ["rare"]),
                excluding: ["e0000"], mode: .approximate(efSearch: 40)))
            #expect(hits.count == 10)
            #expect(hits.allSatisfy { Int($0.assetID.rawValue.dropFirst())! % 20 == 0 && $0.assetID != "e0000" })
            // Per-asset aggregation: 10 distinct assets even though each has 4 views competing for the list.
            #expect(Set(hits.map(\.assetID)).count == 10)
            let many = try await store.search(
                VectorQuery(space: "plan", kinds: [.imageView], vector: probe, k: 100, mode: .approximate(efSearch: 40)))
            #expect(Set(many.map(\.assetID)).count == 100)

            // The recall monitor: on this small index a generous ef_search finds (nearly) every exact neighbour.
            let reports = try await store.recallReports(space: "plan", queries: 15, efSearch: 400)
            #expect(reports.map(\.kind) == [.imageView])
            #expect(reports.first?.queries == 15)
            #expect((reports.first?.recall ?? 0) >= 0.95)
            let overall = try await store.recall(space: "plan", queries: 10)
            #expect(overall > 0.5 && overall <= 1)
            let unknown = await #expect(throws: StoreError.self) { try await store.recallReports(space: "nope") }
            #expect(unknown?.code == .unknownSpace)
            let empty = EmbeddingSpace(name: "empty", modelID: "test/empty", dimension: 8)
            try await store.ensureSpace(empty)
            #expect(try await store.recallReports(space: "empty").isEmpty)
        }
    }

    @Test("Migrations are idempotent and a newer schema is refused")
    func migrations() async throws {
        try await TestDatabase.withStore { store in
            try await store.migrate()
            async let first: Void = store.migrate()
            async let second: Void = store.migrate()
            _ = try await (first, second)
            try await store.withConnection("future") { connection in
                try await connection.query(
                    "INSERT INTO \(unescaped: store.names.migrations) (version, name) VALUES (999, 'future')",
                    logger: store.logger)
            }
            let error = await #expect(throws: StoreError.self) { try await store.migrate() }
            #expect(error?.code == .incompatibleData)
        }
    }

    @Test("A selective filter is answered exactly even in approximate mode")
    func selectiveFilterIsExact() async throws {
        try await TestDatabase.withStore { store in
            let space = EmbeddingSpace(name: "sel", modelID: "test/sel", dimension: 16)
            var random = SeededGenerator(seed: 8)
            let assets = (0..<600).map { testAsset(String(format: "s%03d", $0), category: $0 % 20 == 3 ? "Rare" : "Common") }
            try await store.upsert(assets)
            try await store.ensureSpace(space)
            let records = assets.flatMap { asset in
                (0..<3).map { VectorRecord(assetID: asset.id, kind: .imageView, viewIndex: $0, vector: random.vector(16)) }
            }
            try await store.upsert(space: "sel", records)
            try await store.buildIndexes(space: "sel")
            for _ in 0..<5 {
                let probe = random.vector(16)
                let filter = AssetFilter(categories: ["Rare"])
                let approximate = try await store.search(VectorQuery(
                    space: "sel", kinds: [.imageView], vector: probe, k: 10, filter: filter, mode: .approximate(efSearch: 10)))
                let expected = referenceSearch(records, query: probe, kinds: [.imageView], k: 10) {
                    Int($0.rawValue.dropFirst()).map { $0 % 20 == 3 } ?? false
                }
                #expect(approximate.map(\.assetID) == expected.map(\.assetID))
            }
        }
    }
}
