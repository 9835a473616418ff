import AssetCatalog
import PostgresNIO

extension PostgresStore {
    /// The k best assets for the query.
    ///
    /// Walks the HNSW index of each searched kind (`ORDER BY embedding <=> q LIMIT n` on the kind's partial
    /// index, with `hnsw.ef_search` and `hnsw.iterative_scan = relaxed_order` set for this transaction only),
    /// keeps each asset's best view, and fetches 4× more when fewer than k distinct assets came back while more
    /// rows were available. Filters and exclusions are evaluated during the index walk (iterative scans keep
    /// going until enough rows pass); when a selective filter ends the walk before k assets pass, the search is
    /// repeated exactly. Filters that leave at most ``Configuration/exactFilterLimit`` vectors (estimated from the
    /// matching assets) skip the index and are answered exactly. ``SearchMode/exact`` never uses the HNSW index
    /// (tests and the recall monitor).
    public func search(_ query: VectorQuery) async throws -> [VectorHit] {
        let stored = try await measuredSpace(for: query)
        let vector = try VectorCheck.checked(query, space: stored.space)
        let plan = SearchPlan(query: query, vector: vector, space: stored, names: names, configuration: configuration)
        let logger = self.logger
        let exactFilterLimit = configuration.exactFilterLimit
        return try await withTransaction("searching space '\(query.space)'") { connection in
            // A selective filter is answered exactly through the filter's indexes: as fast as walking the graph
            // for rows that pass, and without the walk's misses among far, nearly equidistant neighbours.
            if !plan.exact, !query.filter.isEmpty,
                try await plan.estimatedFilteredVectors(on: connection, logger: logger) <= Double(exactFilterLimit)
            {
                return try await plan.exactVariant.run(on: connection, logger: logger).hits
            }
            let (hits, walkEnded) = try await plan.run(on: connection, logger: logger)
            // A selective filter can end the index walk (hnsw.max_scan_tuples) before k assets pass it; the
            // exact plan then finds them through the filter's own indexes.
            if hits.count < query.k, walkEnded, !plan.exact, !query.filter.isEmpty || !query.excluding.isEmpty {
                return try await plan.exactVariant.run(on: connection, logger: logger).hits
            }
            return hits
        }
    }

    /// The plan PostgreSQL chooses for the first round of a search (`EXPLAIN` text, one line per row), under the
    /// same per-query settings. Used to check that searches walk the HNSW index.
    public func explainSearch(_ query: VectorQuery) async throws -> String {
        let stored = try await measuredSpace(for: query)
        let vector = try VectorCheck.checked(query, space: stored.space)
        let plan = SearchPlan(query: query, vector: vector, space: stored, names: names, configuration: configuration)
        let logger = self.logger
        return try await withTransaction("explaining a search") { connection in
            try await plan.applySettings(on: connection, logger: logger)
            let inner = try plan.candidatesQuery(fetch: plan.initialFetch)
            let rows = try await connection.query(PostgresQuery(unsafeSQL: "EXPLAIN " + inner.sql, binds: inner.binds),
                                                  logger: logger)
            var lines: [String] = []
            for try await line in rows.decode(String.self) { lines.append(line) }
            return lines.joined(separator: "\n")
        }
    }
}

extension PostgresStore {
    /// The query's space, with its view agreement measured (once per process, while views exist) when the query
    /// is one that could start from the view centroids.
    func measuredSpace(for query: VectorQuery) async throws -> PostgresSpace {
        let stored = try await requireSpace(query.space)
        guard stored.hasViewCentroids, stored.viewAgreement == nil, query.kinds.contains(.imageView),
            query.filter.isEmpty, query.mode != .exact
        else { return stored }
        let names = self.names
        let agreement = try await withConnection("measuring view agreement in space '\(query.space)'") { connection in
            try await ViewCentroids.agreement(stored, names: names, on: connection, logger: self.logger)
        }
        var measured = stored
        measured.viewAgreement = agreement
        if agreement != nil { remember(measured) }
        return measured
    }
}

/// One row of a search's candidate list.
struct Candidate {
    var distance: Double
    var kind: Int16
    var view: Int16

    /// Smaller distance wins; equal distances: lower kind, then lower view (as the embedded store does).
    func isBetter(than other: Candidate) -> Bool {
        if distance != other.distance { return distance < other.distance }
        return (kind, view) < (other.kind, other.view)
    }
}

/// Everything a search needs to build its SQL.
struct SearchPlan {
    /// Largest candidate list one kind fetches in the last refill round.
    static let maximumFetch = 20_000

    let query: VectorQuery
    let vector: [Float]
    let space: PostgresSpace
    let names: SQLNames
    let efSearch: Int
    var exact: Bool
    let initialFetch: Int

    init(query: VectorQuery, vector: [Float], space: PostgresSpace, names: SQLNames,
         configuration: PostgresStore.Configuration) {
        self.query = query
        self.vector = vector
        self.space = space
        self.names = names
        switch query.mode {
        case .automatic:
            efSearch = configuration.defaultEfSearch
            exact = false
        case .exact:
            efSearch = configuration.defaultEfSearch
            exact = true
        case .approximate(let value):
            efSearch = value
            exact = false
        }
        let perAsset = query.filter.isEmpty ? configuration.overFetch : configuration.filteredOverFetch
        initialFetch = min(max(query.k * perAsset, query.k), Self.maximumFetch)
    }

    /// An unfiltered approximate search of image views starts from the view centroids (``ViewCentroids``):
    /// it walks their index for `fetch` assets and scores every view of those assets exactly.
    var startsFromCentroids: Bool {
        !exact && query.filter.isEmpty && space.hasViewCentroids
            && (space.viewAgreement ?? 0) >= ViewCentroids.minimumAgreement
    }

    /// The same plan in exact mode.
    var exactVariant: SearchPlan {
        var plan = self
        plan.exact = true
        return plan
    }

    /// Applies the settings and fetches candidates, 4× more per round while fewer than k distinct assets came
    /// back and more rows were available. Returns the hits and whether the last round ran out of rows.
    func run(on connection: PostgresConnection, logger: Logger) async throws -> (hits: [VectorHit], walkEnded: Bool) {
        try await applySettings(on: connection, logger: logger)
        var fetch = initialFetch
        while true {
            var best: [String: Candidate] = [:]
            var rowsPerKind: [Int16: Int] = [:]
            var centroidAssets = Set<String>()  // the candidate list of a centroid walk counts assets, not rows
            let rows = try await connection.query(try candidatesQuery(fetch: fetch), logger: logger)
            for try await (asset, kind, view, distance) in rows.decode((String, Int16, Int16, Double).self) {
                if startsFromCentroids && kind == VectorKind.imageView.storageCode {
                    centroidAssets.insert(asset)
                } else {
                    rowsPerKind[kind, default: 0] += 1
                }
                let candidate = Candidate(distance: distance, kind: kind, view: view)
                if let current = best[asset], !candidate.isBetter(than: current) { continue }
                best[asset] = candidate
            }
            let mayHaveMore = rowsPerKind.values.contains { $0 >= fetch } || centroidAssets.count >= fetch
            if best.count >= query.k || !mayHaveMore || fetch >= Self.maximumFetch {
                return (hits(from: best, k: query.k), !mayHaveMore)
            }
            fetch = min(fetch * 4, Self.maximumFetch)
        }
    }

    /// `SET LOCAL`-equivalents (set_config with is_local) for this transaction only. Approximate searches turn
    /// sequential scans off so the planner walks the HNSW index even where its estimates favour a scan and sort
    /// (small tables, selective filters); the walk is what this mode asks for.
    func applySettings(on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            SELECT set_config('hnsw.ef_search', \(String(efSearch)), true),
                   set_config('hnsw.iterative_scan', 'relaxed_order', true),
                   set_config('enable_seqscan', \(exact ? "on" : "off"), true)
            """, logger: logger)
    }

    /// One candidate list per kind, concatenated with `UNION ALL`.
    ///
    /// Approximate: `(SELECT … WHERE kind = K AND <filter> ORDER BY distance LIMIT n)` — the kind is a literal so
    /// the planner matches the kind's partial HNSW index; the filter is an `EXISTS (… OFFSET 0)`, which PostgreSQL
    /// cannot turn into a join, so it is checked row by row while the iterative scan walks the graph.
    ///
    /// Exact: the same rows computed in a subquery fenced with `OFFSET 0`, sorted outside it, so no index can
    /// supply the order (a full scan, or the filter's own indexes when it is selective).
    ///
    /// Image views of a plan that ``startsFromCentroids``: every view of the `fetch` assets whose centroids are
    /// nearest (``appendCentroidWalk(to:fetch:)``).
    func candidatesQuery(fetch: Int) throws -> PostgresQuery {
        let kinds = VectorKind.allCases.filter(query.kinds.contains)
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 512 * kinds.count, interpolationCount: 8 * kinds.count)
        for (position, kind) in kinds.enumerated() {
            if position > 0 { sql.appendLiteral(" UNION ALL ") }
            if kind == .imageView && startsFromCentroids {
                try appendCentroidWalk(to: &sql, fetch: fetch)
                continue
            }
            sql.appendLiteral(exact ? "(SELECT * FROM (" : "(")
            sql.appendLiteral("SELECT v.asset_id, v.kind, v.view, v.embedding <=> ")
            try sql.appendInterpolation(PGVector(vector, format: space.elementType))
            sql.appendLiteral("::\(space.columnType) AS distance FROM \(names.vectors(space.tableID)) v ")
            sql.appendLiteral("WHERE v.kind = \(kind.storageCode)")
            appendExclusion(to: &sql, alias: "v")
            if !query.filter.isEmpty { appendFilter(to: &sql, fenced: !exact) }
            sql.appendLiteral(exact ? " OFFSET 0) c ORDER BY distance LIMIT " : " ORDER BY distance LIMIT ")
            sql.appendInterpolation(fetch)
            sql.appendLiteral(")")
        }
        return PostgresQuery(stringInterpolation: sql)
    }

    /// `(SELECT DISTINCT ON (asset) <best view> WHERE kind = view AND asset_id = ANY(ARRAY(<fetch nearest
    /// centroids>)))`: the inner walk uses the centroids' HNSW index, the outer lookup the primary key
    /// (asset_id, kind, view).
    private func appendCentroidWalk(to sql: inout PostgresQuery.StringInterpolation, fetch: Int) throws {
        let table = names.vectors(space.tableID)
        let probe = PGVector(vector, format: space.elementType)
        // One row per asset, its best view (ties: the lower view, as `Candidate` orders them): the client
        // decodes k × over-fetch rows instead of every view.
        sql.appendLiteral("(SELECT DISTINCT ON (v.asset_id) v.asset_id, v.kind, v.view, v.embedding <=> ")
        try sql.appendInterpolation(probe)
        sql.appendLiteral("::\(space.columnType) AS distance FROM \(table) v ")
        sql.appendLiteral("WHERE v.kind = \(VectorKind.imageView.storageCode) AND v.asset_id = ANY(ARRAY(")
        sql.appendLiteral("SELECT c.asset_id FROM \(table) c WHERE c.kind = \(ViewCentroids.code)")
        appendExclusion(to: &sql, alias: "c")
        sql.appendLiteral(" ORDER BY c.embedding <=> ")
        try sql.appendInterpolation(probe)
        sql.appendLiteral("::\(space.columnType) LIMIT ")
        sql.appendInterpolation(fetch)
        sql.appendLiteral(")) ORDER BY v.asset_id, distance, v.view)")
    }

    /// ` AND <alias>.asset_id <> ALL(…)` when the query excludes assets.
    private func appendExclusion(to sql: inout PostgresQuery.StringInterpolation, alias: String) {
        guard !query.excluding.isEmpty else { return }
        sql.appendLiteral(" AND \(alias).asset_id <> ALL(")
        sql.appendInterpolation(query.excluding.map(\.rawValue))
        sql.appendLiteral("::text[])")
    }

    /// Vectors the filter leaves: matching assets × stored vectors per asset (planner statistics; a table never
    /// analysed counts as small).
    func estimatedFilteredVectors(on connection: PostgresConnection, logger: Logger) async throws -> Double {
        var sql = PostgresQuery.StringInterpolation(literalCapacity: 512, interpolationCount: 8)
        sql.appendLiteral(
            """
            SELECT (SELECT count(*) FROM \(names.assets) a WHERE TRUE
            """)
        appendConditions(to: &sql)
        sql.appendLiteral(
            """
            )::float8, (SELECT reltuples FROM pg_class WHERE oid = '\(names.vectors(space.tableID))'::regclass)::float8,
            (SELECT reltuples FROM pg_class WHERE oid = '\(names.assets)'::regclass)::float8
            """)
        let rows = try await connection.query(PostgresQuery(stringInterpolation: sql), logger: logger)
        for try await (matching, vectors, assets) in rows.decode((Double, Double, Double).self) {
            guard vectors > 0, assets > 0 else { return 0 }
            return matching * vectors / assets
        }
        return 0
    }

    /// `AND EXISTS (SELECT 1 FROM assets a WHERE a.id = v.asset_id AND …)`; `fenced` adds `OFFSET 0`.
    private func appendFilter(to sql: inout PostgresQuery.StringInterpolation, fenced: Bool) {
        sql.appendLiteral(" AND EXISTS (SELECT 1 FROM \(names.assets) a WHERE a.id = v.asset_id")
        appendConditions(to: &sql)
        sql.appendLiteral(fenced ? " OFFSET 0)" : ")")
    }

    /// ` AND a.library = ANY(…) AND …` for the filter's restrictions on the assets table `a`.
    private func appendConditions(to sql: inout PostgresQuery.StringInterpolation) {
        let filter = query.filter
        if !filter.libraries.isEmpty {
            sql.appendLiteral(" AND a.library = ANY(")
            sql.appendInterpolation(filter.libraries.sorted())
            sql.appendLiteral("::text[])")
        }
        if !filter.categories.isEmpty {
            sql.appendLiteral(" AND a.category_key = ANY(")
            sql.appendInterpolation(filter.categories.map(AssetFilter.categoryKey).sorted())
            sql.appendLiteral("::text[])")
        }
        if !filter.licenses.isEmpty {
            sql.appendLiteral(" AND a.license = ANY(")
            sql.appendInterpolation(filter.licenses.sorted())
            sql.appendLiteral("::text[])")
        }
        if let minSize = filter.minSize {
            sql.appendLiteral(" AND a.largest_side >= ")
            sql.appendInterpolation(minSize)
        }
        if let maxSize = filter.maxSize {
            sql.appendLiteral(" AND a.largest_side <= ")
            sql.appendInterpolation(maxSize)
        }
    }

    /// The k best assets, best first; ties broken by the id's bytes.
    func hits(from best: [String: Candidate], k: Int) -> [VectorHit] {
        let ranked = best.sorted { left, right in
            if left.value.distance != right.value.distance { return left.value.distance < right.value.distance }
            return left.key.utf8.lexicographicallyPrecedes(right.key.utf8)
        }
        return ranked.prefix(k).map { asset, candidate in
            VectorHit(
                assetID: AssetID(asset), kind: VectorKind(storageCode: candidate.kind) ?? .textEN,
                viewIndex: Int(candidate.view), score: Float(min(1, max(-1, 1 - candidate.distance))))
        }
    }
}
