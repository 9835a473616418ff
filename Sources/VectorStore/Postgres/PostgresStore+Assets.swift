import AssetCatalog
import Foundation
import PostgresNIO

extension PostgresStore: AssetStore {
    /// Inserts or replaces assets by id: one statement per 1,000 assets, the rows passed as one JSON array.
    public func upsert(_ assets: [Asset]) async throws {
        guard !assets.isEmpty else { return }
        // Last occurrence wins within a batch (ON CONFLICT cannot touch a row twice in one statement).
        var latest: [String: Int] = [:]
        for (index, asset) in assets.enumerated() { latest[asset.id.rawValue] = index }
        let unique = latest.values.sorted().map { assets[$0] }
        let payloads = try unique.map { asset in
            let row = try AssetRow(asset)  // validates the id
            return PostgresAssetPayload(
                id: row.id, library: row.library, categoryKey: row.categoryKey, license: row.license,
                largestSide: row.largestSide, data: asset)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let batches = try payloads.chunked(into: 1_000).map { chunk in
            String(decoding: try encoder.encode(Array(chunk)), as: UTF8.self)
        }
        let count = payloads.count
        let assetsTable = names.assets
        try await withTransaction("storing \(count) assets") { connection in
            for batch in batches {
                try await connection.query(
                    """
                    INSERT INTO \(unescaped: assetsTable) (id, library, category_key, license, largest_side, data, updated_at)
                    SELECT r->>'id', r->>'library', r->>'category_key', r->>'license',
                           (r->>'largest_side')::double precision, r->'data', now()
                    FROM jsonb_array_elements(\(batch)::jsonb) AS r
                    ON CONFLICT (id) DO UPDATE SET
                        library = EXCLUDED.library, category_key = EXCLUDED.category_key, license = EXCLUDED.license,
                        largest_side = EXCLUDED.largest_side, data = EXCLUDED.data, updated_at = EXCLUDED.updated_at
                    """, logger: self.logger)
            }
        }
    }

    /// One asset, or nil when unknown.
    public func asset(_ id: AssetID) async throws -> Asset? {
        try await assets([id])[id]
    }

    /// Several assets; unknown ids are absent from the result.
    public func assets(_ ids: [AssetID]) async throws -> [AssetID: Asset] {
        let unique = Array(Set(ids.map(\.rawValue)))
        guard !unique.isEmpty else { return [:] }
        let assetsTable = names.assets
        let documents = try await withConnection("reading \(unique.count) assets") { connection in
            let rows = try await connection.query(
                "SELECT data::text FROM \(unescaped: assetsTable) WHERE id = ANY(\(unique)::text[])", logger: self.logger)
            var documents: [String] = []
            for try await document in rows.decode(String.self) { documents.append(document) }
            return documents
        }
        var result: [AssetID: Asset] = [:]
        for document in documents {
            let asset = try AssetRow.decode(document)
            result[asset.id] = asset
        }
        return result
    }

    /// Up to `limit` assets whose id sorts after `cursor` (ids use the "C" collation: byte order).
    public func assets(after cursor: AssetID?, limit: Int) async throws -> [Asset] {
        guard limit >= 1 else { throw StoreError.invalidArgument("page size must be at least 1, got \(limit)") }
        let assetsTable = names.assets
        let documents = try await withConnection("reading a page of assets") { connection in
            let rows: PostgresRowSequence
            if let cursor {
                rows = try await connection.query(
                    "SELECT data::text FROM \(unescaped: assetsTable) WHERE id > \(cursor.rawValue) ORDER BY id LIMIT \(limit)",
                    logger: self.logger)
            } else {
                rows = try await connection.query(
                    "SELECT data::text FROM \(unescaped: assetsTable) ORDER BY id LIMIT \(limit)", logger: self.logger)
            }
            var documents: [String] = []
            for try await document in rows.decode(String.self) { documents.append(document) }
            return documents
        }
        return try documents.map(AssetRow.decode)
    }

    /// Number of assets.
    public func assetCount() async throws -> Int {
        let assetsTable = names.assets
        return try await withConnection("counting assets") { connection in
            let rows = try await connection.query("SELECT count(*) FROM \(unescaped: assetsTable)", logger: self.logger)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }

    /// Removes assets; their vectors go with them (foreign keys cascade).
    public func delete(_ ids: [AssetID]) async throws {
        let unique = Array(Set(ids.map(\.rawValue)))
        guard !unique.isEmpty else { return }
        let assetsTable = names.assets
        try await withConnection("deleting \(unique.count) assets") { connection in
            try await connection.query(
                "DELETE FROM \(unescaped: assetsTable) WHERE id = ANY(\(unique)::text[])", logger: self.logger)
        }
    }
}

/// One asset row as sent inside the JSON array of an upsert.
private struct PostgresAssetPayload: Encodable {
    var id: String
    var library: String
    var categoryKey: String?
    var license: String?
    var largestSide: Double?
    var data: Asset

    enum CodingKeys: String, CodingKey {
        case id, library, license, data
        case categoryKey = "category_key"
        case largestSide = "largest_side"
    }
}

