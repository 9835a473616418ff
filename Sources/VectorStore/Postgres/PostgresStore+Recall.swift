import AssetCatalog
import PostgresNIO

/// One recall measurement of a space's HNSW index against exact search (see ``PostgresStore/recall(space:queries:)``).
public struct RecallReport: Sendable, Hashable, Codable {
    /// Space measured.
    public var space: String
    /// Kind whose index was measured.
    public var kind: VectorKind
    /// Number of queries run.
    public var queries: Int
    /// Assets compared per query.
    public var k: Int
    /// `hnsw.ef_search` of the approximate searches.
    public var efSearch: Int
    /// Mean over queries of |approximate top-k ∩ exact top-k| / |exact top-k| (per asset, views aggregated).
    public var recall: Double
    /// Median latency of the approximate searches, milliseconds.
    public var approximateMedianMilliseconds: Double
    /// Median latency of the exact searches, milliseconds.
    public var exactMedianMilliseconds: Double
}

extension PostgresStore {
    /// HNSW recall@10 of a space on its live data: the mean over the space's kinds of ``recallReports(space:queries:k:efSearch:seed:)``.
    /// Returns 1 for a space without vectors.
    public func recall(space: String, queries: Int = 100) async throws -> Double {
        let reports = try await recallReports(space: space, queries: queries)
        guard !reports.isEmpty else { return 1 }
        let total = reports.reduce(0) { $0 + $1.queries }
        return reports.reduce(0) { $0 + $1.recall * Double($1.queries) } / Double(max(total, 1))
    }

    /// Measures, per kind present in the space, how many of the exact top-k assets the index-backed search finds.
    ///
    /// Queries are stored vectors drawn at random (fixed `seed`), each moved off its data point by Gaussian noise
    /// (expected cosine 0.9 to the original), so they behave like real queries rather than exact duplicates.
    /// Each query runs twice: approximately (HNSW, `efSearch` or the configured default) and exactly (full scan;
    /// seconds per query on large spaces, so keep `queries` modest there).
    public func recallReports(
        space name: String, queries: Int = 100, k: Int = 10, efSearch: Int? = nil, seed: UInt64 = 0x5EED
    ) async throws -> [RecallReport] {
        guard queries >= 1, k >= 1 else { throw StoreError.invalidArgument("queries and k must be at least 1") }
        let stored = try await requireSpace(name)
        let efSearch = efSearch ?? configuration.defaultEfSearch
        var reports: [RecallReport] = []
        for kind in VectorKind.allCases {
            let samples = try await sampleVectors(stored, kind: kind, count: queries, seed: seed)
            guard !samples.isEmpty else { continue }
            var random = RecallRandom(seed: seed)
            var overlap = 0.0
            var approximateTimes: [Duration] = []
            var exactTimes: [Duration] = []
            for sample in samples {
                let probe = random.perturb(sample, cosine: 0.9)
                let clock = ContinuousClock()
                let started = clock.now
                let approximate = try await search(
                    VectorQuery(space: name, kinds: [kind], vector: probe, k: k, mode: .approximate(efSearch: efSearch)))
                let middle = clock.now
                let exact = try await search(VectorQuery(space: name, kinds: [kind], vector: probe, k: k, mode: .exact))
                exactTimes.append(clock.now - middle)
                approximateTimes.append(middle - started)
                guard !exact.isEmpty else { continue }
                let found = Set(approximate.map(\.assetID)).intersection(exact.map(\.assetID)).count
                overlap += Double(found) / Double(exact.count)
            }
            reports.append(
                RecallReport(
                    space: name, kind: kind, queries: samples.count, k: k, efSearch: efSearch,
                    recall: overlap / Double(samples.count),
                    approximateMedianMilliseconds: Self.medianMilliseconds(approximateTimes),
                    exactMedianMilliseconds: Self.medianMilliseconds(exactTimes)))
        }
        return reports
    }

    /// Up to `count` stored vectors of one kind, drawn at random (a block sample first, so large tables are not
    /// read in full; the whole table when the sample comes back short).
    private func sampleVectors(_ stored: PostgresSpace, kind: VectorKind, count: Int, seed: UInt64) async throws
        -> [[Float]]
    {
        let table = names.vectors(stored.tableID)
        let seedText = String(Double(seed % 1_000_000) / 1_000_000)
        return try await withConnection("sampling vectors of space '\(stored.space.name)'") { connection in
            let estimateRows = try await connection.query(
                "SELECT GREATEST(reltuples, 0)::float8 FROM pg_class WHERE oid = \(table)::regclass", logger: self.logger)
            var estimate = 0.0
            for try await value in estimateRows.decode(Double.self) { estimate = value }
            let percent = estimate > 0 ? min(100, max(0.01, 100 * 20 * Double(count) / estimate)) : 100
            try await connection.query("SELECT setseed(\(seedText)::float8)", logger: self.logger)
            var vectors: [[Float]] = []
            for sampled in [true, false] {
                let sample = sampled ? "TABLESAMPLE SYSTEM (\(String(percent))) REPEATABLE (\(String(seed % 1_000_000)))" : ""
                let rows = try await connection.query(
                    """
                    SELECT embedding::vector FROM \(unescaped: table) \(unescaped: sample)
                    WHERE kind = \(kind.storageCode) ORDER BY random() LIMIT \(count)
                    """, logger: self.logger)
                vectors = []
                for try await vector in rows.decode(PGVector.self) { vectors.append(vector.components) }
                if vectors.count >= count || percent >= 100 { break }
            }
            return vectors
        }
    }

    static func medianMilliseconds(_ durations: [Duration]) -> Double {
        guard !durations.isEmpty else { return 0 }
        let sorted = durations.sorted()
        let middle = sorted[sorted.count / 2]
        return Double(middle.components.seconds) * 1_000 + Double(middle.components.attoseconds) / 1e15
    }
}

/// SplitMix64 with Gaussian noise, for reproducible recall queries.
struct RecallRandom {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal sample (Box–Muller).
    mutating func gaussian() -> Double {
        let u1 = (Double(next() >> 11) + 1) / Double(1 << 53)
        let u2 = Double(next() >> 11) / Double(1 << 53)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// `vector` (unit length) plus isotropic noise sized so the expected cosine to `vector` is `cosine`.
    mutating func perturb(_ vector: [Float], cosine: Double) -> [Float] {
        let dimension = Double(vector.count)
        let sigma = (1 / (cosine * cosine) - 1).squareRoot() / dimension.squareRoot()
        return vector.map { $0 + Float(sigma * gaussian()) }
    }
}
