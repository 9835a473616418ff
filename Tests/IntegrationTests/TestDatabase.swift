import AssetCatalog
import Foundation
import Logging
import PostgresNIO
import Testing
@testable import VectorStore

/// Access to the PostgreSQL server the integration tests run against (`DATABASE_URL`). Each test works in a
/// schema of its own, dropped at the end, so tests run in parallel without seeing each other.
enum TestDatabase {
    static let missingMessage: Comment = """
        DATABASE_URL is not set. Start PostgreSQL with pgvector first, e.g. `asset3d db start` (or \
        scripts' pg-local recipe) and export DATABASE_URL=postgresql://postgres@127.0.0.1:55432/vecdb
        """

    static func configuration(schema: String = uniqueSchema()) throws -> PostgresStore.Configuration {
        let url = try #require(ProcessInfo.processInfo.environment["DATABASE_URL"], missingMessage)
        var configuration = try PostgresStore.Configuration(url: url)
        configuration.schema = schema
        configuration.maximumConnections = 4
        // Generous: many tests connect and migrate at once; outage tests set their own short deadline.
        configuration.connectionTimeout = .seconds(60)
        return configuration
    }

    static func uniqueSchema() -> String {
        "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
    }

    /// Runs `body` with a migrated store in a fresh schema, then drops the schema.
    static func withStore<T: Sendable>(
        _ configure: (inout PostgresStore.Configuration) -> Void = { _ in },
        _ body: @Sendable (PostgresStore) async throws -> T
    ) async throws -> T {
        var configuration = try configuration()
        configure(&configuration)
        let store = try PostgresStore(configuration: configuration, logger: Logger(label: "test"))
        return try await store.withRunning { store in
            try await store.migrate()
            do {
                let result = try await body(store)
                try await dropSchema(of: store)
                return result
            } catch {
                try? await dropSchema(of: store)
                throw error
            }
        }
    }

    static func dropSchema(of store: PostgresStore) async throws {
        let schema = store.names.quotedSchema
        try await store.withConnection("dropping the test schema") { connection in
            try await connection.query("DROP SCHEMA IF EXISTS \(unescaped: schema) CASCADE", logger: store.logger)
        }
    }
}
