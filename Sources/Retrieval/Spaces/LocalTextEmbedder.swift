import AssetCatalog
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
        return try await runOffCooperativePool { try encoder.embedText(texts) }
    }

    public func embedImages(_ images: [Image]) async throws -> [[Float]] {
        throw SpaceError("the \(space.name) space (\(space.modelID)) embeds text only")
    }
}
