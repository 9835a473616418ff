import ArgumentParser
import AssetCatalog
import Foundation
import Logging
import VectorStore

/// `swift run -c release Benchmarks stores`: ingest rate, latency and recall@10 of the embedded store (exact) and
/// PostgreSQL + pgvector (HNSW at several ef_search values), with and without a 5 % category filter, on a
/// synthetic clustered catalog (default 100,000 assets × 8 views × 768-d). Prints a Markdown table.
@main
struct Benchmarks: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "Benchmarks", abstract: "Benchmarks of AssetRetrieval3D's components.",
        subcommands: [StoresBenchmark.self])
}

struct StoresBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stores", abstract: "Embedded (exact) vs PostgreSQL (HNSW) vector stores.")

    @Option(help: "Number of assets.") var assets = 100_000
    @Option(help: "Views (vectors) per asset.") var views = 8
    @Option(help: "Vector dimension.") var dimension = 768
    @Option(help: "Clusters in the synthetic data.") var clusters = 1_000
    @Option(help: "Queries per measurement.") var queries = 200
    @Option(help: "Concurrent clients for the throughput measurement.") var clients = 4
    @Option(help: "ef_search values for PostgreSQL, comma separated.") var ef = "40,100,200"
    @Option(help: "HNSW m.") var m = 16
    @Option(help: "HNSW ef_construction.") var efConstruction = 64
    @Option(help: "Stores to measure: embedded, postgres or both.") var stores = "embedded,postgres"
    @Option(help: "Folder for the embedded store's database.") var dataDir = "./data/bench"
    @Option(help: "PostgreSQL schema for the benchmark tables.") var schema = "bench"
    @Option(help: "maintenance_work_mem for the HNSW build.") var buildMemory = "4GB"
    @Option(help: "Views fetched per wanted asset (PostgreSQL), unfiltered searches; comma separated to compare.")
    var overFetch = "4"
    @Option(help: "Views fetched per wanted asset (PostgreSQL), filtered searches.") var filteredOverFetch = 16
    @Option(help: "Filters leaving at most this many vectors are answered exactly (PostgreSQL).") var exactFilterLimit = 50_000
    @Option(help: "Check the embedded store's answers to the first N queries (plain and filtered) against a brute-force float32 scan of regenerated vectors; 0 skips (recall shown as –).")
    var verify = 20
    @Flag(help: "Reuse data ingested by an earlier run instead of ingesting again.") var reuse = false
    @Flag(help: "With --reuse: rebuild the HNSW indexes with --m / --ef-construction.") var rebuildIndex = false

    func run() async throws {
        let catalog = SyntheticCatalog(assets: assets, views: views, dimension: dimension, clusters: clusters)
        let space = EmbeddingSpace(name: "bench", modelID: "synthetic/clustered", revision: "1", dimension: dimension)
        let selected = Set(stores.split(separator: ",").map { String($0) })
        let filter = AssetFilter(categories: [catalog.category(0)])
        let plain = (0..<queries).map {
            VectorQuery(space: "bench", kinds: [.imageView], vector: catalog.query($0), k: 10, mode: .exact)
        }
        let filtered = plain.map { query in
            var query = query
            query.filter = filter
            return query
        }
        print("# Store benchmark: \(assets) assets × \(views) views × \(dimension)-d, \(clusters) clusters, "
              + "\(queries) queries, 5 % filter = category \(catalog.category(0)); HNSW m \(m), ef_construction "
              + "\(efConstruction); over-fetch \(overFetch) (filtered \(filteredOverFetch)); OPENBLAS_CORETYPE="
              + (ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] ?? "(auto)"))
        var rows: [ResultRow] = []
        var truth: (plain: [[VectorHit]], filtered: [[VectorHit]])?

        if selected.contains("embedded") {
            let store = try EmbeddedStore(directory: URL(fileURLWithPath: dataDir))
            if !reuse { try await ingest(catalog, space: space, into: store, label: "embedded") }
            let load = try await seconds { _ = try await store.search(plain[0]) }
            print("embedded: first search (loads \(assets * views) vectors into memory): \(String(format: "%.1f", load)) s")
            let (plainHits, plainStats) = try await timeSequential(plain, on: store)
            let (filteredHits, filteredStats) = try await timeSequential(filtered, on: store)
            let rate = try await throughput(plain, on: store, clients: clients)
            truth = (plainHits, filteredHits)
            var recalls: (Double, Double)?
            if verify > 0 {
                let checked = Array(plain.prefix(verify).map(\.vector))
                let category = catalog.category(0)
                let started = Date()
                let plainTruth = BruteForceTruth.topK(catalog, queries: checked, k: 10)
                let filteredTruth = BruteForceTruth.topK(catalog, queries: checked, k: 10) { catalog.category($0) == category }
                recalls = (meanRecall(Array(plainHits.prefix(verify)), truth: plainTruth),
                           meanRecall(Array(filteredHits.prefix(verify)), truth: filteredTruth))
                print("embedded: first \(checked.count) queries checked against a brute-force float32 scan in "
                      + String(format: "%.0f s", Date().timeIntervalSince(started)))
            }
            rows.append(ResultRow(store: "embedded", setting: "exact", filter: "none", p50: plainStats.p50,
                                  p99: plainStats.p99, queriesPerSecond: rate, recall: recalls?.0))
            rows.append(ResultRow(store: "embedded", setting: "exact", filter: "5 %", p50: filteredStats.p50,
                                  p99: filteredStats.p99, queriesPerSecond: nil, recall: recalls?.1))
        }

        if selected.contains("postgres") {
            guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"] else {
                throw ValidationError("DATABASE_URL is not set; start PostgreSQL (asset3d db start) first")
            }
            var configuration = try PostgresStore.Configuration(url: url)
            configuration.schema = schema
            configuration.maximumConnections = max(clients, 2)
            configuration.connectionTimeout = .seconds(30)
            configuration.hnsw = .init(m: m, efConstruction: efConstruction)
            configuration.filteredOverFetch = filteredOverFetch
            configuration.exactFilterLimit = exactFilterLimit
            for (round, perAsset) in overFetch.split(separator: ",").compactMap({ Int($0) }).enumerated() {
                configuration.overFetch = perAsset
                let store = try PostgresStore(configuration: configuration, logger: Logger(label: "bench"))
                let knownTruth = truth
                let ingestNow = !reuse && round == 0
                let rebuildNow = reuse && rebuildIndex && round == 0
                let results = try await store.withRunning { store in
                    try await store.migrate()
                    if ingestNow { try await ingestPostgres(catalog, space: space, into: store) }
                    if rebuildNow {
                        let build = try await seconds {
                            try await store.rebuildIndexes(
                                space: space.name, hnsw: .init(m: m, efConstruction: efConstruction),
                                maintenanceWorkMem: buildMemory)
                        }
                        print("postgres: HNSW rebuild (m \(m), ef_construction \(efConstruction)): "
                              + String(format: "%.0f s", build))
                    }
                    var truthPlain = knownTruth?.plain
                    var truthFiltered = knownTruth?.filtered
                    if truthPlain == nil {
                        print("postgres: computing exact ground truth (sequential scans)…")
                        truthPlain = try await timeSequential(plain, on: store).0
                        truthFiltered = try await timeSequential(filtered, on: store).0
                    }
                    var rows: [ResultRow] = []
                    for efSearch in ef.split(separator: ",").compactMap({ Int($0) }) {
                        var runs = [("none", plain, truthPlain ?? [])]
                        if round == 0 { runs.append(("5 %", filtered, truthFiltered ?? [])) }
                        for (label, base, expected) in runs {
                            let approximate = base.map { query in
                                var query = query
                                query.mode = .approximate(efSearch: efSearch)
                                return query
                            }
                            _ = try await timeSequential(Array(approximate.prefix(20)), on: store)  // warm caches
                            let (hits, stats) = try await timeSequential(approximate, on: store)
                            let rate = try await throughput(approximate, on: store, clients: clients)
                            rows.append(ResultRow(
                                store: "postgres", setting: "HNSW ef_search \(efSearch), over-fetch \(perAsset)",
                                filter: label, p50: stats.p50, p99: stats.p99, queriesPerSecond: rate,
                                recall: meanRecall(hits, truth: expected)))
                            print(rows[rows.count - 1].markdown(clients: clients))
                        }
                    }
                    return rows
                }
                rows += results
            }
        }

        print("\n" + ResultRow.header)
        for row in rows { print(row.markdown(clients: clients)) }
    }

    /// Assets in batches of 1,000, then their views in batches of 1,000 assets.
    private func ingest(_ catalog: SyntheticCatalog, space: EmbeddingSpace, into store: any AssetStore & VectorIndex,
                        label: String) async throws {
        try await store.ensureSpace(space)
        let assetSeconds = try await seconds {
            for start in stride(from: 0, to: catalog.assets, by: 1_000) {
                try await store.upsert((start..<min(start + 1_000, catalog.assets)).map(catalog.asset))
            }
        }
        let vectorSeconds = try await seconds {
            for start in stride(from: 0, to: catalog.assets, by: 1_000) {
                let records = (start..<min(start + 1_000, catalog.assets)).flatMap(catalog.viewRecords)
                try await store.upsert(space: space.name, records)
            }
        }
        let vectors = catalog.assets * catalog.views
        print("\(label): \(catalog.assets) assets in \(String(format: "%.1f", assetSeconds)) s; \(vectors) vectors in "
              + "\(String(format: "%.1f", vectorSeconds)) s = \(String(format: "%.0f", Double(vectors) / vectorSeconds)) vectors/s "
              + "(generation included)")
    }

    /// The bulk path: drop the HNSW indexes, load, build them once.
    private func ingestPostgres(_ catalog: SyntheticCatalog, space: EmbeddingSpace, into store: PostgresStore) async throws {
        try await store.dropSpace(named: space.name)
        try await store.ensureSpace(space)
        try await store.dropIndexes(space: space.name)
        try await ingest(catalog, space: space, into: store, label: "postgres (COPY, no index)")
        let build = try await seconds { try await store.buildIndexes(space: space.name, maintenanceWorkMem: buildMemory) }
        print("postgres: HNSW build (m \(m), ef_construction \(efConstruction), 2 workers): \(String(format: "%.0f", build)) s")
    }
}
