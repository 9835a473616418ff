import AssetCatalog
import ImageCodec
import VectorStore

/// Embeds texts and/or images into one embedding space: the same model for documents (at ingestion)
/// and for queries (at search), so their vectors are comparable.
public protocol SpaceEmbedder: Sendable {
    /// The space the vectors belong to (name, model id, revision, dimension).
    var space: EmbeddingSpace { get }
    /// Caption languages the model reads; empty when it has no text side.
    var textLanguages: Set<Language> { get }
    /// Whether the model embeds images (views).
    var readsImages: Bool { get }
    /// One L2-normalised vector per text.
    func embedTexts(_ texts: [String]) async throws -> [[Float]]
    /// One L2-normalised vector per image.
    func embedImages(_ images: [Image]) async throws -> [[Float]]
}

extension SpaceEmbedder {
    /// Whether the model can embed a query written in `language` (mixed queries need English).
    public func reads(_ language: QueryLanguage) -> Bool {
        switch language {
        case .en: textLanguages.contains(.en)
        case .zh: textLanguages.contains(.zh)
        case .mixed: !textLanguages.isEmpty
        }
    }
}

/// A space that cannot do what was asked (e.g. images on a text-only model).
public struct SpaceError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
