import AssetCatalog
import Foundation
import GRDB

/// A space as the embedded store keeps it.
struct StoredSpace: Sendable {
    var space: EmbeddingSpace
    var encoding: EmbeddedStore.VectorEncoding

    static func fetch(_ db: Database, name: String) throws -> StoredSpace? {
        guard
            let row = try Row.fetchOne(
                db, sql: "SELECT name, model_id, revision, dimension, encoding FROM space WHERE name = ?",
                arguments: [name])
        else { return nil }
        return try StoredSpace(row: row)
    }

    static func fetchAll(_ db: Database) throws -> [StoredSpace] {
        try Row.fetchAll(db, sql: "SELECT name, model_id, revision, dimension, encoding FROM space ORDER BY name")
            .map(StoredSpace.init)
    }

    init(space: EmbeddingSpace, encoding: EmbeddedStore.VectorEncoding) {
        self.space = space
        self.encoding = encoding
    }

    init(row: Row) throws {
        guard let encoding = EmbeddedStore.VectorEncoding(rawValue: row["encoding"]) else {
            throw StoreError(.incompatibleData, "space '\(row["name"] as String)' has an unknown vector encoding")
        }
        space = EmbeddingSpace(name: row["name"], modelID: row["model_id"], revision: row["revision"],
                               dimension: row["dimension"])
        self.encoding = encoding
    }

    static func require(_ db: Database, name: String) throws -> StoredSpace {
        guard let stored = try fetch(db, name: name) else { throw StoreError.unknownSpace(name) }
        return stored
    }
}

extension EmbeddingSpace {
    /// Throws ``StoreError/Code/spaceConflict`` unless `other` describes the same model, revision and dimension.
    func checkSame(as other: EmbeddingSpace) throws {
        guard modelID == other.modelID, revision == other.revision, dimension == other.dimension else {
            throw StoreError(
                .spaceConflict,
                "space '\(name)' holds \(dimension)-d vectors of \(modelID)@\(revision); "
                    + "\(other.modelID)@\(other.revision) (\(other.dimension)-d) needs another space name, "
                    + "or drop the space first")
        }
    }
}

extension EmbeddedStore {
    /// Creates the space if missing (with this store's vector encoding).
    public func ensureSpace(_ space: EmbeddingSpace) async throws {
        try space.validate()
        let encoding = options.vectorEncoding
        try await write("creating space '\(space.name)'") { db in
            if let existing = try StoredSpace.fetch(db, name: space.name) {
                try existing.space.checkSame(as: space)
                return
            }
            // A new space changes no loaded matrix; the generation still moves so other processes notice.
            let previous = try EmbeddedSchema.bumpGeneration(db)
            self.memory.afterCommit(db, previousGeneration: previous) { _, _ in }
            try db.execute(
                sql: """
                    INSERT INTO space (name, model_id, revision, dimension, encoding, created_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [space.name, space.modelID, space.revision, space.dimension, encoding.rawValue,
                            Date().timeIntervalSince1970])
        }
    }

    /// Every space with its vector counts per kind.
    public func spaces() async throws -> [SpaceSummary] {
        try await read("listing spaces") { db in
            var counts: [String: [VectorKind: Int]] = [:]
            let rows = try Row.fetchAll(db, sql: "SELECT space, kind, count(*) AS n FROM vector GROUP BY space, kind")
            for row in rows {
                guard let kind = VectorKind(storageCode: row["kind"]) else { continue }
                counts[row["space"], default: [:]][kind] = row["n"]
            }
            return try StoredSpace.fetchAll(db).map { SpaceSummary(space: $0.space, counts: counts[$0.space.name] ?? [:]) }
        }
    }

    /// Drops a space and (through foreign keys) its vectors.
    public func dropSpace(named name: String) async throws {
        try await write("dropping space '\(name)'") { db in
            guard try StoredSpace.fetch(db, name: name) != nil else { return }
            let previous = try EmbeddedSchema.bumpGeneration(db)
            self.memory.afterCommitDroppingMatrices(db, previousGeneration: previous, space: name)
            try db.execute(sql: "DELETE FROM vector WHERE space = ?", arguments: [name])
            try db.execute(sql: "DELETE FROM space WHERE name = ?", arguments: [name])
        }
    }
}
