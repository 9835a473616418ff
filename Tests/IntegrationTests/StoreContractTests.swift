import AssetCatalog
import Foundation
import Testing
@testable import VectorStore

/// The two stores behind one contract.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case embedded, postgres

    var testDescription: String { rawValue }

    /// Runs `body` with a fresh, empty store of this kind.
    func withStore<T: Sendable>(_ body: @Sendable (any AssetStore & VectorIndex) async throws -> T) async throws -> T {
        switch self {
        case .embedded:
            let directory = try TemporaryDirectory()
            let store = try EmbeddedStore(directory: directory.url)
            let result = try await body(store)
            withExtendedLifetime(directory) {}
            return result
        case .postgres:
            return try await TestDatabase.withStore { store in try await body(store) }
        }
    }
}

/// One contract, run against both stores: every test takes the store kind as its argument.
@Suite("Store contract")
struct StoreContractTests {
    static let space = EmbeddingSpace(name: "contract", modelID: "test/model", revision: "r1", dimension: 32)
    static let categories = ["Kitchen", "Bedroom", "Bathroom", "Office"]

    /// 80 assets, 4 categories, 2 licenses, 2 libraries; 3 views and an English caption vector each.
    static func populate(_ store: any AssetStore & VectorIndex) async throws -> [VectorRecord] {
        var random = SeededGenerator(seed: 2024)
        var assets: [Asset] = []
        for index in 0..<80 {
            let library = index < 40 ? "lib/one" : "lib/two"
            let license = index % 2 == 0 ? "CC0" : "CC-BY"
            let id = String(format: "a%03d", index)
            assets.append(testAsset(id, library: library, category: categories[index % 4], license: license,
                                    size: Double(50 + index)))
        }
        try await store.upsert(assets)
        try await store.ensureSpace(space)
        var records: [VectorRecord] = []
        for asset in assets {
            for view in 0..<3 {
                records.append(VectorRecord(assetID: asset.id, kind: .imageView, viewIndex: view,
                                            vector: random.vector(space.dimension)))
            }
            records.append(VectorRecord(assetID: asset.id, kind: .textEN, vector: random.vector(space.dimension)))
        }
        try await store.upsert(space: space.name, records)
        return records
    }

    @Test("Exact search equals the naive reference", arguments: StoreKind.allCases)
    func exactSearch(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let records = try await Self.populate(store)
            for seed in 0..<12 as Range<UInt64> {
                let probe = randomVector(seed: 500 + seed, 32)
                for kinds in [Set([VectorKind.imageView]), [.textEN], [.imageView, .textEN]] {
                    let hits = try await store.search(
                        VectorQuery(space: "contract", kinds: kinds, vector: probe, k: 8, mode: .exact))
                    let expected = referenceSearch(records, query: probe, kinds: kinds, k: 8)
                    #expect(hits.map(\.assetID) == expected.map(\.assetID))
                    #expect(hits.map(\.viewIndex) == expected.map(\.viewIndex))
                    #expect(hits.map(\.kind) == expected.map(\.kind))
                    for (hit, reference) in zip(hits, expected) { #expect(abs(hit.score - reference.score) < 1e-5) }
                }
            }
        }
    }

    @Test("Both stores give the same top-k for the same inputs")
    func sameResultsAcrossStores() async throws {
        let queries = (0..<10).map { VectorQuery(space: "contract", kinds: [.imageView, .textEN],
                                                 vector: randomVector(seed: 900 + UInt64($0), 32), k: 10, mode: .exact) }
        let embedded = try await StoreKind.embedded.withStore { store in
            _ = try await Self.populate(store)
            var all: [[VectorHit]] = []
            for query in queries { all.append(try await store.search(query)) }
            return all
        }
        let postgres = try await StoreKind.postgres.withStore { store in
            _ = try await Self.populate(store)
            var all: [[VectorHit]] = []
            for query in queries { all.append(try await store.search(query)) }
            return all
        }
        for (left, right) in zip(embedded, postgres) {
            #expect(left.map(\.assetID) == right.map(\.assetID))
            #expect(left.map(\.viewIndex) == right.map(\.viewIndex))
            for (a, b) in zip(left, right) { #expect(abs(a.score - b.score) < 1e-5) }
        }
    }

    @Test("Filters and exclusions restrict results exactly", arguments: StoreKind.allCases)
    func filters(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let records = try await Self.populate(store)
            let assets = try await store.allAssets()
            let byID = Dictionary(uniqueKeysWithValues: assets.map { ($0.id, $0) })
            let filters = [
                AssetFilter(categories: ["kitchen"]),
                AssetFilter(libraries: ["lib/two"], licenses: ["CC0"]),
                AssetFilter(categories: ["Bedroom", "OFFICE"], minSize: 70, maxSize: 110),
                AssetFilter(libraries: ["nowhere"]),
            ]
            for (index, filter) in filters.enumerated() {
                let probe = randomVector(seed: 70 + UInt64(index), 32)
                let excluded: Set<AssetID> = ["a004", "a041"]
                let hits = try await store.search(VectorQuery(
                    space: "contract", kinds: [.imageView], vector: probe, k: 6, filter: filter, excluding: excluded,
                    mode: .exact))
                let expected = referenceSearch(records, query: probe, kinds: [.imageView], k: 6) { id in
                    guard let asset = byID[id] else { return false }
                    return filter.matches(asset) && !excluded.contains(id)
                }
                #expect(hits.map(\.assetID) == expected.map(\.assetID), "filter \(index)")
            }
        }
    }

    @Test("Upserts are idempotent: counts and contents stay the same", arguments: StoreKind.allCases)
    func idempotence(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let records = try await Self.populate(store)
            try await store.upsert(space: "contract", records)
            try await store.upsert(try await store.allAssets())
            try await store.ensureSpace(Self.space)
            #expect(try await store.assetCount() == 80)
            let summary = try #require(try await store.spaces().first)
            #expect(summary.space == Self.space)
            #expect(summary.counts == [.imageView: 240, .textEN: 80])
            let vectors = try await store.vectors(of: "a010", space: "contract")
            #expect(vectors.map(\.kind) == [.textEN, .imageView, .imageView, .imageView])
            #expect(vectors.map(\.viewIndex) == [0, 0, 1, 2])
            let written = records.first { $0.assetID == "a010" && $0.kind == .imageView && $0.viewIndex == 1 }
            for (a, b) in zip(vectors[2].vector, unit(try #require(written).vector)) { #expect(abs(a - b) < 1e-6) }
            // A batch with the same key twice keeps the last one.
            let last = randomVector(seed: 1, 32)
            try await store.upsert(space: "contract", [
                VectorRecord(assetID: "a010", kind: .textEN, vector: randomVector(seed: 2, 32)),
                VectorRecord(assetID: "a010", kind: .textEN, vector: last),
            ])
            let text = try await store.vectors(of: "a010", space: "contract").first { $0.kind == .textEN }
            for (a, b) in zip(try #require(text).vector, unit(last)) { #expect(abs(a - b) < 1e-6) }
            #expect(try await store.assetIDs(withVectorsIn: "contract", kind: .textEN).count == 80)
        }
    }

    @Test("Deleting assets deletes their vectors; deleting vectors keeps the asset", arguments: StoreKind.allCases)
    func deletion(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await Self.populate(store)
            let probe = randomVector(seed: 31, 32)
            let query = VectorQuery(space: "contract", kinds: [.imageView], vector: probe, k: 3, mode: .exact)
            let before = try await store.search(query)
            let gone = before[0].assetID
            try await store.delete([gone, "no-such-asset"])
            #expect(try await store.assetCount() == 79)
            #expect(try await store.vectors(of: gone, space: "contract").isEmpty)
            let after = try await store.search(query)
            #expect(!after.map(\.assetID).contains(gone))
            #expect(after.first?.assetID == before[1].assetID)

            try await store.deleteVectors(space: "contract", of: [before[1].assetID])
            #expect(try await store.asset(before[1].assetID) != nil)
            #expect(try await store.search(query).first?.assetID == before[2].assetID)
            let counts = try #require(try await store.spaces().first).counts
            #expect(counts == [.imageView: 234, .textEN: 78])
        }
    }

    @Test("Bad vectors are refused with typed errors and nothing of the batch is written", arguments: StoreKind.allCases)
    func invalidInput(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await Self.populate(store)
            let good = VectorRecord(assetID: "a001", kind: .textZH, vector: randomVector(seed: 5, 32))
            var nan = randomVector(seed: 6, 32)
            nan[3] = .nan
            var infinite = randomVector(seed: 7, 32)
            infinite[0] = -.infinity
            let cases: [(VectorRecord, StoreError.Code)] = [
                (VectorRecord(assetID: "a002", kind: .textZH, vector: randomVector(seed: 8, 31)), .dimensionMismatch),
                (VectorRecord(assetID: "a002", kind: .textZH, vector: nan), .invalidVector),
                (VectorRecord(assetID: "a002", kind: .textZH, vector: infinite), .invalidVector),
                (VectorRecord(assetID: "a002", kind: .textZH, vector: [Float](repeating: 0, count: 32)), .invalidVector),
                (VectorRecord(assetID: "nobody", kind: .textZH, vector: randomVector(seed: 9, 32)), .unknownAsset),
            ]
            for (bad, code) in cases {
                let error = await #expect(throws: StoreError.self) { try await store.upsert(space: "contract", [good, bad]) }
                #expect(error?.code == code, "\(code)")
            }
            #expect(try await store.assetIDs(withVectorsIn: "contract", kind: .textZH).isEmpty)

            let unknownSpace = await #expect(throws: StoreError.self) { try await store.upsert(space: "nope", [good]) }
            #expect(unknownSpace?.code == .unknownSpace)
            let wrongQuery = await #expect(throws: StoreError.self) {
                try await store.search(VectorQuery(space: "contract", kinds: [.textEN], vector: [1, 2, 3], k: 5))
            }
            #expect(wrongQuery?.code == .dimensionMismatch)
            var nanQuery = randomVector(seed: 10, 32)
            nanQuery[9] = .nan
            let nanError = await #expect(throws: StoreError.self) {
                try await store.search(VectorQuery(space: "contract", kinds: [.textEN], vector: nanQuery, k: 5))
            }
            #expect(nanError?.code == .invalidVector)
            let badK = await #expect(throws: StoreError.self) {
                try await store.search(VectorQuery(space: "contract", kinds: [.textEN], vector: randomVector(seed: 1, 32), k: 0))
            }
            #expect(badK?.code == .invalidArgument)
        }
    }

    @Test("Spaces: created on first use, conflicts refused, dropped without touching others", arguments: StoreKind.allCases)
    func spaces(kind: StoreKind) async throws {
        try await kind.withStore { store in
            _ = try await Self.populate(store)
            let other = EmbeddingSpace(name: "other", modelID: "test/other", dimension: 8)
            try await store.ensureSpace(other)
            try await store.upsert(space: "other", [VectorRecord(assetID: "a000", kind: .textEN, vector: randomVector(seed: 3, 8))])
            let conflict = await #expect(throws: StoreError.self) {
                try await store.ensureSpace(EmbeddingSpace(name: "other", modelID: "test/other", dimension: 16))
            }
            #expect(conflict?.code == .spaceConflict)
            let badName = await #expect(throws: StoreError.self) {
                try await store.ensureSpace(EmbeddingSpace(name: "bad name;", modelID: "m", dimension: 8))
            }
            #expect(badName?.code == .invalidArgument)
            #expect(try await store.spaces().map(\.space.name) == ["contract", "other"])

            try await store.dropSpace(named: "contract")
            try await store.dropSpace(named: "never-existed")
            let remaining = try await store.spaces()
            #expect(remaining.map(\.space.name) == ["other"])
            #expect(remaining.first?.counts == [.textEN: 1])
            let error = await #expect(throws: StoreError.self) {
                try await store.search(VectorQuery(space: "contract", kinds: [.textEN], vector: randomVector(seed: 1, 32), k: 1))
            }
            #expect(error?.code == .unknownSpace)
            #expect(try await store.assetCount() == 80)
            // The dropped name can be reused with another dimension.
            try await store.ensureSpace(EmbeddingSpace(name: "contract", modelID: "test/new", dimension: 4))
            #expect(try await store.search(VectorQuery(space: "contract", kinds: [.textEN], vector: [1, 0, 0, 0], k: 1)).isEmpty)
        }
    }

    @Test("Asset pages walk every asset once, in byte order", arguments: StoreKind.allCases)
    func paging(kind: StoreKind) async throws {
        try await kind.withStore { store in
            let ids = (0..<250).map { String(format: "p%03d", $0) } + ["Z", "é", "中文", "0/10002"]
            try await store.upsert(ids.shuffled().map { testAsset($0) })
            var seen: [String] = []
            for try await page in store.assetPages(pageSize: 100) { seen += page.map(\.id.rawValue) }
            #expect(seen == ids.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            let one = try await store.asset("中文")
            #expect(one == testAsset("中文"))
        }
    }
}
