import Foundation
import ImageCodec
import Logging

/// Embeddings from an OpenAI-compatible `/v1/embeddings` endpoint — typically a vLLM server
/// running Qwen3-VL-Embedding (`vllm serve Qwen/Qwen3-VL-Embedding-2B --runner pooling`).
///
/// Texts go in batches through `input`. Images use vLLM's chat-style form, one request per item:
/// `{"messages": [{"role": "user", "content": [{"type": "image_url", …}, …, {"type": "text", …}]}]}`;
/// several images in one message give one fused vector. An instruction, when given, is sent as a
/// system message (so instructed texts also use the chat form).
public struct OpenAIEmbedder: RemoteEmbedder {
    /// The served model name.
    public let model: String
    /// Length of every returned vector.
    public let dimension: Int
    private let configuration: OpenAIEmbeddingConfiguration
    private let transport: ProviderTransport
    private let url: String

    /// Validates the configuration and prepares the client.
    public init(
        configuration: OpenAIEmbeddingConfiguration, environment: ProviderEnvironment = ProviderEnvironment()
    ) throws(ProviderError) {
        guard let base = configuration.baseURL, !base.isEmpty else {
            throw ProviderError(
                .invalidConfiguration,
                "no OpenAI-compatible embedding server configured: "
                    + "set the environment variable \(configuration.baseURLVariable)"
            )
        }
        if configuration.requiresAPIKey && (configuration.apiKey ?? "").isEmpty {
            throw .missingAPIKey(service: "the embedding server", variable: configuration.apiKeyVariable)
        }
        guard configuration.dimension > 0 else {
            throw ProviderError(.invalidConfiguration, "embedding dimension must be positive")
        }
        self.configuration = configuration
        self.model = configuration.model
        self.dimension = configuration.dimension
        self.url = Endpoints.openAI(base: base, path: "embeddings")
        self.transport = ProviderTransport(
            service: "embedding server", apiKey: configuration.apiKey, options: configuration.http,
            environment: environment)
    }

    /// Usage summed over every call made with this embedder.
    public var totalUsage: ProviderUsage { transport.usage.value }

    /// Embeds `items`; see ``RemoteEmbedder/embed(_:instruction:)``. `instruction` becomes a system message.
    public func embed(_ items: [EmbeddingItem], instruction: String?) async -> EmbeddingRun {
        let meter = UsageMeter()
        var run = EmbeddingRun(dimension: dimension, model: model)
        var seen = Set<String>()
        var batched: [EmbeddingItem] = []
        var single: [EmbeddingItem] = []
        for item in items {
            guard seen.insert(item.id).inserted else {
                run.failures.append(
                    ItemFailure(id: item.id, error: ProviderError(.invalidConfiguration, "duplicate item id")))
                continue
            }
            switch item.content {
            case .text(let text) where text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty:
                run.failures.append(ItemFailure(id: item.id, error: ProviderError(.invalidConfiguration, "empty text")))
            case .text where instruction == nil: batched.append(item)
            case .fusedImages(let views) where views.isEmpty:
                run.failures.append(
                    ItemFailure(id: item.id, error: ProviderError(.invalidConfiguration, "no images to fuse")))
            case .fusedImages(let views):
                if views.count > configuration.maxImagesPerRequest {
                    run.notes.append(
                        "\(item.id): \(views.count) views reduced to \(configuration.maxImagesPerRequest) "
                            + "(maxImagesPerRequest)"
                    )
                }
                single.append(item)
            default: single.append(item)
            }
        }
        let groups =
            stride(from: 0, to: batched.count, by: configuration.batchSize).map {
                Array(batched[$0..<min($0 + configuration.batchSize, batched.count)])
            } + single.map { [$0] }
        let outcomes = await boundedConcurrentMap(groups, limit: configuration.http.maxConcurrentRequests) { group in
            await self.execute(group, instruction: instruction, meter: meter)
        }
        run.record(outcomes, usage: meter.value, logger: transport.logger)
        return run
    }

    private func execute(_ group: [EmbeddingItem], instruction: String?, meter: UsageMeter) async -> EmbeddingOutcome {
        do {
            return try await send(group, instruction: instruction, meter: meter)
        } catch {
            guard group.count > 1, error.blamesTheInput else {
                return group.map { ($0.id, .failure(error)) }
            }
            var outcome: EmbeddingOutcome = []
            for item in group {
                do { outcome += try await send([item], instruction: instruction, meter: meter) } catch {
                    outcome.append((item.id, .failure(error)))
                }
            }
            return outcome
        }
    }

    private func send(
        _ group: [EmbeddingItem], instruction: String?, meter: UsageMeter
    ) async throws(ProviderError) -> EmbeddingOutcome {
        var request = OpenAIWire.EmbeddingsRequest(model: model)
        if configuration.sendDimensions { request.dimensions = dimension }
        var images = 0
        if group.count > 1 || instruction == nil, case .text = group[0].content {
            request.input = group.compactMap { if case .text(let text) = $0.content { text } else { nil } }
        } else {
            let (message, count) = try userMessage(for: group[0])
            images = count
            request.messages =
                (instruction.map { [OpenAIWire.Message(role: "system", content: .text($0))] } ?? []) + [message]
        }
        let body: [UInt8]
        do { body = Array(try JSONEncoder().encode(request)) } catch {
            throw ProviderError(.invalidConfiguration, "could not encode the request: \(error)")
        }
        let response: OpenAIWire.EmbeddingsResponse
        do {
            response = try await transport.perform(
                OutgoingRequest(
                    method: .post, url: url, headers: [("Content-Type", "application/json")], body: body,
                    label: request.messages == nil ? "embeddings" : "embeddings (chat form)"),
                usage: meter
            ) { try JSONDecoder().decode(OpenAIWire.EmbeddingsResponse.self, from: Data($0.body)) }
        } catch let error as ProviderError {
            throw error
        } catch {
            throw ProviderError(
                .connection, "embedding request failed: \(transport.redactor.redactAndTruncate("\(error)"))")
        }
        let byIndex = Dictionary(response.data.map { ($0.index, $0.embedding) }, uniquingKeysWith: { a, _ in a })
        var outcome: EmbeddingOutcome = []
        var accepted = 0
        for (position, item) in group.enumerated() {
            guard let values = byIndex[position] else {
                outcome.append(
                    (item.id, .failure(ProviderError(.malformedResponse, "no vector with index \(position)"))))
                continue
            }
            do {
                outcome.append(
                    (item.id, .success(try VectorCheck.normalised(values, expected: dimension, id: item.id))))
                accepted += 1
            } catch {
                outcome.append((item.id, .failure(error)))
            }
        }
        meter.add {
            $0.inputTokens += response.usage?.promptTokens ?? 0
            $0.images += images
            $0.vectors += accepted
        }
        return outcome
    }

    /// The user message for an image, fused images, or an instructed text; returns the image count.
    private func userMessage(for item: EmbeddingItem) throws(ProviderError) -> (OpenAIWire.Message, Int) {
        let limits = ImagePayload.Limits(maxBytes: configuration.maxImageBytes, maxPixels: configuration.maxImagePixels)
        let views: [Image]
        switch item.content {
        case .text(let text): return (OpenAIWire.Message(role: "user", content: .parts([.text(text)])), 0)
        case .image(let image): views = [image]
        case .fusedImages(let all):
            views = DashScopeEmbedder.evenlySpaced(all, count: configuration.maxImagesPerRequest)
        }
        var parts: [OpenAIWire.Part] = []
        for view in views { parts.append(.image(try ImagePayload.dataURI(for: view, limits: limits))) }
        if let placeholder = configuration.imagePlaceholder {
            parts.append(.text(String(repeating: placeholder, count: views.count)))
        }
        return (OpenAIWire.Message(role: "user", content: .parts(parts)), views.count)
    }
}
