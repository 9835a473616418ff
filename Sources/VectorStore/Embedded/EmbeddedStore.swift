import AssetCatalog
import Foundation
import GRDB
import Logging

/// The store that needs no server: one SQLite database (through GRDB) in a data directory holds assets,
/// embedding spaces and vectors; vector search is exact, over in-memory matrices multiplied with BLAS.
///
/// The database runs in WAL mode with a pool of readers, so reads proceed while one writer writes; every
/// method is safe to call from many tasks at once. Writes are transactions: a batch is stored entirely or not
/// at all, and a process killed mid-write leaves the last committed state (resumable ingestion relies on it).
public final class EmbeddedStore: Sendable {
    /// How vectors are stored on disk. Search always runs on 32-bit floats in memory.
    public enum VectorEncoding: String, Sendable, Codable {
        /// 4 bytes per component; exact round trip.
        case float32
        /// 2 bytes per component (IEEE half); halves the file, rounds components to ~3 significant digits.
        case float16
    }

    /// Store settings.
    public struct Options: Sendable {
        /// Database file name inside the directory.
        public var fileName: String
        /// Encoding of vectors in spaces created by this store (existing spaces keep theirs).
        public var vectorEncoding: VectorEncoding
        /// How long a write waits for another process holding the write lock before failing as unavailable.
        public var busyTimeout: TimeInterval

        public init(fileName: String = "asset3d.sqlite", vectorEncoding: VectorEncoding = .float32,
                    busyTimeout: TimeInterval = 10) {
            self.fileName = fileName
            self.vectorEncoding = vectorEncoding
            self.busyTimeout = busyTimeout
        }
    }

    /// Absolute path of the database file.
    public let path: String
    let options: Options
    let pool: DatabasePool
    let logger: Logger
    let memory = MemoryIndex()

    /// Opens (creating if needed) the database in `directory` and migrates its schema to the current version.
    ///
    /// - Throws: ``StoreError`` — `unavailable` when the directory or file cannot be opened, `incompatibleData`
    ///   when the file was written by a newer version of this program or is not a database.
    public init(directory: URL, options: Options = Options(),
                logger: Logger = Logger(label: "asset3d.store.embedded")) throws {
        self.options = options
        self.logger = logger
        guard !options.fileName.isEmpty, !options.fileName.contains("/") else {
            throw StoreError.invalidArgument("the database file name must be a plain file name")
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.unavailable, "cannot create the data directory \(directory.path)", underlying: error)
        }
        path = directory.appendingPathComponent(options.fileName).path

        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(options.busyTimeout)
        configuration.label = "asset3d"
        configuration.prepareDatabase { db in
            // WAL (set by DatabasePool) + NORMAL survives a killed process with every committed transaction;
            // only a power loss may drop the last ones.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError.translating(error, while: "opening \(path)")
        }
        let migrator = EmbeddedSchema.migrator
        do {
            let superseded = try pool.read { db in try migrator.hasBeenSuperseded(db) }
            guard !superseded else {
                throw StoreError(
                    .incompatibleData, "\(path) was written by a newer version of asset3d; upgrade to open it")
            }
            try migrator.migrate(pool)
        } catch {
            throw StoreError.translating(error, while: "migrating \(path)")
        }
    }

    /// Runs a write transaction, translating database errors into ``StoreError``.
    func write<T: Sendable>(_ what: @autoclosure () -> String, _ updates: @escaping @Sendable (Database) throws -> T)
        async throws -> T
    {
        do {
            return try await pool.write(updates)
        } catch {
            throw StoreError.translating(error, while: what())
        }
    }

    /// Runs a read on a snapshot, translating database errors into ``StoreError``.
    func read<T: Sendable>(_ what: @autoclosure () -> String, _ value: @escaping @Sendable (Database) throws -> T)
        async throws -> T
    {
        do {
            return try await pool.read(value)
        } catch {
            throw StoreError.translating(error, while: what())
        }
    }
}

extension StoreError {
    /// Maps SQLite and GRDB errors to store errors; store errors pass through unchanged.
    static func translating(_ error: any Error, while what: String) -> StoreError {
        if let error = error as? StoreError { return error }
        guard let error = error as? DatabaseError else {
            return StoreError(.storageFailure, "\(what) failed", underlying: error)
        }
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(.unavailable, "\(what): the database is locked by another process", underlying: error)
        case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_READONLY, .SQLITE_AUTH:
            return StoreError(.unavailable, "\(what): the database file cannot be opened for writing",
                              underlying: error)
        case .SQLITE_FULL:
            return StoreError(.storageFailure, "\(what): the disk is full", underlying: error)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return StoreError(.incompatibleData, "\(what): the file is damaged or not an asset3d database",
                              underlying: error)
        default:
            return StoreError(.storageFailure, "\(what) failed (SQLite \(error.resultCode.rawValue))",
                              underlying: error)
        }
    }
}
