import PostgresNIO

/// Per-asset view centroids: the normalised mean of an asset's image views, kept in the space's own table under
/// an internal kind code (never a ``VectorKind``) with its own partial HNSW index.
///
/// An unfiltered image-view search walks this index over one row per asset instead of the index over every
/// view, then scores all views of the assets it found exactly (primary-key lookups), so an asset's score is
/// always the true best of its views. The graph is `views`× smaller, and a query near an object's views is
/// near their mean: the walk reaches recall the per-view graph only reaches with a much larger `ef_search`
/// (Benchmarks/README.md). That holds only when an asset's views agree (renders of one object); where they do
/// not, the mean says little about the best view and searches walk the views' own index
/// (``minimumAgreement``). Maintained by every vector upsert in the same transaction; deleting an asset's
/// vectors deletes its centroid with them (same table, same asset id).
enum ViewCentroids {
    /// Kind code of centroid rows (view 0).
    static let code: Int16 = 15
    /// Searches start from the centroids when views have at least this mean cosine to their centroid. Eight
    /// renders of one object embed at ≈ 0.85–0.95; unrelated views at ≈ 1/√views.
    static let minimumAgreement = 0.8
    /// Views sampled to measure the agreement.
    static let agreementSample = 2_000

    /// Mean cosine between the first ``agreementSample`` views (physical order) and their asset's centroid; nil
    /// when the space has no views yet.
    static func agreement(_ stored: PostgresSpace, names: SQLNames, on connection: PostgresConnection,
                          logger: Logger) async throws -> Double? {
        let table = names.vectors(stored.tableID)
        let rows = try await connection.query(
            """
            SELECT avg(1 - (v.embedding <=> c.embedding))::float8 FROM (
                SELECT asset_id, embedding FROM \(unescaped: table)
                WHERE kind = \(unescaped: String(VectorKind.imageView.storageCode)) LIMIT \(unescaped: String(agreementSample))
            ) v JOIN \(unescaped: table) c ON c.asset_id = v.asset_id AND c.kind = \(unescaped: String(code)) AND c.view = 0
            """, logger: logger)
        for try await mean in rows.decode(Double?.self) { return mean.flatMap { $0.isFinite ? $0 : nil } }
        return nil
    }

    /// Recomputes the centroids of the assets that have image views in `asset3d_staging` (the upsert's staging
    /// table), inside the upsert's transaction.
    static func refreshStaged(_ stored: PostgresSpace, names: SQLNames, on connection: PostgresConnection,
                              logger: Logger) async throws {
        try await connection.query(
            upsertQuery(stored, names: names,
                        assets: "AND asset_id IN (SELECT asset_id FROM asset3d_staging WHERE kind = \(VectorKind.imageView.storageCode))"),
            logger: logger)
    }

    /// Computes every asset's centroid in a space from before view centroids and records that the space has
    /// them.
    static func backfill(_ stored: PostgresSpace, names: SQLNames, on connection: PostgresConnection,
                         logger: Logger) async throws {
        try await connection.query(upsertQuery(stored, names: names, assets: ""), logger: logger)
        try await connection.query(
            "UPDATE \(unescaped: names.spaces) SET view_centroids = TRUE WHERE table_id = \(stored.tableID)",
            logger: logger)
    }

    /// `INSERT … SELECT l2_normalize(avg(views)) … GROUP BY asset_id ON CONFLICT DO UPDATE`, restricted by the
    /// SQL condition `assets` (our own constant text).
    private static func upsertQuery(_ stored: PostgresSpace, names: SQLNames, assets: String) -> PostgresQuery {
        let table = names.vectors(stored.tableID)
        return """
            INSERT INTO \(unescaped: table) (asset_id, kind, view, embedding)
            SELECT asset_id, \(unescaped: String(code)), 0, l2_normalize(avg(embedding))::\(unescaped: stored.columnType)
            FROM \(unescaped: table) WHERE kind = \(unescaped: String(VectorKind.imageView.storageCode)) \(unescaped: assets)
            GROUP BY asset_id
            ON CONFLICT (asset_id, kind, view) DO UPDATE SET embedding = EXCLUDED.embedding
            """
    }
}
