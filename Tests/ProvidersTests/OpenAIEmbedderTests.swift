import Foundation
import Providers
import Testing

/// OpenAI-compatible `/v1/embeddings` (vLLM's form for Qwen3-VL-Embedding) against the fake.
@Suite struct OpenAIEmbedderTests {
    func withEmbedder(
        baseSuffix: String = "", key: String? = nil, sendDimensions: Bool = false,
        _ body: (OpenAIEmbedder, FakeOpenAI, FakeHTTPServer) async throws -> Void
    ) async throws {
        let fake = FakeOpenAI(apiKey: key)
        let server = try await FakeHTTPServer.start { await fake.handle($0) }
        do {
            let embedder = try OpenAIEmbedder(
                configuration: OpenAIEmbeddingConfiguration(
                    baseURL: server.baseURL + baseSuffix, apiKey: key, model: "Qwen/Qwen3-VL-Embedding-2B",
                    dimension: 64,
                    sendDimensions: sendDimensions, batchSize: 4, http: .test()),
                environment: TestEnvironment().provider)
            try await body(embedder, fake, server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    @Test func textsAreBatchedThroughInput() async throws {
        try await withEmbedder(baseSuffix: "/v1", key: "local-secret-key") { embedder, _, server in
            let items = (0..<10).map { EmbeddingItem(id: "t\($0)", content: .text("armchair \($0)")) }
            let run = await embedder.embed(items)
            #expect(run.failures.isEmpty)
            #expect(run.vectors.count == 10)
            #expect(run.vectors.values.allSatisfy { $0.count == 64 })
            let bodies = server.requests.compactMap(\.json)
            #expect(server.requests.allSatisfy { $0.path == "/v1/embeddings" && $0.method == "POST" })
            #expect(bodies.map { ($0["input"] as? [String])?.count ?? 0 }.sorted() == [2, 4, 4])
            #expect(bodies.allSatisfy { $0["messages"] == nil && $0["dimensions"] == nil })
            #expect(run.usage.inputTokens > 0)
        }
    }

    @Test func imagesUseTheChatFormAndFusedViewsGiveOneVector() async throws {
        try await withEmbedder(sendDimensions: true) { embedder, _, server in
            let views = (0..<3).map { TestImages.gradient(width: 48, height: 48, seed: $0) }
            let run = await embedder.embed([
                EmbeddingItem(id: "single", content: .image(views[0])),
                EmbeddingItem(id: "fused", content: .fusedImages(views)),
            ])
            #expect(run.failures.isEmpty)
            #expect(run.vectors.count == 2)
            let bodies = server.requests.compactMap(\.json)
            #expect(bodies.count == 2)
            for body in bodies {
                #expect(body["input"] == nil)
                #expect(body["dimensions"] as? Int == 64)
                let messages = try #require(body["messages"] as? [[String: Any]])
                #expect(messages.count == 1 && messages[0]["role"] as? String == "user")
                let parts = try #require(messages[0]["content"] as? [[String: Any]])
                let images = parts.filter { $0["type"] as? String == "image_url" }
                let text = parts.last?["text"] as? String ?? ""
                // One vision placeholder per image, as vLLM's Qwen3-VL embedding example sends.
                #expect(
                    text.components(separatedBy: "<|vision_start|><|image_pad|><|vision_end|>").count - 1
                        == images.count)
                #expect(
                    images.allSatisfy {
                        (($0["image_url"] as? [String: Any])?["url"] as? String)?.hasPrefix("data:image/png;base64,")
                            == true
                    })
            }
            #expect(
                bodies.map { body in
                    ((body["messages"] as? [[String: Any]])?[0]["content"] as? [[String: Any]])?
                        .filter { $0["type"] as? String == "image_url" }.count ?? 0
                }.sorted() == [1, 3])
        }
    }

    @Test func anInstructionBecomesASystemMessage() async throws {
        try await withEmbedder { embedder, _, server in
            let run = await embedder.embed(
                [EmbeddingItem(id: "q", content: .text("red sofa"))], instruction: "Find 3D assets.")
            #expect(run.vectors["q"] != nil)
            let messages = try #require(server.requests.first?.json?["messages"] as? [[String: Any]])
            #expect(messages.first?["role"] as? String == "system")
            #expect(messages.first?["content"] as? String == "Find 3D assets.")
        }
    }

    @Test func aMissingServerNamesTheVariable() {
        do throws(ProviderError) {
            _ = try OpenAIEmbedder(configuration: OpenAIEmbeddingConfiguration(baseURL: nil))
            Issue.record("no error without a base URL")
        } catch {
            #expect(error.description.contains("EMBEDDING_BASE_URL"))
        }
        do throws(ProviderError) {
            _ = try OpenAIEmbedder(
                configuration: OpenAIEmbeddingConfiguration(baseURL: "http://x", requiresAPIKey: true))
            Issue.record("no error without a required key")
        } catch {
            #expect(error.code == .missingAPIKey)
            #expect(error.description.contains("EMBEDDING_API_KEY"))
        }
    }

    @Test func wrongDimensionsAreRejectedNotStored() async throws {
        let fake = FakeOpenAI(apiKey: nil)
        let server = try await FakeHTTPServer.start { await fake.handle($0) }
        // The server returns 64-d vectors; the configuration expects 128.
        let embedder = try OpenAIEmbedder(
            configuration: OpenAIEmbeddingConfiguration(baseURL: server.baseURL, dimension: 128, http: .test()),
            environment: TestEnvironment().provider)
        let run = await embedder.embed([EmbeddingItem(id: "a", content: .text("stool"))])
        await server.stop()
        #expect(run.vectors.isEmpty)
        #expect(run.failures.first?.error.code == .invalidVector)
    }
}
