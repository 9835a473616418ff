import AssetCatalog
import Foundation
import GRDB
import Logging

extension EmbeddedStore: VectorIndex {
    /// Inserts or replaces vectors in one transaction; loaded matrices follow right after the commit.
    public func upsert(space name: String, _ records: [VectorRecord]) async throws {
        guard !records.isEmpty else { return }
        try await write("storing \(records.count) vectors in space '\(name)'") { db in
            let stored = try StoredSpace.require(db, name: name)
            // Stored exactly as memory will hold them (float16 rounding included), so a reload changes nothing.
            var checked: [(record: VectorRecord, blob: Data)] = []
            checked.reserveCapacity(records.count)
            for record in records {
                var record = try VectorCheck.checked(record, space: stored.space)
                let blob = VectorBlob.encode(record.vector, as: stored.encoding)
                if stored.encoding == .float16 {
                    record.vector = try VectorBlob.decode(blob, as: .float16, dimension: stored.space.dimension)
                }
                checked.append((record, blob))
            }
            try Self.requireAssets(db, Set(checked.map(\.record.assetID.rawValue)))

            let previous = try EmbeddedSchema.bumpGeneration(db)
            let records = checked.map(\.record)
            self.memory.afterCommit(db, previousGeneration: previous) { directory, matrices in
                for record in records {
                    guard let matrix = matrices[.init(space: name, kind: record.kind)],
                        let owner = directory.ordinal(of: record.assetID)
                    else { continue }
                    matrix.set(owner: owner, view: Int16(record.viewIndex), vector: record.vector)
                }
            }
            let statement = try db.cachedStatement(
                sql: """
                    INSERT INTO vector (space, kind, asset_id, view, data) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (space, kind, asset_id, view) DO UPDATE SET data = excluded.data
                    """)
            for (record, blob) in checked {
                try statement.execute(arguments: [
                    name, record.kind.storageCode, record.assetID.rawValue, record.viewIndex, blob,
                ])
            }
        }
    }

    /// Removes the vectors of these assets from one space.
    public func deleteVectors(space name: String, of assets: [AssetID]) async throws {
        let unique = Array(Set(assets.map(\.rawValue)))
        guard !unique.isEmpty else { return }
        try await write("deleting vectors of \(unique.count) assets in space '\(name)'") { db in
            _ = try StoredSpace.require(db, name: name)
            let previous = try EmbeddedSchema.bumpGeneration(db)
            self.memory.afterCommit(db, previousGeneration: previous) { directory, matrices in
                for id in unique {
                    guard let owner = directory.ordinal(of: AssetID(id)) else { continue }
                    for (key, matrix) in matrices where key.space == name { matrix.removeAll(of: owner) }
                }
            }
            for chunk in unique.chunked(into: 500) {
                try db.execute(
                    sql: "DELETE FROM vector WHERE space = ? AND asset_id IN (\(databaseQuestionMarks(count: chunk.count)))",
                    arguments: StatementArguments([name] + Array(chunk)))
            }
        }
    }

    /// Every vector an asset owns in a space, ordered by kind and view.
    public func vectors(of asset: AssetID, space name: String) async throws -> [VectorRecord] {
        try await read("reading the vectors of '\(asset)'") { db in
            let stored = try StoredSpace.require(db, name: name)
            let rows = try Row.fetchAll(
                db, sql: "SELECT kind, view, data FROM vector WHERE asset_id = ? AND space = ? ORDER BY kind, view",
                arguments: [asset.rawValue, name])
            return try rows.map { row in
                guard let kind = VectorKind(storageCode: row["kind"]) else {
                    throw StoreError(.incompatibleData, "a stored vector of '\(asset)' has an unknown kind")
                }
                let vector = try VectorBlob.decode(row["data"], as: stored.encoding, dimension: stored.space.dimension)
                return VectorRecord(assetID: asset, kind: kind, viewIndex: row["view"], vector: vector)
            }
        }
    }

    /// The assets with at least one vector of `kind` in the space.
    public func assetIDs(withVectorsIn name: String, kind: VectorKind) async throws -> Set<AssetID> {
        try await read("listing assets with vectors in space '\(name)'") { db in
            _ = try StoredSpace.require(db, name: name)
            let ids = try String.fetchAll(
                db, sql: "SELECT DISTINCT asset_id FROM vector WHERE space = ? AND kind = ?",
                arguments: [name, kind.storageCode])
            return Set(ids.map { AssetID($0) })
        }
    }

    /// Exact k-NN over the in-memory matrices of the query's kinds (loaded on first use).
    public func search(_ query: VectorQuery) async throws -> [VectorHit] {
        let kinds = VectorKind.allCases.filter(query.kinds.contains)
        var (stored, generation) = try await read("searching space '\(query.space)'") { db in
            (try StoredSpace.require(db, name: query.space), try EmbeddedSchema.generation(db))
        }
        for _ in 0..<3 {
            if !memory.isReady(generation: generation, space: query.space, kinds: kinds) {
                (stored, generation) = try await load(space: query.space, kinds: kinds)
            }
            // Validated against the space as (re)loaded: it may have been dropped and recreated meanwhile.
            let vector = try VectorCheck.checked(query, space: stored.space)
            let hits = memory.withLoadedState(atLeast: generation, space: query.space, kinds: kinds) {
                directory, matrices -> [VectorHit]? in
                guard matrices.allSatisfy({ $0.1.dimension == vector.count }) else { return nil }
                return ExactSearch.search(
                    vector, matrices: matrices, directory: directory, k: query.k, filter: query.filter,
                    excluding: query.excluding)
            } ?? nil
            if let hits { return hits }
            // Another process wrote (memory was discarded) or the space was dropped meanwhile: start over.
            (stored, generation) = try await read("searching space '\(query.space)'") { db in
                (try StoredSpace.require(db, name: query.space), try EmbeddedSchema.generation(db))
            }
        }
        throw StoreError(.unavailable, "the store kept changing while searching space '\(query.space)'; retry")
    }

    /// Reads the directory (when stale) and the missing matrices on the writer queue, so no write of this
    /// process can slip between reading and installing them.
    private func load(space name: String, kinds: [VectorKind]) async throws -> (StoredSpace, Int64) {
        try await write("loading space '\(name)' into memory") { db in
            let stored = try StoredSpace.require(db, name: name)
            let generation = try EmbeddedSchema.generation(db)
            let reloaded = self.memory.needsDirectory(at: generation) ? try Self.loadDirectory(db) : nil
            let directory = reloaded ?? self.memory.currentDirectory()
            let missing = self.memory.missingKinds(at: generation, space: name, kinds: kinds)
            var loaded: [MemoryIndex.MatrixKey: VectorMatrix] = [:]
            for kind in missing {
                loaded[.init(space: name, kind: kind)] = try Self.loadMatrix(
                    db, space: stored, kind: kind, ordinal: directory.ordinal(of:))
            }
            self.memory.install(generation: generation, directory: reloaded, matrices: loaded)
            self.logger.debug(
                "loaded vectors into memory",
                metadata: ["space": "\(name)", "kinds": "\(missing.map(\.rawValue))", "generation": "\(generation)"])
            return (stored, generation)
        }
    }

    private static func loadDirectory(_ db: Database) throws -> AssetDirectory {
        var directory = AssetDirectory()
        let rows = try Row.fetchCursor(db, sql: "SELECT id, library, category_key, license, largest_side FROM asset")
        while let row = try rows.next() {
            directory.upsert(id: AssetID(row["id"] as String), library: row["library"], categoryKey: row["category_key"],
                             license: row["license"], largestSide: row["largest_side"])
        }
        return directory
    }

    private static func loadMatrix(_ db: Database, space: StoredSpace, kind: VectorKind,
                                   ordinal: (AssetID) -> Int32?) throws -> VectorMatrix {
        let count = try Int.fetchOne(
            db, sql: "SELECT count(*) FROM vector WHERE space = ? AND kind = ?",
            arguments: [space.space.name, kind.storageCode]) ?? 0
        let matrix = VectorMatrix(dimension: space.space.dimension, capacity: count)
        let rows = try Row.fetchCursor(
            db, sql: "SELECT asset_id, view, data FROM vector WHERE space = ? AND kind = ?",
            arguments: [space.space.name, kind.storageCode])
        while let row = try rows.next() {
            let id = AssetID(row[0] as String)
            guard let owner = ordinal(id) else {
                throw StoreError(.incompatibleData, "a vector belongs to '\(id)', which is not in the asset table")
            }
            let view: Int = row[1]
            try row.withUnsafeData(atIndex: 2) { data in
                guard let data else { throw StoreError(.incompatibleData, "a stored vector of '\(id)' is empty") }
                try matrix.set(owner: owner, view: Int16(clamping: view)) { destination in
                    try VectorBlob.decode(data, as: space.encoding, dimension: space.space.dimension, into: destination)
                }
            }
        }
        return matrix
    }

    /// Throws ``StoreError/Code/unknownAsset`` naming the first id the asset table lacks.
    private static func requireAssets(_ db: Database, _ ids: Set<String>) throws {
        for chunk in Array(ids).chunked(into: 500) {
            let found = try String.fetchSet(
                db, sql: "SELECT id FROM asset WHERE id IN (\(databaseQuestionMarks(count: chunk.count)))",
                arguments: StatementArguments(chunk))
            if let missing = chunk.first(where: { !found.contains($0) }) {
                throw StoreError(.unknownAsset, "cannot store vectors for unknown asset '\(missing)'; store the asset first")
            }
        }
    }
}
