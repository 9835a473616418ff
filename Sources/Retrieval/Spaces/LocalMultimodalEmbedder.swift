import AssetCatalog
import Dispatch
import Encoders
import ImageCodec
import VectorStore

/// A text-and-image space backed by a CLIP-family encoder (SigLIP, SigLIP 2, CLIP, Chinese-CLIP) run
/// in-process on the CPU: captions and views land in one space, so text finds images and back.
public struct LocalMultimodalEmbedder: SpaceEmbedder {
    public let space: EmbeddingSpace
    public let textLanguages: Set<Language>
    public var readsImages: Bool { true }
    let encoder: any MultimodalEncoding

    /// Wraps `encoder` as the space `name`.
    public init(name: String, encoder: any MultimodalEncoding, revision: String = "local") {
        self.encoder = encoder
        self.space = EmbeddingSpace(
            name: name, modelID: encoder.modelID, revision: revision, dimension: encoder.dimension)
        // Chinese-CLIP reads Chinese; SigLIP/CLIP vocabularies are English-centred.
        self.textLanguages = encoder.readsChinese ? [.en, .zh] : [.en]
    }

    public func embedTexts(_ texts: [String]) async throws -> [[Float]] {
        let encoder = self.encoder
        return try await runOffCooperativePool { try encoder.embedText(texts) }
    }

    public func embedImages(_ images: [Image]) async throws -> [[Float]] {
        let encoder = self.encoder
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
