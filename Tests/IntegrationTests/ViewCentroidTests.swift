import AssetCatalog
import Foundation
import Logging
import PostgresNIO
import Testing
@testable import VectorStore

/// The PostgreSQL store's per-asset view centroids (`ViewCentroids`): kept by upserts and deletes, searched
/// first, older spaces backfilled when their indexes are built.
@Suite("PostgreSQL view centroids")
struct ViewCentroidTests {
    @Test("Upserts keep each asset's centroid = normalised mean of its views; deletes remove it; reads never show it")
    func maintained() async throws {
        try await TestDatabase.withStore { store in
            let space = EmbeddingSpace(name: "cent", modelID: "test/cent", dimension: 16)
            var random = SeededGenerator(seed: 5)
            let assets = (0..<6).map { testAsset(String(format: "c%02d", $0)) }
            try await store.upsert(assets)
            try await store.ensureSpace(space)
            var views: [String: [[Float]]] = [:]
            var records: [VectorRecord] = []
            for asset in assets {
                views[asset.id.rawValue] = (0..<3).map { _ in unit(random.vector(16)) }
                for (index, vector) in views[asset.id.rawValue]!.enumerated() {
                    records.append(VectorRecord(assetID: asset.id, kind: .imageView, viewIndex: index, vector: vector))
                }
            }
            records.append(VectorRecord(assetID: "c00", kind: .textEN, viewIndex: 0, vector: unit(random.vector(16))))
            try await store.upsert(space: "cent", records)
            #expect(try await centroids(in: store).keys.sorted() == assets.map(\.id.rawValue))

            // Replacing one view moves that asset's centroid, and only that one.
            let before = try await centroids(in: store)
            let replacement = unit(random.vector(16))
            views["c02"]![1] = replacement
            try await store.upsert(space: "cent", [VectorRecord(assetID: "c02", kind: .imageView, viewIndex: 1, vector: replacement)])
            let after = try await centroids(in: store)
            for (asset, assetViews) in views {
                let expected = unit((0..<16).map { component in assetViews.reduce(0) { $0 + $1[component] } / 3 })
                let stored = try #require(after[asset])
                #expect(zip(stored, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(asset)")
            }
            #expect(after["c03"] == before["c03"] && after["c02"] != before["c02"])

            // Reads show the stored kinds only; counts too.
            #expect(try await store.vectors(of: "c00", space: "cent").map(\.kind) == [.textEN, .imageView, .imageView, .imageView])
            let summary = try #require(try await store.spaces().first { $0.space.name == "cent" })
            #expect(summary.counts == [.textEN: 1, .imageView: 18])

            try await store.deleteVectors(space: "cent", of: ["c04"])
            #expect(try await centroids(in: store)["c04"] == nil)
        }
    }

    @Test("An unfiltered search walks the centroids' index and returns exact best-view scores")
    func searchedFirst() async throws {
        try await TestDatabase.withStore { store in
            let dimension = 48
            let space = EmbeddingSpace(name: "walk", modelID: "test/walk", dimension: dimension)
            var random = SeededGenerator(seed: 17)
            let assets = (0..<400).map { testAsset(String(format: "w%04d", $0)) }
            try await store.upsert(assets)
            try await store.ensureSpace(space)
            // 20 clusters; 4 views per asset near the asset's own direction (cosine ≈ 0.96).
            let centres = (0..<20).map { _ in unit(random.vector(dimension)) }
            var assetVectors: [[Float]] = []
            var records: [VectorRecord] = []
            for (index, asset) in assets.enumerated() {
                let base = unit(zip(centres[index % 20], unit(random.vector(dimension))).map { $0 + 0.8 * $1 })
                assetVectors.append(base)
                for view in 0..<4 {
                    let vector = unit(zip(base, unit(random.vector(dimension))).map { $0 + 0.3 * $1 })
                    records.append(VectorRecord(assetID: asset.id, kind: .imageView, viewIndex: view, vector: vector))
                }
            }
            try await store.upsert(space: "walk", records)
            try await store.buildIndexes(space: "walk")

            let probe = unit(zip(assetVectors[7], unit(random.vector(dimension))).map { $0 + 0.5 * $1 })
            let plan = try await store.explainSearch(VectorQuery(space: "walk", kinds: [.imageView], vector: probe, k: 10))
            #expect(plan.contains("Index Scan using vectors_1_hnsw_15") && plan.contains("vectors_1_pkey"), "\(plan)")

            for number in 0..<8 {
                let query = unit(zip(assetVectors[number * 41], unit(random.vector(dimension))).map { $0 + 0.5 * $1 })
                let excluded: Set<AssetID> = number == 3 ? [AssetID(String(format: "w%04d", number * 41))] : []
                let approximate = try await store.search(VectorQuery(
                    space: "walk", kinds: [.imageView], vector: query, k: 10, excluding: excluded,
                    mode: .approximate(efSearch: 200)))
                let exact = try await store.search(VectorQuery(
                    space: "walk", kinds: [.imageView], vector: query, k: 10, excluding: excluded, mode: .exact))
                // A small graph walked with a wide beam: the same assets, views and (bit-identical) scores.
                #expect(approximate == exact, "query \(number)")
                #expect(approximate.count == 10 && !approximate.contains { excluded.contains($0.assetID) })
            }
        }
    }

    @Test("A space from before centroids searches its views until its indexes are built, which backfills them")
    func backfilled() async throws {
        let configuration = try TestDatabase.configuration()
        let space = EmbeddingSpace(name: "old", modelID: "test/old", dimension: 8)
        var random = SeededGenerator(seed: 23)
        // Two agreeing views per asset (cosine ≈ 0.99), so the centroids are worth walking once they exist.
        let records = (0..<30).flatMap { asset in
            let base = unit(random.vector(8))
            return (0..<2).map { view in
                VectorRecord(assetID: AssetID("o\(asset)"), kind: .imageView, viewIndex: view,
                             vector: unit(zip(base, unit(random.vector(8))).map { $0 + 0.1 * $1 }))
            }
        }
        // Set up, then turn the space into one from before view centroids.
        try await TestDatabase.withStore({ $0 = configuration }) { store in
            try await store.upsert((0..<30).map { testAsset("o\($0)") })
            try await store.ensureSpace(space)
            try await store.upsert(space: "old", records)
            try await store.withConnection("aging the space") { connection in
                try await connection.query("DELETE FROM \(unescaped: store.names.vectors(1)) WHERE kind = 15", logger: store.logger)
                try await connection.query("UPDATE \(unescaped: store.names.spaces) SET view_centroids = FALSE", logger: store.logger)
            }
            // A fresh store instance on the same schema sees the old space as such.
            let older = try PostgresStore(configuration: configuration, logger: Logger(label: "test"))
            try await older.withRunning { older in
                let probe = records[9].vector
                let query = VectorQuery(space: "old", kinds: [.imageView], vector: probe, k: 5, mode: .approximate(efSearch: 100))
                #expect(try await older.search(query).first?.assetID == "o4")
                // (30 centroids: the planner sorts them rather than walking their graph, so the plan names the
                // centroid kind, not necessarily its index.)
                #expect(!(try await older.explainSearch(query)).contains("kind = 15"))
                try await older.buildIndexes(space: "old")
                #expect(try await centroids(in: older).count == 30)
                let walked = try await older.explainSearch(query)
                #expect(walked.contains("kind = 15"), "\(walked)")
                #expect(try await older.search(query).first?.assetID == "o4")
            }
        }
    }

    @Test("halfvec spaces (over 2,000 dimensions) average and normalise their centroids too")
    func halfvecCentroids() async throws {
        try await TestDatabase.withStore { store in
            let space = EmbeddingSpace(name: "wide", modelID: "test/wide", dimension: 2_048)
            var random = SeededGenerator(seed: 29)
            try await store.upsert([testAsset("h0")])
            try await store.ensureSpace(space)
            let views = (0..<2).map { _ in unit(random.vector(2_048)) }
            try await store.upsert(space: "wide", views.enumerated().map {
                VectorRecord(assetID: "h0", kind: .imageView, viewIndex: $0.offset, vector: $0.element)
            })
            let stored = try #require(try await centroids(in: store)["h0"])
            let expected = unit((0..<2_048).map { (views[0][$0] + views[1][$0]) / 2 })
            #expect(zip(stored, expected).allSatisfy { abs($0 - $1) < 2e-3 })  // half precision
        }
    }

    /// Centroid rows of the store's first space, by asset.
    private func centroids(in store: PostgresStore) async throws -> [String: [Float]] {
        try await store.withConnection("reading centroids") { connection in
            let rows = try await connection.query(
                "SELECT asset_id, embedding::vector FROM \(unescaped: store.names.vectors(1)) WHERE kind = 15",
                logger: store.logger)
            var result: [String: [Float]] = [:]
            for try await (asset, vector) in rows.decode((String, PGVector).self) { result[asset] = vector.components }
            return result
        }
    }
}
