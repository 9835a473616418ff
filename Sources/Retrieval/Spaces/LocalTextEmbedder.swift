import AssetCatalog
import Dispatch
import Encoders
import ImageCodec
import VectorStore

/// A text-only space backed by an encoder run in-process on the CPU (e.g. all-MiniLM-L6-v2).
public struct LocalTextEmbedder: SpaceEmbedder {
    public let space: EmbeddingSpace
    public let textLanguages: Set<Language>
    public var readsImages: Bool { false }
    let encoder: any TextEncoding

    /// Wraps `encoder` as the space `name`.
    public init(name: String, encoder: any TextEncoding, revision: String = "local") {
        self.encoder = encoder
        self.space = EmbeddingSpace(
            name: name, modelID: encoder.modelID, revision: revision, dimension: encoder.dimension)
        self.textLanguages = encoder.readsChinese ? [.en, .zh] : [.en]
    }

    public func embedTexts(_ texts: [String]) async throws -> [[Float]] {
        let encoder = self.encoder
        // CPU-bound: run off the cooperative pool so request handling stays responsive.
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try encoder.embedText(texts) })
            }
        }
    }

    public func embedImages(_ images: [Image]) async throws -> [[Float]] {
        throw SpaceError("the \(space.name) space (\(space.modelID)) embeds text only")
    }
}
