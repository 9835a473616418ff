import Foundation
import Logging
import Providers
import Testing

/// API keys never reach logs or error messages.
@Suite struct SecretHandlingTests {
    static let key = "sk-LEAKCHECK-5f3a9c1e7b2d4086"

    static func assertNoKey(in texts: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        for text in texts {
            #expect(!text.contains(key), "key in: \(text)", sourceLocation: sourceLocation)
            #expect(!text.contains(String(key.prefix(8))), "key prefix in: \(text)", sourceLocation: sourceLocation)
            #expect(!text.contains(String(key.suffix(8))), "key suffix in: \(text)", sourceLocation: sourceLocation)
        }
    }

    @Test func theKeyNeverAppearsInLogsOrErrors() async throws {
        let environment = TestEnvironment()
        var errors: [String] = []

        // 1. DashScope with retries, a refused item and a zero vector: the key is sent, never logged.
        let dashScope = FakeDashScope(apiKey: Self.key)
        dashScope.inject([.status(429, code: "Throttling", retryAfter: "1"), .status(500, code: "InternalError")])
        let dashScopeServer = try await FakeHTTPServer.start { await dashScope.handle($0) }
        let embedder = try DashScopeEmbedder(
            configuration: DashScopeEmbeddingConfiguration(
                baseURL: dashScopeServer.baseURL, apiKey: Self.key, http: .test()),
            environment: environment.provider)
        let run = await embedder.embed([
            EmbeddingItem(id: "ok", content: .text("chair")),
            EmbeddingItem(id: "zero", content: .text("ZERO")),
            EmbeddingItem(id: "refused", content: .text("MODERATED")),
        ])
        #expect(run.vectors.keys.sorted() == ["ok"])
        errors += run.failures.map(\.description)
        #expect(dashScopeServer.requests.allSatisfy { $0.headers["authorization"] == "Bearer \(Self.key)" })
        await dashScopeServer.stop()

        // 2. A server that rejects the key and echoes it back in its message (as OpenAI-style servers do).
        let strict = FakeOpenAI(apiKey: "sk-some-other-key-000000")
        let strictServer = try await FakeHTTPServer.start { await strict.handle($0) }
        let translator = try ChatTranslator(
            configuration: TranslationConfiguration(
                baseURL: strictServer.baseURL + "/v1", apiKey: Self.key, http: .test()),
            environment: environment.provider)
        let translated = await translator.translate([TranslationItem(id: "a", text: "desk")])
        let failure = try #require(translated.failures.first)
        #expect(failure.error.httpStatus == 401)
        #expect(failure.error.message.contains("[redacted]"))
        errors += translated.failures.map(\.description)
        do {
            _ = try await translator.translate("lamp")
        } catch {
            errors.append(error.description)
            errors.append(String(describing: error))
        }
        await strictServer.stop()

        // 3. A batch run (upload, create, poll, download) logs progress without the key.
        let batchAPI = FakeOpenAI(apiKey: Self.key)
        let batchServer = try await FakeHTTPServer.start { await batchAPI.handle($0) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("leak-\(UUID().uuidString)")
        let batch = try BatchTranslator(
            configuration: TranslationConfiguration(
                baseURL: batchServer.baseURL + "/v1", apiKey: Self.key, http: .test()),
            stateDirectory: directory, environment: environment.provider)
        let batchRun = try await batch.run([
            TranslationItem(id: "a", text: "sofa"), TranslationItem(id: "b", text: "FAIL"),
        ])
        #expect(batchRun.translations.count == 1)
        errors += batchRun.failures.map(\.description)
        let state = try String(contentsOf: directory.appendingPathComponent("translation-state.json"), encoding: .utf8)
        await batchServer.stop()
        try? FileManager.default.removeItem(at: directory)

        let logs = environment.logs.all
        #expect(logs.count > 10)
        #expect(logs.contains { $0.contains("retrying request") })
        Self.assertNoKey(in: logs)
        Self.assertNoKey(in: errors)
        Self.assertNoKey(in: [state])
    }

    @Test func theRedactorRemovesKeysAndMaskedEchoes() {
        let redactor = SecretRedactor(secrets: [Self.key, nil, "abc"])
        #expect(redactor.redact("key \(Self.key)!") == "key [redacted]!")
        #expect(!redactor.redact("Incorrect API key provided: sk-LEAKC****************4086").contains("sk-LEAKC"))
        #expect(redactor.redact("abc stays, too short to be a key") == "abc stays, too short to be a key")
        #expect(redactor.redactAndTruncate(String(repeating: "x", count: 500), limit: 10).count == 11)
    }
}
