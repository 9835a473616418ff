import Foundation
import Testing

@testable import Settings

@Suite struct SettingsTests {
    func configFile(_ json: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("asset3d-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        return url.path
    }

    @Test func defaultsApplyWhenNothingElseIsSet() async throws {
        let settings = try await Settings(environment: [:])
        #expect(settings.string(.dataDir) == "./data")
        #expect(settings.int(.defaultTopK) == 10)
        #expect(settings.lookup(.port).source == .defaultValue)
        #expect(settings.lookup(.dashscopeAPIKey).source == .unset)
        #expect(settings.string(.dashscopeAPIKey) == nil)
    }

    @Test func layersOverrideInOrder() async throws {
        let file = try configFile(#"{"db_host": "file-host", "db_port": 6543, "default_top_k": 7, "db_user": "fileuser"}"#)
        let settings = try await Settings(
            flags: [.dbHost: "flag-host"], environment: ["DB_HOST": "env-host", "DB_PORT": "7777"], configFile: file)
        #expect(settings.lookup(.dbHost) == ("flag-host", .flag))
        #expect(settings.lookup(.dbPort) == ("7777", .environment("DB_PORT")))
        #expect(settings.lookup(.defaultTopK) == ("7", .configFile(file)))
        #expect(settings.int(.defaultTopK) == 7)
        #expect(settings.lookup(.dbUser) == ("fileuser", .configFile(file)))
        #expect(settings.lookup(.dbName) == ("asset3d", .defaultValue))
    }

    @Test func configFileFromEnvironment() async throws {
        let file = try configFile(#"{"max_assets": 50}"#)
        let settings = try await Settings(environment: ["ASSET3D_CONFIG": file])
        #expect(settings.int(.maxAssets) == 50)
        await #expect(throws: SettingsError.self) {
            _ = try await Settings(environment: ["ASSET3D_CONFIG": "/nonexistent/asset3d.json"])
        }
    }

    @Test func secretsAreRedactedInTheReport() async throws {
        let settings = try await Settings(environment: [
            "DASHSCOPE_API_KEY": "sk-very-secret",
            "DATABASE_URL": "postgresql://app:hunter2@db.example:5432/assets",
            "DB_PASSWORD": "hunter2",
        ])
        let report = settings.report()
        let text = report.map { "\($0.key.environmentName)=\($0.shown) (\($0.source))" }.joined(separator: "\n")
        #expect(!text.contains("sk-very-secret"))
        #expect(!text.contains("hunter2"))
        #expect(text.contains("DASHSCOPE_API_KEY=*** (environment DASHSCOPE_API_KEY)"))
        #expect(text.contains("DATABASE_URL=postgresql://app:***@db.example:5432/assets"))
        // The value itself is still available to the program.
        #expect(settings.string(.dashscopeAPIKey) == "sk-very-secret")
    }

    @Test func malformedValuesAreRejectedWithTheirSource() async throws {
        let error = await #expect(throws: SettingsError.self) {
            _ = try await Settings(environment: ["DEFAULT_TOP_K": "ten"])
        }
        #expect(error?.description.contains("DEFAULT_TOP_K must be an integer") == true)
        #expect(error?.description.contains("environment DEFAULT_TOP_K") == true)
        let urlError = await #expect(throws: SettingsError.self) {
            _ = try await Settings(environment: ["DATABASE_URL": "not a url with secret"])
        }
        #expect(urlError?.description.contains("secret") == false)
    }
}
