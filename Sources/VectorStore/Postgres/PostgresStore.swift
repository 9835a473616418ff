import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Assets and vectors in PostgreSQL with pgvector: one table of assets, one table of vectors per embedding space
/// with a partial HNSW index (cosine) per vector kind, binary `COPY` for bulk writes, and searches that walk the
/// index and aggregate views per asset.
///
/// The connection pool is a ServiceLifecycle service: add the store to the application's `ServiceGroup`, or use
/// ``withRunning(_:)`` in a command-line tool. Call ``migrate()`` once before use. When PostgreSQL goes away,
/// operations fail with ``StoreError/Code/unavailable`` (after at most ``Configuration/connectionTimeout``) while
/// the pool keeps reconnecting; they succeed again as soon as the server is back.
public final class PostgresStore: Service, Sendable {
    /// The settings the store was created with.
    public let configuration: Configuration
    let client: PostgresClient
    let logger: Logger
    let names: SQLNames
    let spaceCache = Mutex<[String: PostgresSpace]>([:])

    /// Creates the store and its (not yet running) connection pool.
    public init(configuration: Configuration, logger: Logger = Logger(label: "asset3d.store.postgres")) throws {
        try configuration.validate()
        self.configuration = configuration
        self.logger = logger
        names = SQLNames(schema: configuration.schema)
        client = PostgresClient(configuration: try configuration.clientConfiguration(), backgroundLogger: logger)
    }

    /// Runs the connection pool until the task is cancelled or the service group shuts down gracefully.
    public func run() async throws {
        await client.run()
    }

    /// Runs the pool for the duration of `body` (for command-line tools without a service group).
    public func withRunning<T: Sendable>(_ body: @Sendable (PostgresStore) async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            defer { group.cancelAll() }
            return try await body(self)
        }
    }

    /// Leases a connection for `body`. Waiting for the lease is bounded by the connection timeout, so a dead
    /// server gives a prompt `unavailable` error instead of a hung request.
    func withConnection<T: Sendable>(
        _ what: @autoclosure () -> String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let leased = LeaseFlag()
        let timeout = configuration.connectionTimeout
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await self.client.withConnection { connection in
                        leased.value.store(true, ordering: .releasing)
                        return try await body(connection)
                    }
                }
                group.addTask {
                    do { try await Task.sleep(for: timeout) } catch { return nil }
                    if !leased.value.load(ordering: .acquiring) { throw ConnectionWaitTimeout() }
                    return nil
                }
                var result: T?
                for try await value in group {
                    guard let value else { continue }
                    result = value
                    group.cancelAll()
                }
                guard let result else { throw CancellationError() }
                return result
            }
        } catch {
            throw translating(error, while: what())
        }
    }

    /// Same as ``withConnection(_:_:)`` inside `BEGIN … COMMIT` (rolled back when `body` throws).
    func withTransaction<T: Sendable>(
        _ what: @autoclosure () -> String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        return try await withConnection(what()) { connection in
            try await connection.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }
}

/// Qualified names of the store's tables; the schema name is validated, table names are ours.
struct SQLNames: Sendable {
    let schema: String

    var quotedSchema: String { "\"\(schema)\"" }
    var assets: String { "\(quotedSchema).assets" }
    var spaces: String { "\(quotedSchema).spaces" }
    var migrations: String { "\(quotedSchema).schema_migrations" }

    /// The vector table of a space (`vectors_<id>`, id from the spaces table).
    func vectors(_ tableID: Int) -> String { "\(quotedSchema).vectors_\(tableID)" }
    /// Name (unqualified) of the HNSW index of one kind in a space.
    func hnswIndex(_ tableID: Int, kind: VectorKind) -> String { hnswIndex(tableID, code: kind.storageCode) }
    /// Name (unqualified) of the HNSW index of the rows with this kind code.
    func hnswIndex(_ tableID: Int, code: Int16) -> String { "vectors_\(tableID)_hnsw_\(code)" }
}

/// Set once a connection is leased (read by the timeout task).
final class LeaseFlag: Sendable {
    let value = Atomic<Bool>(false)
}

/// The lease did not arrive within the connection timeout.
struct ConnectionWaitTimeout: Error {}
