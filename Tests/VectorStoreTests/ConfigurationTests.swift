import Testing
@testable import VectorStore

@Suite("Store configuration and errors")
struct ConfigurationTests {
    @Test("DATABASE_URL is parsed; the password never appears in descriptions")
    func databaseURL() throws {
        let configuration = try PostgresStore.Configuration(
            url: "postgresql://me:s3cr%40t@db.example:6543/assets?sslmode=require")
        #expect(configuration.host == "db.example")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "me")
        #expect(configuration.password == "s3cr@t")
        #expect(configuration.database == "assets")
        #expect(configuration.sslMode == "require")
        #expect(!configuration.redactedDescription.contains("s3cr"))
        let defaults = try PostgresStore.Configuration(url: "postgres://127.0.0.1")
        #expect(defaults.port == 5432 && defaults.username == "postgres" && defaults.database == "postgres")
        #expect(throws: StoreError.self) { try PostgresStore.Configuration(url: "mysql://x@y/z") }
    }

    @Test("Unsafe schema names and impossible HNSW settings are refused before connecting")
    func validation() throws {
        var configuration = PostgresStore.Configuration()
        for bad in ["x; DROP TABLE y", "1abc", "", "Upper", String(repeating: "a", count: 64)] {
            configuration.schema = bad
            #expect(throws: StoreError.self, "\(bad)") { try configuration.validate() }
        }
        configuration.schema = "asset3d"
        configuration.hnsw = .init(m: 16, efConstruction: 16)
        #expect(throws: StoreError.self) { try configuration.validate() }
        configuration.hnsw = .init()
        try configuration.validate()
        configuration.sslMode = "bogus"
        #expect(throws: StoreError.self) { try configuration.clientConfiguration() }
    }

    @Test("Errors print their code and message, and keep the driver's error for logs only")
    func errorText() {
        struct Driver: Error, CustomStringConvertible { var description: String { "driver says password=hunter2" } }
        let error = StoreError(.unavailable, "lost the connection", underlying: Driver())
        #expect(error.description == "unavailable: lost the connection")
        #expect(error.debugDescription.contains("driver says"))
        #expect(StoreError.Code.dimensionMismatch.name == "dimension_mismatch")
    }

    @Test("Space names: letters, digits, '_', '-', '.'; 1–64 characters")
    func spaceNames() throws {
        for good in ["minilm", "siglip2-so400m", "clip_vit.b32", String(repeating: "x", count: 64)] {
            try EmbeddingSpace(name: good, modelID: "m", dimension: 8).validate()
        }
        for bad in ["", "a b", "x'y", "名字", String(repeating: "x", count: 65)] {
            #expect(throws: StoreError.self, "\(bad)") { try EmbeddingSpace(name: bad, modelID: "m", dimension: 8).validate() }
        }
        #expect(throws: StoreError.self) { try EmbeddingSpace(name: "ok", modelID: "m", dimension: 0).validate() }
        #expect(throws: StoreError.self) { try EmbeddingSpace(name: "ok", modelID: "m", dimension: 16_001).validate() }
    }
}
