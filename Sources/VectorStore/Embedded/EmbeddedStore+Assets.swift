import AssetCatalog
import Foundation
import GRDB

extension EmbeddedStore: AssetStore {
    /// Inserts or replaces assets by id in one transaction.
    public func upsert(_ assets: [Asset]) async throws {
        guard !assets.isEmpty else { return }
        let rows = try assets.map(AssetRow.init)
        try await write("storing \(assets.count) assets") { db in
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO asset (id, library, category_key, license, largest_side, json, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET
                        library = excluded.library, category_key = excluded.category_key,
                        license = excluded.license, largest_side = excluded.largest_side,
                        json = excluded.json, updated_at = excluded.updated_at
                    """)
            let previous = try EmbeddedSchema.bumpGeneration(db)
            self.memory.afterCommit(db, previousGeneration: previous) { directory, _ in
                for row in rows { directory.upsert(row) }
            }
            let now = Date().timeIntervalSince1970
            for row in rows {
                try statement.execute(arguments: [
                    row.id, row.library, row.categoryKey, row.license, row.largestSide, row.json, now,
                ])
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
        let payloads = try await read("reading \(unique.count) assets") { db in
            var payloads: [String] = []
            for chunk in unique.chunked(into: 500) {
                let marks = databaseQuestionMarks(count: chunk.count)
                payloads += try String.fetchAll(
                    db, sql: "SELECT json FROM asset WHERE id IN (\(marks))", arguments: StatementArguments(chunk))
            }
            return payloads
        }
        var result: [AssetID: Asset] = [:]
        for payload in payloads {
            let asset = try AssetRow.decode(payload)
            result[asset.id] = asset
        }
        return result
    }

    /// Up to `limit` assets whose id sorts after `cursor`, in id order (SQLite compares text bytewise).
    public func assets(after cursor: AssetID?, limit: Int) async throws -> [Asset] {
        guard limit >= 1 else { throw StoreError.invalidArgument("page size must be at least 1, got \(limit)") }
        let payloads = try await read("reading a page of assets") { db in
            if let cursor {
                return try String.fetchAll(
                    db, sql: "SELECT json FROM asset WHERE id > ? ORDER BY id LIMIT ?",
                    arguments: [cursor.rawValue, limit])
            }
            return try String.fetchAll(db, sql: "SELECT json FROM asset ORDER BY id LIMIT ?", arguments: [limit])
        }
        return try payloads.map(AssetRow.decode)
    }

    /// Number of assets.
    public func assetCount() async throws -> Int {
        try await read("counting assets") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM asset") ?? 0 }
    }

    /// Removes assets and (through foreign keys) every vector they own.
    public func delete(_ ids: [AssetID]) async throws {
        let unique = Array(Set(ids.map(\.rawValue)))
        guard !unique.isEmpty else { return }
        try await write("deleting \(unique.count) assets") { db in
            let previous = try EmbeddedSchema.bumpGeneration(db)
            self.memory.afterCommit(db, previousGeneration: previous) { directory, matrices in
                for id in unique {
                    guard let ordinal = directory.markDeleted(AssetID(id)) else { continue }
                    for matrix in matrices.values { matrix.removeAll(of: ordinal) }
                }
            }
            for chunk in unique.chunked(into: 500) {
                try db.execute(
                    sql: "DELETE FROM asset WHERE id IN (\(databaseQuestionMarks(count: chunk.count)))",
                    arguments: StatementArguments(chunk))
            }
        }
    }
}

/// An asset as stored: the JSON document plus the columns filters read.
struct AssetRow: Sendable {
    var id: String
    var library: String
    var categoryKey: String?
    var license: String?
    var largestSide: Double?
    var json: String

    init(_ asset: Asset) throws {
        guard asset.id.isWellFormed else {
            throw StoreError.invalidArgument(
                "malformed asset id '\(asset.id.rawValue.prefix(80))' (empty, over 256 bytes or control characters)")
        }
        id = asset.id.rawValue
        library = asset.library
        categoryKey = asset.category.map(AssetFilter.categoryKey)
        license = asset.license
        largestSide = asset.dimensions?.largestSide
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            json = String(decoding: try encoder.encode(asset), as: UTF8.self)
        } catch {
            throw StoreError(.invalidArgument, "asset '\(asset.id)' cannot be encoded", underlying: error)
        }
    }

    static func decode(_ json: String) throws -> Asset {
        do {
            return try JSONDecoder().decode(Asset.self, from: Data(json.utf8))
        } catch {
            throw StoreError(.incompatibleData, "a stored asset cannot be decoded", underlying: error)
        }
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
