import AssetCatalog
import ImageCodec
import Providers
import VectorStore

/// The `qwen` space: Qwen3-VL-Embedding (or another multimodal model) behind DashScope or an
/// OpenAI-compatible server. Bilingual text, and the views of an asset fused into one vector.
public struct RemoteSpaceEmbedder: SpaceEmbedder {
    public let space: EmbeddingSpace
    public var textLanguages: Set<Language> { [.en, .zh] }
    public var readsImages: Bool { true }
    public var fusesImages: Bool { true }
    let remote: any RemoteEmbedder
    let usage: @Sendable () -> ProviderUsage?

    /// Task description sent with queries (Qwen3-VL-Embedding is trained with instructions on the query side).
    public static let queryInstruction = "Retrieve 3D assets whose description or rendered views match the query."

    /// Wraps a remote embedder as the space `name`; `provider` prefixes the model id (`dashscope`, `openai`).
    public init(name: String = "qwen", provider: String, remote: any RemoteEmbedder,
                usage: @escaping @Sendable () -> ProviderUsage? = { nil }) {
        self.remote = remote
        self.usage = usage
        self.space = EmbeddingSpace(
            name: name, modelID: "\(provider)/\(remote.model)", revision: "remote", dimension: remote.dimension)
    }

    public var usageSummary: String? { usage()?.summary }

    public func embedQuery(_ text: String) async throws -> [Float] {
        let run = await remote.embed([EmbeddingItem(id: "query", content: .text(text))], instruction: Self.queryInstruction)
        if let vector = run.vectors["query"] { return vector }
        throw SpaceError(run.failures.first.map { "\($0.error)" } ?? "the \(space.name) model returned no vector")
    }

    public func embedTexts(_ texts: [String]) async throws -> [[Float]] {
        try await strict(texts.map { .text($0) })
    }

    public func embedImages(_ images: [Image]) async throws -> [[Float]] {
        try await strict(images.map { .image($0) })
    }

    public func embedDocuments(_ inputs: [SpaceInput]) async -> [Result<[Float], SpaceError>] {
        let items = inputs.enumerated().map { index, input in
            let content: EmbeddingContent =
                switch input {
                case .text(let text): .text(text)
                case .image(let image): .image(image)
                case .fusedImages(let images): .fusedImages(images)
                }
            return EmbeddingItem(id: String(index), content: content)
        }
        let run = await remote.embed(items)
        let failures = Dictionary(run.failures.map { ($0.id, "\($0.error)") }, uniquingKeysWith: { first, _ in first })
        return inputs.indices.map { index in
            if let vector = run.vectors[String(index)] { return .success(vector) }
            return .failure(SpaceError(failures[String(index)] ?? "no vector returned"))
        }
    }

    /// All inputs or an error: for callers that cannot use partial results.
    func strict(_ inputs: [SpaceInput]) async throws -> [[Float]] {
        try await embedDocuments(inputs).map { try $0.get() }
    }
}
