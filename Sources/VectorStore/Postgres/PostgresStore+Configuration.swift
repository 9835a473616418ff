import Foundation
import PostgresNIO

extension PostgresStore {
    /// HNSW build parameters (pgvector). Larger values build slower and bigger indexes with better recall.
    public struct HNSWParameters: Sendable, Hashable {
        /// Neighbours per node per layer (pgvector default 16). 16 keeps the 100k × 8-view index in memory on a
        /// laptop; raise to 24–32 for recall above 0.99 at low `ef_search`.
        public var m: Int
        /// Candidate list size while building (pgvector default 64). Must be ≥ 2·m.
        public var efConstruction: Int

        public init(m: Int = 16, efConstruction: Int = 64) {
            self.m = m
            self.efConstruction = efConstruction
        }
    }

    /// Connection and tuning settings.
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var username: String
        /// Never logged nor shown in errors.
        public var password: String?
        public var database: String
        /// TLS mode in libpq's words: `disable` (default for loopback), `prefer`, `require` (encrypt, no
        /// certificate check), `verify-full`.
        public var sslMode: String
        /// Schema holding our tables (created by ``PostgresStore/migrate()``): letters, digits, `_`.
        public var schema: String
        /// Connection pool size.
        public var maximumConnections: Int
        /// How long an operation waits for a connection before failing with ``StoreError/Code/unavailable``.
        /// The pool keeps reconnecting in the background; the next operation succeeds once the server is back.
        public var connectionTimeout: Duration
        /// HNSW build parameters for new indexes.
        public var hnsw: HNSWParameters
        /// `hnsw.ef_search` for ``SearchMode/automatic`` queries.
        public var defaultEfSearch: Int
        /// Views fetched per wanted asset in the first round of a search (more rounds follow when views of the
        /// same assets crowd the list).
        public var overFetch: Int
        /// The same for filtered searches. Larger, because with a filter that excludes the query's neighbourhood
        /// the passing rows are far and nearly equidistant, and the index's relaxed-order walk returns them
        /// loosely ordered: measured on the benchmark data, 4 rows per asset found 8 of the exact top 10, 16 found 10.
        public var filteredOverFetch: Int
        /// Filtered searches whose filter leaves at most this many vectors (estimated) are answered exactly
        /// through the filter's indexes instead of walking the HNSW graph. Measured on 100k assets × 8 views ×
        /// 768-d: a 5 % filter (40k vectors) took 165 ms exactly (recall 1) against 160 ms and recall 0.75
        /// through the graph.
        public var exactFilterLimit: Int
        /// `parallel_workers` of vector tables, so HNSW builds use more than one core.
        public var parallelWorkers: Int
        /// `application_name` of the store's connections (shown in `pg_stat_activity`).
        public var applicationName: String

        public init(
            host: String = "127.0.0.1", port: Int = 5432, username: String = "postgres", password: String? = nil,
            database: String = "postgres", sslMode: String = "disable", schema: String = "asset3d",
            maximumConnections: Int = 8, connectionTimeout: Duration = .seconds(5),
            hnsw: HNSWParameters = HNSWParameters(), defaultEfSearch: Int = 100, overFetch: Int = 4,
            filteredOverFetch: Int = 16, exactFilterLimit: Int = 50_000,
            parallelWorkers: Int = 2, applicationName: String = "asset3d"
        ) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database
            self.sslMode = sslMode
            self.schema = schema
            self.maximumConnections = maximumConnections
            self.connectionTimeout = connectionTimeout
            self.hnsw = hnsw
            self.defaultEfSearch = defaultEfSearch
            self.overFetch = overFetch
            self.filteredOverFetch = filteredOverFetch
            self.exactFilterLimit = exactFilterLimit
            self.parallelWorkers = parallelWorkers
            self.applicationName = applicationName
        }

        /// Reads `postgresql://user:password@host:port/database?sslmode=…` (also `postgres://`).
        public init(url: String) throws {
            guard let components = URLComponents(string: url),
                let scheme = components.scheme, scheme == "postgresql" || scheme == "postgres"
            else {
                throw StoreError.invalidArgument("DATABASE_URL must look like postgresql://user@host:port/database")
            }
            self.init()
            host = components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
            port = components.port ?? 5432
            username = components.user.flatMap { $0.removingPercentEncoding } ?? "postgres"
            password = components.password.flatMap { $0.removingPercentEncoding }
            let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
            database = path.isEmpty ? username : (path.removingPercentEncoding ?? path)
            for item in components.queryItems ?? [] where item.name == "sslmode" {
                sslMode = item.value ?? "disable"
            }
        }

        /// Where the store connects, without credentials (safe for logs and errors).
        public var redactedDescription: String { "postgresql://\(username)@\(host):\(port)/\(database)" }

        func validate() throws {
            guard schema.utf8.count <= 63, let first = schema.utf8.first, !(0x30...0x39).contains(first),
                schema.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F })
            else {
                throw StoreError.invalidArgument(
                    "schema '\(schema.prefix(80))' must be 1–63 lowercase letters, digits or '_', not starting with a digit")
            }
            guard (2...100).contains(hnsw.m), hnsw.efConstruction >= 2 * hnsw.m, hnsw.efConstruction <= 1_000 else {
                throw StoreError.invalidArgument("HNSW needs 2 ≤ m ≤ 100 and 2·m ≤ ef_construction ≤ 1000")
            }
            guard (1...1_000).contains(defaultEfSearch), overFetch >= 1, filteredOverFetch >= 1, maximumConnections >= 1 else {
                throw StoreError.invalidArgument("ef_search must be in 1…1000; over-fetch and pool size at least 1")
            }
        }

        func clientConfiguration() throws -> PostgresClient.Configuration {
            let tls: PostgresClient.Configuration.TLS
            switch sslMode {
            case "disable", "allow", "":
                tls = .disable
            case "prefer", "require":
                var settings = TLSConfiguration.makeClientConfiguration()
                settings.certificateVerification = .none
                tls = sslMode == "prefer" ? .prefer(settings) : .require(settings)
            case "verify-ca", "verify-full":
                tls = .require(TLSConfiguration.makeClientConfiguration())
            default:
                throw StoreError.invalidArgument("unknown sslmode '\(sslMode.prefix(40))'")
            }
            var configuration = PostgresClient.Configuration(
                host: host, port: port, username: username, password: password, database: database, tls: tls)
            configuration.options.maximumConnections = maximumConnections
            configuration.options.connectTimeout = connectionTimeout
            configuration.options.additionalStartupParameters = [("application_name", applicationName)]
            return configuration
        }
    }
}
