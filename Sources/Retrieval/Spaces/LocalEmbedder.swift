import AssetCatalog
import Dispatch
import Encoders
import ImageCodec
import VectorStore

/// A space backed by an encoder run in-process on the CPU: text only (e.g. all-MiniLM-L6-v2), or text and
/// images when the encoder is a CLIP-family model (SigLIP, SigLIP 2, CLIP, Chinese-CLIP), whose captions and
/// views share one space so text finds images and back.
public struct LocalEmbedder: SpaceEmbedder {
    public let space: EmbeddingSpace
    public let textLanguages: Set<Language>
    public var readsImages: Bool { imageEncoder != nil }
    let textEncoder: any TextEncoding
    let imageEncoder: (any MultimodalEncoding)?
    /// Shares encoder passes between concurrent text queries.
    let textBatcher: TextBatcher

    /// Wraps a text-only `encoder` as the space `name`.
    public init(name: String, textEncoder encoder: any TextEncoding, revision: String = "local") {
        self.init(name: name, text: encoder, images: nil, revision: revision)
    }

    /// Wraps a text-and-image `encoder` as the space `name`.
    public init(name: String, multimodalEncoder encoder: any MultimodalEncoding, revision: String = "local") {
        self.init(name: name, text: encoder, images: encoder, revision: revision)
    }

    private init(name: String, text: any TextEncoding, images: (any MultimodalEncoding)?, revision: String) {
        self.textEncoder = text
        self.imageEncoder = images
        self.textBatcher = TextBatcher { texts in try text.embedText(texts) }
        self.space = EmbeddingSpace(name: name, modelID: text.modelID, revision: revision, dimension: text.dimension)
        self.textLanguages = text.readsChinese ? [.en, .zh] : [.en]
    }

    public func embedTexts(_ texts: [String]) async throws -> [[Float]] {
        try await textBatcher.embed(texts)
    }

    public func embedImages(_ images: [Image]) async throws -> [[Float]] {
        guard let encoder = imageEncoder else {
            throw SpaceError("the \(space.name) space (\(space.modelID)) embeds text only")
        }
        return try await runOffCooperativePool { try encoder.embedImages(images) }
    }
}

/// Runs CPU-bound model work on a Dispatch queue so the cooperative pool (request handling) stays
/// responsive while a batch is encoded.
func runOffCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global(qos: .userInitiated).async {
            continuation.resume(with: Result { try work() })
        }
    }
}
