import Foundation
import ImageCodec
import Providers
import Testing

/// DashScope multimodal embedding against the in-process fake.
@Suite struct DashScopeEmbedderTests {
    static let key = "sk-test-0123456789abcdef"

    /// Starts a fake DashScope and an embedder pointed at it; stops the server afterwards.
    func withEmbedder(
        model: String = "qwen3-vl-embedding", dimension: Int? = nil, batchSize: Int = 10,
        http: HTTPOptions = .test(), environment: TestEnvironment = TestEnvironment(),
        _ body: (DashScopeEmbedder, FakeDashScope, FakeHTTPServer) async throws -> Void
    ) async throws {
        let fake = FakeDashScope(apiKey: Self.key)
        let server = try await FakeHTTPServer.start { await fake.handle($0) }
        do {
            let embedder = try DashScopeEmbedder(
                configuration: DashScopeEmbeddingConfiguration(
                    baseURL: server.baseURL, apiKey: Self.key, model: model, dimension: dimension, batchSize: batchSize,
                    http: http),
                environment: environment.provider)
            try await body(embedder, fake, server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static func norm(_ vector: [Float]) -> Float { vector.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    @Test func fusionIsRequestedAndEachAssetGetsOneVector() async throws {
        try await withEmbedder { embedder, fake, _ in
            let items = (0..<3).map { asset in
                EmbeddingItem(
                    id: "asset-\(asset)",
                    content: .fusedImages(
                        (0..<4).map { TestImages.gradient(width: 64, height: 48, seed: asset * 10 + $0) }))
            }
            let run = await embedder.embed(items)
            #expect(run.failures.isEmpty)
            #expect(run.vectors.count == 3)
            #expect(Set(run.vectors.keys) == ["asset-0", "asset-1", "asset-2"])
            for vector in run.vectors.values {
                #expect(vector.count == 2560)
                #expect(abs(Self.norm(vector) - 1) < 1e-4)
            }
            // One request per asset, fusion switched on, all four views sent.
            let calls = fake.validCalls
            #expect(calls.count == 3)
            #expect(calls.allSatisfy { $0.enableFusion == true && $0.images.count == 4 && $0.texts.isEmpty })
            #expect(run.usage.images == 12)
            #expect(run.usage.imageTokens == 12 * (2 * 1 + 2))
            #expect(run.usage.vectors == 3)
        }
    }

    @Test func independentImagesAndTextsDoNotAskForFusion() async throws {
        try await withEmbedder(batchSize: 10) { embedder, fake, _ in
            var items = (0..<25).map { EmbeddingItem(id: "t\($0)", content: .text("a wooden chair number \($0)")) }
            items += (0..<7).map {
                EmbeddingItem(id: "v\($0)", content: .image(TestImages.gradient(width: 40, height: 40, seed: $0)))
            }
            let run = await embedder.embed(items, instruction: "Find 3D models that match the query.")
            #expect(run.failures.isEmpty)
            #expect(run.vectors.count == 32)
            let calls = fake.validCalls
            // 25 texts in batches of 10 → 3 requests; 7 images at ≤5 per request → 2 requests.
            #expect(calls.filter { !$0.texts.isEmpty }.map(\.texts.count).sorted() == [5, 10, 10])
            #expect(calls.filter { !$0.images.isEmpty }.map(\.images.count).sorted() == [2, 5])
            #expect(calls.allSatisfy { $0.enableFusion == nil })
            #expect(calls.allSatisfy { $0.instruct == "Find 3D models that match the query." })
            // Distinct inputs give distinct vectors (each mapped back by index).
            #expect(run.vectors["t0"] != run.vectors["t1"])
        }
    }

    @Test func dimensionParameterIsHonoured() async throws {
        try await withEmbedder(dimension: 1024) { embedder, fake, _ in
            #expect(embedder.dimension == 1024)
            let run = await embedder.embed([
                EmbeddingItem(id: "text", content: .text("sofa")),
                EmbeddingItem(id: "fused", content: .fusedImages([TestImages.gradient(width: 32, height: 32)])),
            ])
            #expect(run.failures.isEmpty)
            #expect(run.vectors.values.allSatisfy { $0.count == 1024 })
            #expect(fake.validCalls.count == 2)
            #expect(fake.validCalls.allSatisfy { $0.dimension == 1024 })
        }
        #expect(throws: ProviderError.self) {
            _ = try DashScopeEmbedder(configuration: DashScopeEmbeddingConfiguration(apiKey: Self.key, dimension: 1000))
        }
        do throws(ProviderError) {
            _ = try DashScopeEmbedder(
                configuration: DashScopeEmbeddingConfiguration(
                    apiKey: Self.key, model: "multimodal-embedding-v1", dimension: 512))
            Issue.record("a fixed-dimension model accepted another dimension")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.description.contains("fixed dimension of 1024"))
        }
    }

    @Test func tongyiModelsFuseThroughMultiImagesAndRespectTheirImageLimit() async throws {
        try await withEmbedder(model: "tongyi-embedding-vision-plus") { embedder, fake, _ in
            let views = (0..<10).map { TestImages.gradient(width: 32, height: 32, seed: $0) }
            let run = await embedder.embed([EmbeddingItem(id: "asset", content: .fusedImages(views))])
            #expect(run.failures.isEmpty)
            #expect(run.vectors["asset"]?.count == 1152)
            let call = try #require(fake.validCalls.first)
            #expect(call.multiImageGroups == [8])
            #expect(call.enableFusion == nil)
            #expect(run.notes.contains { $0.contains("10 views reduced to 8") })
        }
    }

    @Test func modelsWithoutFusionReportTheItemInsteadOfSendingIt() async throws {
        try await withEmbedder(model: "multimodal-embedding-v1") { embedder, fake, server in
            let run = await embedder.embed([
                EmbeddingItem(id: "fused", content: .fusedImages([TestImages.gradient(width: 32, height: 32)])),
                EmbeddingItem(id: "text", content: .text("lamp")),
            ])
            #expect(run.vectors.keys.sorted() == ["text"])
            #expect(run.failures.map(\.id) == ["fused"])
            #expect(run.failures.first?.error.code == .unsupported)
            #expect(server.requests.count == 1)
            #expect(fake.validCalls.count == 1)
        }
    }

    @Test func oversizeImagesAreDownscaledToFitTheLimits() async throws {
        try await withEmbedder { embedder, fake, _ in
            // 1400×1400 noise: 1.96 Mpx (above 1.84 Mpx) and a ~7.8 MB data URI (above 5 MB).
            let big = TestImages.noise(width: 1400, height: 1400)
            let run = await embedder.embed([EmbeddingItem(id: "big", content: .image(big))])
            #expect(run.failures.isEmpty, "\(run.failures)")
            let image = try #require(fake.validCalls.first?.images.first)
            #expect(image.bytes <= 5 << 20)
            #expect(image.width * image.height <= 1_843_200)
            #expect(image.width < 1400 && abs(image.width - image.height) <= 1)
            #expect(run.vectors["big"]?.count == 2560)
        }
    }

    @Test func aMissingKeyNamesTheVariableToSet() {
        do throws(ProviderError) {
            _ = try DashScopeEmbedder(configuration: DashScopeEmbeddingConfiguration(apiKey: nil))
            Issue.record("no error without a key")
        } catch {
            #expect(error.code == .missingAPIKey)
            #expect(error.description.contains("DASHSCOPE_API_KEY"))
        }
        do throws(ProviderError) {
            _ = try DashScopeEmbedder(
                configuration: DashScopeEmbeddingConfiguration(apiKey: "", apiKeyVariable: "MY_KEY"))
            Issue.record("no error with an empty key")
        } catch {
            #expect(error.description.contains("MY_KEY"))
        }
    }

    @Test func tenPercentFailingItemsAreListedAndNoZeroVectorIsReturned() async throws {
        try await withEmbedder(batchSize: 10) { embedder, _, _ in
            // 40 items: 2 make the service return an all-zero vector, 2 are refused by moderation
            // (which refuses their whole batch; the embedder then retries the batch item by item).
            let items = (0..<40).map { index -> EmbeddingItem in
                let marker = [3, 17].contains(index) ? " ZERO" : [8, 31].contains(index) ? " MODERATED" : ""
                return EmbeddingItem(
                    id: String(format: "item-%02d", index), content: .text("caption \(index)\(marker)"))
            }
            let run = await embedder.embed(items)
            #expect(run.failedIDs == ["item-03", "item-08", "item-17", "item-31"])
            #expect(run.vectors.count == 36)
            #expect(run.failures.filter { $0.error.code == .invalidVector }.map(\.id) == ["item-03", "item-17"])
            #expect(run.failures.filter { $0.error.httpStatus == 400 }.map(\.id) == ["item-08", "item-31"])
            for (id, vector) in run.vectors {
                #expect(abs(Self.norm(vector) - 1) < 1e-4, "\(id) is not a unit vector")
            }
            #expect(run.vectors["item-03"] == nil && run.vectors["item-08"] == nil)
        }
    }

    @Test func transientFaultsAreRetried() async throws {
        let environment = TestEnvironment()
        try await withEmbedder(environment: environment) { embedder, fake, server in
            fake.inject([.status(500, code: "InternalError"), .malformedJSON, .status(503, code: "ServiceUnavailable")])
            let run = await embedder.embed([EmbeddingItem(id: "x", content: .text("table"))])
            #expect(run.failures.isEmpty)
            #expect(run.vectors["x"] != nil)
            #expect(server.requests.count == 4)
            #expect(run.usage.retries == 3)
            #expect(environment.clock.sleeps.count == 3)
        }
    }

    @Test func timeoutsAreRetriedThenReported() async throws {
        // The deadline leaves room for a loaded CI machine; the injected delays (cut short when
        // the fake stops) are far beyond it.
        try await withEmbedder(http: .test(timeout: .seconds(8), attempts: 2)) { embedder, fake, _ in
            fake.inject([.delay(.seconds(30))])
            let recovered = await embedder.embed([EmbeddingItem(id: "a", content: .text("bed"))])
            #expect(recovered.failures.isEmpty)
            #expect(recovered.usage.retries == 1)

            fake.inject([.delay(.seconds(30)), .delay(.seconds(30))])
            let failed = await embedder.embed([EmbeddingItem(id: "b", content: .text("desk"))])
            #expect(failed.vectors.isEmpty)
            #expect(failed.failures.first?.error.code == .timeout)
        }
    }
}
