import AssetCatalog
import GRDB

/// The in-memory side of ``EmbeddedStore``: the asset directory and one ``VectorMatrix`` per searched
/// (space, kind), loaded lazily and kept consistent with writes.
///
/// Consistency rests on a generation counter in the database that every write transaction increments (by any
/// process sharing the file). The memory records which generation it reflects. A write made by this store
/// updates memory right after its commit, on the database's serial writer queue, when memory was at the
/// generation the transaction started from; any other gap (another process wrote) discards memory, and the
/// next search reloads it. Searches compare the generation they read with the memory's before using it.
final class MemoryIndex: @unchecked Sendable {
    struct MatrixKey: Hashable {
        var space: String
        var kind: VectorKind
    }

    let lock = ReadWriteLock()
    // Everything below is guarded by `lock`.
    /// Generation the loaded state reflects; nil when nothing is loaded.
    private(set) var generation: Int64?
    private(set) var directory = AssetDirectory()
    private(set) var matrices: [MatrixKey: VectorMatrix] = [:]

    /// True when memory reflects `generation` and holds the matrices of `kinds` in `space`.
    func isReady(generation: Int64, space: String, kinds: [VectorKind]) -> Bool {
        lock.withReadLock {
            self.generation == generation && kinds.allSatisfy { matrices[MatrixKey(space: space, kind: $0)] != nil }
        }
    }

    /// Installs what a load read at `generation`: drops everything first when memory reflected another one.
    func install(generation: Int64, directory: AssetDirectory?, matrices newMatrices: [MatrixKey: VectorMatrix]) {
        lock.withWriteLock {
            if self.generation != generation {
                self.generation = nil
                self.directory = AssetDirectory()
                matrices = [:]
            }
            if let directory { self.directory = directory }
            matrices.merge(newMatrices) { _, new in new }
            self.generation = generation
        }
    }

    /// Whether a load at `generation` must (re)read the directory.
    func needsDirectory(at generation: Int64) -> Bool {
        lock.withReadLock { self.generation != generation }
    }

    /// Kinds of `space` whose matrices a load at `generation` must read.
    func missingKinds(at generation: Int64, space: String, kinds: [VectorKind]) -> [VectorKind] {
        lock.withReadLock {
            guard self.generation == generation else { return kinds }
            return kinds.filter { matrices[MatrixKey(space: space, kind: $0)] == nil }
        }
    }

    /// Registers `change` to run on the loaded state once the current transaction commits, which moved the
    /// database from `previousGeneration` to the next one.
    func afterCommit(_ db: Database, previousGeneration: Int64,
                     _ change: @escaping @Sendable (inout AssetDirectory, [MatrixKey: VectorMatrix]) -> Void)
    {
        db.afterNextTransaction(onCommit: { [self] _ in
            lock.withWriteLock {
                guard let generation else { return }
                guard generation == previousGeneration else {
                    // Another process wrote in between: what we hold is stale.
                    self.generation = nil
                    directory = AssetDirectory()
                    matrices = [:]
                    return
                }
                change(&directory, matrices)
                self.generation = previousGeneration + 1
            }
        })
    }

    /// Same as ``afterCommit(_:previousGeneration:_:)`` for changes that add or remove whole matrices.
    func afterCommitDroppingMatrices(_ db: Database, previousGeneration: Int64, space: String) {
        db.afterNextTransaction(onCommit: { [self] _ in
            lock.withWriteLock {
                guard let generation else { return }
                guard generation == previousGeneration else {
                    self.generation = nil
                    directory = AssetDirectory()
                    matrices = [:]
                    return
                }
                matrices = matrices.filter { $0.key.space != space }
                self.generation = previousGeneration + 1
            }
        })
    }

    /// Runs `body` with shared access to the loaded state and the matrices of `kinds` in `space`, if memory
    /// reflects `generation` or a later one (later writes of this process are fine to see) and holds them all.
    func withLoadedState<T>(atLeast generation: Int64, space: String, kinds: [VectorKind],
                            _ body: (AssetDirectory, [(VectorKind, VectorMatrix)]) throws -> T) rethrows -> T? {
        try lock.withReadLock {
            guard let current = self.generation, current >= generation else { return nil }
            var selected: [(VectorKind, VectorMatrix)] = []
            for kind in kinds {
                guard let matrix = matrices[MatrixKey(space: space, kind: kind)] else { return nil }
                selected.append((kind, matrix))
            }
            return try body(directory, selected)
        }
    }

    /// A copy of the directory (copy-on-write: cheap until one side changes).
    func currentDirectory() -> AssetDirectory {
        lock.withReadLock { directory }
    }
}

extension EmbeddedSchema {
    /// Increments the store generation inside a write transaction and returns the value it had before.
    static func bumpGeneration(_ db: Database) throws -> Int64 {
        try db.execute(sql: "UPDATE store_state SET generation = generation + 1 WHERE id = 1")
        guard let generation = try Int64.fetchOne(db, sql: "SELECT generation FROM store_state WHERE id = 1") else {
            throw StoreError(.incompatibleData, "the store_state row is missing")
        }
        return generation - 1
    }

    static func generation(_ db: Database) throws -> Int64 {
        guard let generation = try Int64.fetchOne(db, sql: "SELECT generation FROM store_state WHERE id = 1") else {
            throw StoreError(.incompatibleData, "the store_state row is missing")
        }
        return generation
    }
}
