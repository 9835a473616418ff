import PostgresNIO

/// The PostgreSQL schema as numbered migrations, applied in order by ``PostgresStore/migrate()`` under an
/// advisory lock (so two processes starting at once do not race). Never edit a shipped migration; append.
///
/// Per-space vector tables are created by ``PostgresStore/ensureSpace(_:)``, not here: their column type
/// depends on the space's dimension.
enum PostgresSchema {
    struct Migration: Sendable {
        var version: Int
        var name: String
        var statements: @Sendable (SQLNames) -> [PostgresQuery]
    }

    static let migrations: [Migration] = [
        Migration(version: 1, name: "assets and spaces") { names in
            [
                """
                CREATE TABLE \(unescaped: names.assets) (
                    id text COLLATE "C" PRIMARY KEY,
                    library text NOT NULL,
                    category_key text,
                    license text,
                    largest_side double precision,
                    data jsonb NOT NULL,
                    updated_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                "CREATE INDEX assets_library ON \(unescaped: names.assets) (library)",
                "CREATE INDEX assets_category ON \(unescaped: names.assets) (category_key)",
                "CREATE INDEX assets_license ON \(unescaped: names.assets) (license)",
                """
                CREATE TABLE \(unescaped: names.spaces) (
                    name text PRIMARY KEY,
                    table_id integer GENERATED ALWAYS AS IDENTITY UNIQUE,
                    model_id text NOT NULL,
                    revision text NOT NULL,
                    dimension integer NOT NULL CHECK (dimension BETWEEN 1 AND 16000),
                    element_type text NOT NULL CHECK (element_type IN ('vector', 'halfvec')),
                    hnsw_m integer NOT NULL,
                    hnsw_ef_construction integer NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now()
                )
                """,
            ]
        },
        // Spaces created from now on keep per-asset view centroids (``ViewCentroids``); older ones get them
        // when their indexes are next built.
        Migration(version: 2, name: "view centroids") { names in
            ["ALTER TABLE \(unescaped: names.spaces) ADD COLUMN view_centroids boolean NOT NULL DEFAULT false"]
        },
    ]

    static var latestVersion: Int { migrations.map(\.version).max() ?? 0 }
}

/// A space as the PostgreSQL store keeps it.
struct PostgresSpace: Sendable, Hashable {
    var space: EmbeddingSpace
    var tableID: Int
    var elementType: PGVector.Format
    /// Whether every asset's view centroid is stored (``ViewCentroids``), so searches may start from them.
    var hasViewCentroids = false
    /// Mean cosine between views and their asset's centroid on a sample (``ViewCentroids/agreement``); nil until
    /// measured. Searches start from the centroids only when views agree (``ViewCentroids/minimumAgreement``).
    var viewAgreement: Double?

    /// `vector(d)` or `halfvec(d)`: pgvector indexes `vector` up to 2,000 dimensions, `halfvec` up to 4,000.
    static func elementType(forDimension dimension: Int) -> PGVector.Format {
        dimension <= 2_000 ? .vector : .halfvec
    }

    /// SQL type of the embedding column, e.g. `vector(768)`.
    var columnType: String { "\(elementType.rawValue)(\(space.dimension))" }
    /// HNSW operator class for cosine distance.
    var cosineOps: String { "\(elementType.rawValue)_cosine_ops" }
    /// Whether rows stay within one 8 kB page, so `SET STORAGE PLAIN` keeps vectors inline (no TOAST reads).
    var fitsInline: Bool { 4 + space.dimension * elementType.componentWidth <= 7_800 }
}

extension PostgresStore {
    /// Creates or upgrades the schema. Safe to call from several processes at once and on every start.
    ///
    /// - Throws: ``StoreError`` — `incompatibleData` when the database was migrated by a newer version or its
    ///   pgvector is older than 0.8 (iterative index scans are needed for filtered search).
    public func migrate() async throws {
        let names = self.names
        let logger = self.logger
        try await withTransaction("migrating the schema") { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('asset3d-schema-migration'))", logger: logger)
            try await connection.query("CREATE EXTENSION IF NOT EXISTS vector", logger: logger)
            let versionRows = try await connection.query(
                "SELECT extversion FROM pg_extension WHERE extname = 'vector'", logger: logger)
            var extensionVersion = ""
            for try await version in versionRows.decode(String.self) { extensionVersion = version }
            guard Self.isAtLeast(extensionVersion, major: 0, minor: 8) else {
                throw StoreError(
                    .incompatibleData, "pgvector \(extensionVersion) is too old; 0.8 or later is needed (iterative scans)")
            }
            try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: names.quotedSchema)", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS \(unescaped: names.migrations) (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """, logger: logger)
            var applied = Set<Int>()
            let rows = try await connection.query("SELECT version FROM \(unescaped: names.migrations)", logger: logger)
            for try await version in rows.decode(Int.self) { applied.insert(version) }
            if let newest = applied.max(), newest > PostgresSchema.latestVersion {
                throw StoreError(
                    .incompatibleData,
                    "schema '\(names.schema)' is at version \(newest), newer than this program's \(PostgresSchema.latestVersion)")
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.version) {
                for statement in migration.statements(names) { try await connection.query(statement, logger: logger) }
                try await connection.query(
                    "INSERT INTO \(unescaped: names.migrations) (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
                logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            }
        }
    }

    static func isAtLeast(_ version: String, major: Int, minor: Int) -> Bool {
        let parts = version.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2 else { return false }
        return (parts[0], parts[1]) >= (major, minor)
    }
}
