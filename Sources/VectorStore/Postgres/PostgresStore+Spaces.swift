import AssetCatalog
import PostgresNIO
import Synchronization

extension PostgresStore {
    /// Creates the space if missing: a row in `spaces`, a vector table with inline (`PLAIN`) storage and
    /// `parallel_workers`, and one partial HNSW index (cosine) per vector kind.
    public func ensureSpace(_ space: EmbeddingSpace) async throws {
        try space.validate()
        // Always asks the database (another process may have dropped or recreated the space).
        let names = self.names
        let hnsw = configuration.hnsw
        let workers = configuration.parallelWorkers
        let stored = try await withTransaction("creating space '\(space.name)'") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('asset3d-spaces'))", logger: self.logger)
            if let existing = try await Self.fetchSpace(space.name, names: names, on: connection, logger: self.logger) {
                try existing.space.checkSame(as: space)
                return existing
            }
            let elementType = PostgresSpace.elementType(forDimension: space.dimension)
            let rows = try await connection.query(
                """
                INSERT INTO \(unescaped: names.spaces)
                    (name, model_id, revision, dimension, element_type, hnsw_m, hnsw_ef_construction, view_centroids)
                VALUES (\(space.name), \(space.modelID), \(space.revision), \(space.dimension),
                        \(elementType.rawValue), \(hnsw.m), \(hnsw.efConstruction), TRUE)
                RETURNING table_id
                """, logger: self.logger)
            var tableID = 0
            for try await id in rows.decode(Int.self) { tableID = id }
            let stored = PostgresSpace(space: space, tableID: tableID, elementType: elementType, hasViewCentroids: true)
            let table = names.vectors(tableID)
            try await connection.query(
                """
                CREATE TABLE \(unescaped: table) (
                    asset_id text COLLATE "C" NOT NULL REFERENCES \(unescaped: names.assets) (id) ON DELETE CASCADE,
                    kind smallint NOT NULL,
                    view smallint NOT NULL,
                    embedding \(unescaped: stored.columnType) NOT NULL,
                    PRIMARY KEY (asset_id, kind, view)
                )
                """, logger: self.logger)
            if stored.fitsInline {
                // 768 floats are 3 kB: by default TOAST moves them out of line and every scan pays for it.
                try await connection.query(
                    "ALTER TABLE \(unescaped: table) ALTER COLUMN embedding SET STORAGE PLAIN", logger: self.logger)
            }
            try await connection.query(
                "ALTER TABLE \(unescaped: table) SET (parallel_workers = \(unescaped: String(workers)))", logger: self.logger)
            for code in Self.indexedCodes {
                try await connection.query(Self.createIndex(stored, code: code, names: names, hnsw: hnsw), logger: self.logger)
            }
            return stored
        }
        remember(stored)
    }

    /// Every space with its vector counts per kind.
    public func spaces() async throws -> [SpaceSummary] {
        let names = self.names
        return try await withConnection("listing spaces") { connection in
            var summaries: [SpaceSummary] = []
            for stored in try await Self.fetchSpaces(names: names, on: connection, logger: self.logger) {
                let rows = try await connection.query(
                    "SELECT kind, count(*) FROM \(unescaped: names.vectors(stored.tableID)) GROUP BY kind",
                    logger: self.logger)
                var counts: [VectorKind: Int] = [:]
                for try await (code, count) in rows.decode((Int16, Int).self) {
                    if let kind = VectorKind(storageCode: code) { counts[kind] = count }
                }
                summaries.append(SpaceSummary(space: stored.space, counts: counts))
            }
            return summaries
        }
    }

    /// Drops a space's table (with its indexes) and its row; other spaces are untouched.
    public func dropSpace(named name: String) async throws {
        let names = self.names
        try await withTransaction("dropping space '\(name)'") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('asset3d-spaces'))", logger: self.logger)
            guard let stored = try await Self.fetchSpace(name, names: names, on: connection, logger: self.logger) else {
                return
            }
            try await connection.query("DROP TABLE IF EXISTS \(unescaped: names.vectors(stored.tableID))", logger: self.logger)
            try await connection.query("DELETE FROM \(unescaped: names.spaces) WHERE name = \(name)", logger: self.logger)
        }
        forget(name)
    }

    /// Drops the HNSW indexes of a space, e.g. before a bulk load (building once afterwards is much faster than
    /// inserting into the graph row by row). Searches fall back to exact scans until ``buildIndexes(space:)``.
    public func dropIndexes(space name: String) async throws {
        let stored = try await requireSpace(name)
        let names = self.names
        try await withConnection("dropping the indexes of space '\(name)'") { connection in
            for code in Self.indexedCodes {
                try await connection.query(
                    "DROP INDEX IF EXISTS \(unescaped: names.quotedSchema).\(unescaped: names.hnswIndex(stored.tableID, code: code))",
                    logger: self.logger)
            }
        }
    }

    /// Builds the missing HNSW indexes of a space (with the space's own m / ef_construction), using parallel
    /// maintenance workers; then refreshes the planner statistics. A space from before view centroids gets them
    /// first (``ViewCentroids``).
    ///
    /// - Parameter maintenanceWorkMem: `maintenance_work_mem` for the build (e.g. `4GB`); a graph that does not
    ///   fit is built much more slowly. Nil keeps the server's setting.
    public func buildIndexes(space name: String, maintenanceWorkMem: String? = nil) async throws {
        let stored = try await requireSpace(name)
        let names = self.names
        let hnsw = configuration.hnsw
        try await withConnection("building the indexes of space '\(name)'") { connection in
            if let maintenanceWorkMem {
                try await connection.query(
                    "SELECT set_config('maintenance_work_mem', \(maintenanceWorkMem), false)", logger: self.logger)
            }
            do {
                if !stored.hasViewCentroids {
                    try await ViewCentroids.backfill(stored, names: names, on: connection, logger: self.logger)
                }
                let parameters = try await Self.fetchHNSWParameters(stored, names: names, on: connection, logger: self.logger)
                for code in Self.indexedCodes {
                    try await connection.query(
                        Self.createIndex(stored, code: code, names: names, hnsw: parameters ?? hnsw), logger: self.logger)
                }
                try await connection.query("ANALYZE \(unescaped: names.vectors(stored.tableID))", logger: self.logger)
            } catch {
                if maintenanceWorkMem != nil { _ = try? await connection.query("RESET maintenance_work_mem", logger: self.logger) }
                throw error
            }
            // Leave the pooled connection as we found it.
            if maintenanceWorkMem != nil { try await connection.query("RESET maintenance_work_mem", logger: self.logger) }
        }
        // Centroids now exist; the agreement is measured again on the data as it is now.
        var updated = stored
        updated.hasViewCentroids = true
        updated.viewAgreement = nil
        remember(updated)
    }

    /// Rebuilds the HNSW indexes of a space with new build parameters (remembered for later builds).
    public func rebuildIndexes(space name: String, hnsw: HNSWParameters, maintenanceWorkMem: String? = nil) async throws {
        var check = configuration
        check.hnsw = hnsw
        try check.validate()
        let stored = try await requireSpace(name)
        let names = self.names
        try await withConnection("recording the HNSW parameters of space '\(name)'") { connection in
            try await connection.query(
                """
                UPDATE \(unescaped: names.spaces) SET hnsw_m = \(hnsw.m), hnsw_ef_construction = \(hnsw.efConstruction)
                WHERE table_id = \(stored.tableID)
                """, logger: self.logger)
        }
        try await dropIndexes(space: name)
        try await buildIndexes(space: name, maintenanceWorkMem: maintenanceWorkMem)
    }

    /// Kind codes with a partial HNSW index: every vector kind and the view centroids.
    static let indexedCodes = VectorKind.allCases.map(\.storageCode) + [ViewCentroids.code]

    static func createIndex(_ stored: PostgresSpace, code: Int16, names: SQLNames, hnsw: HNSWParameters)
        -> PostgresQuery
    {
        """
        CREATE INDEX IF NOT EXISTS \(unescaped: names.hnswIndex(stored.tableID, code: code))
        ON \(unescaped: names.vectors(stored.tableID)) USING hnsw (embedding \(unescaped: stored.cosineOps))
        WITH (m = \(unescaped: String(hnsw.m)), ef_construction = \(unescaped: String(hnsw.efConstruction)))
        WHERE kind = \(unescaped: String(code))
        """
    }

    // MARK: Space lookup

    /// The space, from the cache or the database.
    func requireSpace(_ name: String) async throws -> PostgresSpace {
        if let cached = cachedSpace(name) { return cached }
        try EmbeddingSpace.validate(name: name)
        let names = self.names
        let found = try await withConnection("looking up space '\(name)'") { connection in
            try await Self.fetchSpace(name, names: names, on: connection, logger: self.logger)
        }
        guard let found else { throw StoreError.unknownSpace(name) }
        remember(found)
        return found
    }

    func cachedSpace(_ name: String) -> PostgresSpace? { spaceCache.withLock { $0[name] } }
    func remember(_ space: PostgresSpace) { spaceCache.withLock { $0[space.space.name] = space } }
    func forget(_ name: String) { _ = spaceCache.withLock { $0.removeValue(forKey: name) } }

    static func fetchSpace(_ name: String, names: SQLNames, on connection: PostgresConnection, logger: Logger)
        async throws -> PostgresSpace?
    {
        try await fetchSpaces(names: names, on: connection, logger: logger, only: name).first
    }

    static func fetchSpaces(names: SQLNames, on connection: PostgresConnection, logger: Logger, only: String? = nil)
        async throws -> [PostgresSpace]
    {
        let rows = try await connection.query(
            """
            SELECT name, table_id, model_id, revision, dimension, element_type, view_centroids
            FROM \(unescaped: names.spaces)
            WHERE \(only)::text IS NULL OR name = \(only)::text ORDER BY name
            """, logger: logger)
        var spaces: [PostgresSpace] = []
        for try await (name, tableID, modelID, revision, dimension, element, centroids) in rows.decode(
            (String, Int, String, String, Int, String, Bool).self)
        {
            guard let elementType = PGVector.Format(rawValue: element) else {
                throw StoreError(.incompatibleData, "space '\(name)' has an unknown element type")
            }
            spaces.append(
                PostgresSpace(
                    space: EmbeddingSpace(name: name, modelID: modelID, revision: revision, dimension: dimension),
                    tableID: tableID, elementType: elementType, hasViewCentroids: centroids))
        }
        return spaces
    }

    private static func fetchHNSWParameters(
        _ stored: PostgresSpace, names: SQLNames, on connection: PostgresConnection, logger: Logger
    ) async throws -> HNSWParameters? {
        let rows = try await connection.query(
            "SELECT hnsw_m, hnsw_ef_construction FROM \(unescaped: names.spaces) WHERE table_id = \(stored.tableID)",
            logger: logger)
        for try await (m, efConstruction) in rows.decode((Int, Int).self) {
            return HNSWParameters(m: m, efConstruction: efConstruction)
        }
        return nil
    }
}
