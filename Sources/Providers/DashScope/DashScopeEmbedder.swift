import Foundation
import ImageCodec
import Logging

/// Embeddings from DashScope's native multimodal-embedding API (qwen3-vl-embedding,
/// tongyi-embedding-vision-plus/flash, multimodal-embedding-v1).
///
/// Texts and single images are batched (one vector per content item); ``EmbeddingContent/fusedImages(_:)``
/// items are sent one request each with fusion switched on (`enable_fusion` for qwen3-vl-embedding,
/// `multi_images` for the tongyi models), so each asset gets exactly one fused vector.
public struct DashScopeEmbedder: RemoteEmbedder {
    /// The model name sent in `model`.
    public let model: String
    /// Length of every returned vector.
    public let dimension: Int
    /// The limits in force.
    public let profile: EmbeddingModelProfile
    private let configuration: DashScopeEmbeddingConfiguration
    private let transport: ProviderTransport
    private let url: String

    /// Validates the configuration (key present, dimension allowed) and prepares the client.
    public init(
        configuration: DashScopeEmbeddingConfiguration, environment: ProviderEnvironment = ProviderEnvironment()
    ) throws(ProviderError) {
        guard let key = configuration.apiKey, !key.isEmpty else {
            throw .missingAPIKey(service: "DashScope multimodal embedding", variable: configuration.apiKeyVariable)
        }
        guard let profile = configuration.profile ?? EmbeddingModelProfile.known(configuration.model) else {
            throw ProviderError(
                .invalidConfiguration,
                "unknown DashScope embedding model \(configuration.model); pass an EmbeddingModelProfile describing it")
        }
        if let dimension = configuration.dimension, dimension != profile.defaultDimension,
            !profile.allowedDimensions.contains(dimension)
        {
            let allowed =
                profile.allowedDimensions.isEmpty
                ? "it has a fixed dimension of \(profile.defaultDimension)"
                : "allowed: " + profile.allowedDimensions.map(String.init).joined(separator: ", ")
            throw ProviderError(
                .invalidConfiguration, "\(profile.model) cannot produce \(dimension)-d vectors; \(allowed)")
        }
        self.configuration = configuration
        self.profile = profile
        self.model = configuration.model
        self.dimension = configuration.dimension ?? profile.defaultDimension
        self.url = Endpoints.dashScopeMultimodalEmbedding(base: configuration.baseURL)
        self.transport = ProviderTransport(
            service: "DashScope", apiKey: key, options: configuration.http, environment: environment)
    }

    /// Usage summed over every call made with this embedder.
    public var totalUsage: ProviderUsage { transport.usage.value }

    /// Embeds `items`; see ``RemoteEmbedder/embed(_:instruction:)``. `instruction` goes to
    /// `parameters.instruct` (qwen3-vl-embedding only).
    public func embed(_ items: [EmbeddingItem], instruction: String?) async -> EmbeddingRun {
        let meter = UsageMeter()
        var run = EmbeddingRun(dimension: dimension, model: model)
        var unique: [EmbeddingItem] = []
        var seen = Set<String>()
        for item in items {
            if seen.insert(item.id).inserted {
                unique.append(item)
            } else {
                run.failures.append(
                    ItemFailure(id: item.id, error: ProviderError(.invalidConfiguration, "duplicate item id")))
            }
        }
        let instruct: String?
        if let instruction, !profile.supportsInstruct {
            run.notes.append("\(model) does not take an instruction; \"\(instruction.prefix(40))\" was not sent")
            instruct = nil
        } else {
            instruct = instruction
        }
        let (requests, planFailures, notes) = plan(unique)
        run.failures += planFailures
        run.notes += notes
        let outcomes = await boundedConcurrentMap(requests, limit: configuration.http.maxConcurrentRequests) {
            await self.execute($0, instruct: instruct, meter: meter)
        }
        run.record(outcomes, usage: meter.value, logger: transport.logger)
        return run
    }

    // MARK: Planning

    /// A request to send: its items and whether fusion is asked for.
    struct PlannedRequest: Sendable {
        var items: [EmbeddingItem]
        var fused: Bool
    }

    private func plan(_ items: [EmbeddingItem]) -> ([PlannedRequest], [ItemFailure], [String]) {
        var requests: [PlannedRequest] = []
        var failures: [ItemFailure] = []
        var notes: [String] = []
        let textBatch = max(1, min(configuration.batchSize, profile.maxContentsPerRequest))
        let imageBatch = max(
            1, min(configuration.batchSize, profile.maxContentsPerRequest, profile.maxImagesPerRequest))
        var texts: [EmbeddingItem] = []
        var images: [EmbeddingItem] = []
        for item in items {
            switch item.content {
            case .text(let text):
                if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    failures.append(ItemFailure(id: item.id, error: ProviderError(.invalidConfiguration, "empty text")))
                } else {
                    texts.append(item)
                }
            case .image: images.append(item)
            case .fusedImages(let views):
                if profile.fusion == .unsupported {
                    failures.append(
                        ItemFailure(
                            id: item.id,
                            error: ProviderError(.unsupported, "\(model) cannot fuse several images into one vector")))
                } else if views.isEmpty {
                    failures.append(
                        ItemFailure(id: item.id, error: ProviderError(.invalidConfiguration, "no images to fuse")))
                } else {
                    if views.count > profile.maxImagesPerRequest {
                        notes.append(
                            "\(item.id): \(views.count) views reduced to \(profile.maxImagesPerRequest) "
                                + "(limit of \(model))"
                        )
                    }
                    requests.append(PlannedRequest(items: [item], fused: true))
                }
            }
        }
        requests += stride(from: 0, to: texts.count, by: textBatch).map {
            PlannedRequest(items: Array(texts[$0..<min($0 + textBatch, texts.count)]), fused: false)
        }
        requests += stride(from: 0, to: images.count, by: imageBatch).map {
            PlannedRequest(items: Array(images[$0..<min($0 + imageBatch, images.count)]), fused: false)
        }
        return (requests, failures, notes)
    }

    // MARK: Execution

    /// Sends one planned request; when a multi-item request is refused for a reason that will not
    /// go away (a 4xx other than 429, e.g. one unreadable image), each item is retried alone so one
    /// bad input cannot sink its neighbours.
    private func execute(_ request: PlannedRequest, instruct: String?, meter: UsageMeter) async -> EmbeddingOutcome {
        do {
            return try await send(request, instruct: instruct, meter: meter)
        } catch {
            let splittable = request.items.count > 1 && error.blamesTheInput
            guard splittable else { return request.items.map { ($0.id, .failure(error)) } }
            transport.logger.info(
                "request refused; retrying its items one by one",
                metadata: ["model": "\(model)", "items": "\(request.items.count)", "error": "\(error)"])
            var outcome: EmbeddingOutcome = []
            for item in request.items {
                do {
                    outcome += try await send(
                        PlannedRequest(items: [item], fused: false), instruct: instruct, meter: meter)
                } catch {
                    outcome.append((item.id, .failure(error)))
                }
            }
            return outcome
        }
    }

    private func send(
        _ request: PlannedRequest, instruct: String?, meter: UsageMeter
    ) async throws(ProviderError) -> EmbeddingOutcome {
        var contents: [DashScopeWire.Content] = []
        var encodeFailures: EmbeddingOutcome = []
        var sentItems: [EmbeddingItem] = []
        let limits = ImagePayload.Limits(maxBytes: profile.maxImageBytes, maxPixels: profile.maxImagePixels)
        for item in request.items {
            do throws(ProviderError) {
                switch item.content {
                case .text(let text): contents.append(.text(text))
                case .image(let image): contents.append(.image(try ImagePayload.dataURI(for: image, limits: limits)))
                case .fusedImages(let views):
                    let chosen = Self.evenlySpaced(views, count: profile.maxImagesPerRequest)
                    let uris = try chosen.map { (view) throws(ProviderError) in
                        try ImagePayload.dataURI(for: view, limits: limits)
                    }
                    switch profile.fusion {
                    case .enableFusionParameter: contents += uris.map { .image($0) }
                    case .multiImagesContent: contents.append(.multiImages(uris))
                    case .unsupported: throw ProviderError(.unsupported, "\(model) cannot fuse images")
                    }
                }
                sentItems.append(item)
            } catch {
                encodeFailures.append((item.id, .failure(error)))
            }
        }
        guard !sentItems.isEmpty else { return encodeFailures }
        var parameters = DashScopeWire.Parameters()
        if let dimension = configuration.dimension, !profile.allowedDimensions.isEmpty {
            parameters.dimension = dimension
        }
        if request.fused && profile.fusion == .enableFusionParameter { parameters.enableFusion = true }
        if let instruct, profile.supportsInstruct { parameters.instruct = instruct }
        let body = DashScopeWire.Request(
            model: model, input: DashScopeWire.Input(contents: contents),
            parameters: parameters.isEmpty ? nil : parameters)
        let encoded: [UInt8]
        do { encoded = Array(try JSONEncoder().encode(body)) } catch {
            throw ProviderError(.invalidConfiguration, "could not encode the request: \(error)")
        }
        var headers = [("Content-Type", "application/json"), ("Accept", "application/json")]
        if let workspace = configuration.workspace { headers.append(("X-DashScope-WorkSpace", workspace)) }
        let label = request.fused ? "multimodal-embedding (fused)" : "multimodal-embedding"
        let response: DashScopeWire.Response
        do {
            response = try await transport.perform(
                OutgoingRequest(method: .post, url: url, headers: headers, body: encoded, label: label), usage: meter
            ) { try JSONDecoder().decode(DashScopeWire.Response.self, from: Data($0.body)) }
        } catch let error as ProviderError {
            throw error
        } catch {
            throw ProviderError(
                .connection, "DashScope \(label) failed: \(transport.redactor.redactAndTruncate("\(error)"))")
        }
        let imagesSent = contents.map(\.imageCount).reduce(0, +)
        return encodeFailures
            + collect(response, for: sentItems, fused: request.fused, imagesSent: imagesSent, meter: meter)
    }

    /// Maps `output.embeddings[].index` back to items and validates each vector.
    private func collect(
        _ response: DashScopeWire.Response, for items: [EmbeddingItem], fused: Bool, imagesSent: Int, meter: UsageMeter
    ) -> EmbeddingOutcome {
        var accepted = 0
        var outcome: EmbeddingOutcome = []
        let byIndex = Dictionary(
            response.output.embeddings.map { ($0.index, $0.embedding) }, uniquingKeysWith: { a, _ in a })
        let expected = fused && profile.fusion == .enableFusionParameter ? 1 : items.count
        if fused && response.output.embeddings.count != expected {
            let error = ProviderError(
                .malformedResponse, "fusion was requested but \(response.output.embeddings.count) vectors came back",
                requestID: response.requestID)
            return items.map { ($0.id, .failure(error)) }
        }
        for (position, item) in items.enumerated() {
            guard let values = byIndex[position] else {
                outcome.append(
                    (
                        item.id,
                        .failure(
                            ProviderError(
                                .malformedResponse, "no vector with index \(position) in the response",
                                requestID: response.requestID))
                    ))
                continue
            }
            do {
                outcome.append(
                    (item.id, .success(try VectorCheck.normalised(values, expected: dimension, id: item.id))))
                accepted += 1
            } catch {
                var error = error
                error.requestID = response.requestID
                outcome.append((item.id, .failure(error)))
            }
        }
        meter.add {
            $0.inputTokens += response.usage?.inputTokens ?? 0
            $0.imageTokens += response.usage?.imageTokens ?? 0
            $0.images += response.usage?.imageCount ?? imagesSent
            $0.vectors += accepted
        }
        return outcome
    }

    /// `count` elements spread evenly over `views` (all of them when there are few enough).
    static func evenlySpaced<T>(_ views: [T], count: Int) -> [T] {
        guard views.count > count, count > 0 else { return views }
        return (0..<count).map { views[$0 * views.count / count] }
    }
}
