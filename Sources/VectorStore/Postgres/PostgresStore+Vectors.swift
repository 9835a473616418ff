import AssetCatalog
import NIOCore
import PostgresNIO

extension PostgresStore: VectorIndex {
    /// Inserts or replaces vectors: a binary `COPY` into a temporary staging table, then one
    /// `INSERT … ON CONFLICT DO UPDATE` into the space's table and the refresh of the touched assets' view
    /// centroids (``ViewCentroids``), in one transaction.
    public func upsert(space name: String, _ records: [VectorRecord]) async throws {
        guard !records.isEmpty else { return }
        let stored = try await requireSpace(name)
        // Validate and normalise everything before touching the database; the last record per key wins.
        var latest: [VectorKey: Int] = [:]
        var checked: [VectorRecord] = []
        checked.reserveCapacity(records.count)
        for record in records {
            let record = try VectorCheck.checked(record, space: stored.space)
            let key = VectorKey(asset: record.assetID.rawValue, kind: record.kind.storageCode, view: record.viewIndex)
            if let index = latest[key] { checked[index] = record } else {
                latest[key] = checked.count
                checked.append(record)
            }
        }
        let names = self.names
        let logger = self.logger
        let rows = checked
        try await withTransaction("storing \(rows.count) vectors in space '\(name)'") { connection in
            try await connection.query(
                """
                CREATE TEMPORARY TABLE asset3d_staging (
                    asset_id text COLLATE "C" NOT NULL, kind smallint NOT NULL, view smallint NOT NULL,
                    embedding \(unescaped: stored.columnType) NOT NULL
                ) ON COMMIT DROP
                """, logger: logger)
            try await Self.copyBinary(rows, format: stored.elementType, into: "asset3d_staging", on: connection, logger: logger)
            let missing = try await connection.query(
                """
                SELECT s.asset_id FROM asset3d_staging s
                WHERE NOT EXISTS (SELECT 1 FROM \(unescaped: names.assets) a WHERE a.id = s.asset_id) LIMIT 1
                """, logger: logger)
            for try await id in missing.decode(String.self) {
                throw StoreError(.unknownAsset, "cannot store vectors for unknown asset '\(id)'; store the asset first")
            }
            try await connection.query(
                """
                INSERT INTO \(unescaped: names.vectors(stored.tableID)) (asset_id, kind, view, embedding)
                SELECT asset_id, kind, view, embedding FROM asset3d_staging
                ON CONFLICT (asset_id, kind, view) DO UPDATE SET embedding = EXCLUDED.embedding
                """, logger: logger)
            if rows.contains(where: { $0.kind == .imageView }) {
                try await ViewCentroids.refreshStaged(stored, names: names, on: connection, logger: logger)
            }
        }
    }

    /// Streams records to `COPY <table> (asset_id, kind, view, embedding) FROM STDIN WITH (FORMAT binary)`.
    ///
    /// PostgresNIO 1.33's `copyFrom` only spells `FORMAT text`, but inserts its `table` argument verbatim (as its
    /// documentation warns). We pass a constant of our own that completes the statement with the binary format
    /// and comments out the rest of the line. No caller input ever reaches this string.
    static func copyBinary(
        _ records: [VectorRecord], format: PGVector.Format, into table: StaticString, on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let target = "\(table)\" (asset_id, kind, view, embedding) FROM STDIN WITH (FORMAT binary) --"
        try await connection.copyFrom(table: target, logger: logger) { writer in
            var copy = BinaryCopyWriter()
            for record in records {
                copy.beginTuple(fieldCount: 4)
                copy.write(text: record.assetID.rawValue)
                copy.write(int16: record.kind.storageCode)
                copy.write(int16: Int16(record.viewIndex))
                copy.write(vector: PGVector(record.vector, format: format))
                if copy.buffer.readableBytes >= 1 << 20 { try await writer.write(copy.takeChunk()) }
            }
            copy.finish()
            try await writer.write(copy.takeChunk())
        }
    }

    /// Removes the vectors of these assets from one space.
    public func deleteVectors(space name: String, of assets: [AssetID]) async throws {
        let unique = Array(Set(assets.map(\.rawValue)))
        guard !unique.isEmpty else { return }
        let stored = try await requireSpace(name)
        let table = names.vectors(stored.tableID)
        try await withConnection("deleting vectors of \(unique.count) assets in space '\(name)'") { connection in
            try await connection.query(
                "DELETE FROM \(unescaped: table) WHERE asset_id = ANY(\(unique)::text[])", logger: self.logger)
        }
    }

    /// Every vector an asset owns in a space, ordered by kind and view.
    public func vectors(of asset: AssetID, space name: String) async throws -> [VectorRecord] {
        let stored = try await requireSpace(name)
        let table = names.vectors(stored.tableID)
        return try await withConnection("reading the vectors of '\(asset)'") { connection in
            let rows = try await connection.query(
                """
                SELECT kind, view, embedding::vector FROM \(unescaped: table)
                WHERE asset_id = \(asset.rawValue) AND kind <> \(ViewCentroids.code) ORDER BY kind, view
                """, logger: self.logger)
            var records: [VectorRecord] = []
            for try await (code, view, vector) in rows.decode((Int16, Int16, PGVector).self) {
                guard let kind = VectorKind(storageCode: code) else {
                    throw StoreError(.incompatibleData, "a stored vector of '\(asset)' has an unknown kind")
                }
                records.append(VectorRecord(assetID: asset, kind: kind, viewIndex: Int(view), vector: vector.components))
            }
            return records
        }
    }

    /// The assets with at least one vector of `kind` in the space.
    public func assetIDs(withVectorsIn name: String, kind: VectorKind) async throws -> Set<AssetID> {
        let stored = try await requireSpace(name)
        let table = names.vectors(stored.tableID)
        return try await withConnection("listing assets with vectors in space '\(name)'") { connection in
            let rows = try await connection.query(
                "SELECT DISTINCT asset_id FROM \(unescaped: table) WHERE kind = \(kind.storageCode)", logger: self.logger)
            var ids = Set<AssetID>()
            for try await id in rows.decode(String.self) { ids.insert(AssetID(id)) }
            return ids
        }
    }
}

/// (asset, kind, view): what identifies a stored vector.
struct VectorKey: Hashable {
    var asset: String
    var kind: Int16
    var view: Int
}
