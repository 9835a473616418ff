import Foundation
import Logging
import Settings
import VectorStore

/// Opens the configured store: `--store`/`ASSET3D_STORE`, else postgres when `DATABASE_URL` is set, else embedded.
enum StoreFactory {
    enum Kind: String {
        case embedded, postgres
    }

    static func kind(_ settings: Settings) throws -> Kind {
        if let explicit = settings.string(.store) {
            guard let kind = Kind(rawValue: explicit.lowercased()) else {
                throw CLIError("unknown store \"\(explicit)\"; use embedded or postgres")
            }
            return kind
        }
        return settings.string(.databaseURL) == nil ? .embedded : .postgres
    }

    /// An opened store: assets and vectors (one object for both stores) and its name.
    struct Handle {
        var assets: any AssetStore
        var vectors: any VectorIndex
        var name: String
    }

    /// PostgreSQL settings: `DATABASE_URL`, else `DB_HOST`, `DB_PORT`, `DB_USER`, `DB_PASSWORD`, `DB_NAME`.
    static func postgresConfiguration(_ settings: Settings) throws -> PostgresStore.Configuration {
        if let url = settings.string(.databaseURL) { return try PostgresStore.Configuration(url: url) }
        var configuration = PostgresStore.Configuration()
        configuration.host = settings.string(.dbHost) ?? "localhost"
        configuration.port = settings.int(.dbPort) ?? 5432
        configuration.username = settings.string(.dbUser) ?? "postgres"
        configuration.password = settings.string(.dbPassword)
        configuration.database = settings.string(.dbName) ?? "asset3d"
        return configuration
    }

    /// Runs `body` with the store open; for PostgreSQL the connection pool runs alongside and the schema is
    /// migrated first.
    static func withStore<T>(_ settings: Settings, logger: Logger, _ body: (Handle) async throws -> T) async throws -> T {
        switch try kind(settings) {
        case .embedded:
            let store = try EmbeddedStore(directory: settings.dataDirectory, logger: logger)
            return try await body(Handle(assets: store, vectors: store, name: Kind.embedded.rawValue))
        case .postgres:
            let configuration = try postgresConfiguration(settings)
            let store = try PostgresStore(configuration: configuration, logger: logger)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await store.run() }
                defer { group.cancelAll() }
                do {
                    try await store.migrate()
                } catch {
                    throw CLIError("cannot use PostgreSQL at \(configuration.redactedDescription): \(error)")
                }
                return try await body(Handle(assets: store, vectors: store, name: Kind.postgres.rawValue))
            }
        }
    }
}
