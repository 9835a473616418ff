import AssetCatalog
import Foundation
import Providers
import Testing

/// Direct-mode translation against the fake OpenAI-compatible server.
@Suite struct ChatTranslatorTests {
    static let key = "sk-translate-9876543210fedcba"

    @Test func translatesConcurrentlyWithinTheLimitAndListsFailures() async throws {
        let environment = TestEnvironment()
        let fake = FakeOpenAI(apiKey: Self.key)
        let server = try await FakeHTTPServer.start { await fake.handle($0) }
        let translator = try ChatTranslator(
            configuration: TranslationConfiguration(
                baseURL: server.baseURL + "/compatible-mode/v1", apiKey: Self.key, http: .test(concurrency: 3)),
            environment: environment.provider)
        let items = (0..<20).map {
            TranslationItem(id: "a\($0)", text: $0 == 7 || $0 == 13 ? "FAIL item \($0)" : "oak table \($0)")
        }
        let run = await translator.translate(items)
        await server.stop()
        #expect(run.translations.count == 18)
        #expect(run.translations["a0"] == FakeOpenAI.translation(of: "oak table 0"))
        #expect(run.failedIDs == ["a13", "a7"])
        #expect(run.failures.allSatisfy { $0.error.httpStatus == 400 })
        #expect(fake.maxInFlight <= 3)
        #expect(fake.maxInFlight >= 2)
        #expect(run.usage.requests == 18)
        #expect(run.usage.outputTokens == 18 * 7)
        #expect(server.requests.allSatisfy { $0.path == "/compatible-mode/v1/chat/completions" })
        let body = try #require(server.requests.first?.json)
        #expect(body["model"] as? String == "qwen-plus")
        let messages = try #require(body["messages"] as? [[String: Any]])
        #expect((messages[0]["content"] as? String)?.contains("Chinese translation only") == true)
        // The result becomes captions marked as machine-translated.
        let caption = try #require(run.caption(for: "a0"))
        #expect(caption.language == .zh)
        #expect(caption.origin == .machineTranslated(model: "qwen-plus"))
    }

    @Test func theRateLimitSpacesRequests() async throws {
        let environment = TestEnvironment()
        let fake = FakeOpenAI(apiKey: Self.key)
        let server = try await FakeHTTPServer.start { await fake.handle($0) }
        let translator = try ChatTranslator(
            configuration: TranslationConfiguration(
                baseURL: server.baseURL + "/v1", apiKey: Self.key, http: .test(concurrency: 4, requestsPerMinute: 120)),
            environment: environment.provider)
        let run = await translator.translate((0..<5).map { TranslationItem(id: "\($0)", text: "lamp \($0)") })
        await server.stop()
        #expect(run.translations.count == 5)
        // 120/min → starts 0.5 s apart: the last of five starts no earlier than 2 s.
        let waited = environment.clock.sleeps.reduce(Duration.zero, +)
        #expect(waited >= .seconds(2))
        #expect(!environment.clock.sleeps.isEmpty)
    }

    @Test func aMissingKeyNamesTheVariableToSet() {
        do throws(ProviderError) {
            _ = try ChatTranslator(configuration: TranslationConfiguration(apiKey: nil))
            Issue.record("no error without a key")
        } catch {
            #expect(error.code == .missingAPIKey)
            #expect(error.description.contains("DASHSCOPE_API_KEY"))
        }
        // A local server without a key is fine when the configuration says so.
        #expect(throws: Never.self) {
            _ = try ChatTranslator(
                configuration: TranslationConfiguration(
                    baseURL: "http://127.0.0.1:9/v1", apiKey: nil, requiresAPIKey: false))
        }
    }

    @Test func assetsWithoutARealChineseCaptionAreSelected() {
        let files = AssetFiles(root: "/tmp")
        let assets = [
            Asset(
                id: "a", library: "l", name: "Chair",
                captions: [Caption(language: .en, text: "A chair", origin: .dataset(name: "cap3d"))], files: files),
            Asset(
                id: "b", library: "l", name: "Bed", nameZH: "床",
                captions: [Caption(language: .zh, text: "床", origin: .catalog(locale: "zh_CN"))], files: files),
            Asset(
                id: "c", library: "l", name: "Desk",
                captions: [Caption(language: .zh, text: "桌子", origin: .machineTranslated(model: "qwen-plus"))],
                files: files),
            Asset(id: "d", library: "l", name: "Lamp", files: files),
        ]
        #expect(TranslationItem.needingTranslation(assets).map(\.id) == ["a", "d"])
        #expect(TranslationItem.needingTranslation(assets).first?.text == "A chair")
        #expect(TranslationItem.needingTranslation(assets, retranslate: true).map(\.id) == ["a", "c", "d"])
    }
}
