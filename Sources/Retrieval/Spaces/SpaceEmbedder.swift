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
    /// Whether the model fuses several views into one `image_fused` vector.
    var fusesImages: Bool { get }
    /// The vector of a search query (models with query instructions use them here).
    func embedQuery(_ text: String) async throws -> [Float]
    /// Document-side vectors with per-item outcomes: one failing input never costs the others, and a
    /// failed input gets no vector (never a placeholder).
    func embedDocuments(_ inputs: [SpaceInput]) async -> [Result<[Float], SpaceError>]
    /// What the space's calls cost so far (remote spaces), for the end-of-run report.
    var usageSummary: String? { get }
}

/// One document-side input.
public enum SpaceInput: Sendable {
    case text(String)
    case image(Image)
    /// The views of one asset, fused into one vector.
    case fusedImages([Image])
}

extension SpaceEmbedder {
    public var fusesImages: Bool { false }
    public var usageSummary: String? { nil }

    public func embedQuery(_ text: String) async throws -> [Float] {
        guard let vector = try await embedTexts([text]).first else {
            throw SpaceError("the \(space.name) model returned no vector")
        }
        return vector
    }

    /// Embeds texts and images in two calls; a failing call fails its inputs only.
    public func embedDocuments(_ inputs: [SpaceInput]) async -> [Result<[Float], SpaceError>] {
        var results = [Result<[Float], SpaceError>](
            repeating: .failure(SpaceError("not embedded")), count: inputs.count)
        var texts: [(Int, String)] = []
        var images: [(Int, Image)] = []
        for (index, input) in inputs.enumerated() {
            switch input {
            case .text(let text): texts.append((index, text))
            case .image(let image): images.append((index, image))
            case .fusedImages: results[index] = .failure(SpaceError("\(space.name) does not fuse views"))
            }
        }
        func fill<T>(_ part: [(Int, T)], _ embed: ([T]) async throws -> [[Float]]) async {
            guard !part.isEmpty else { return }
            do {
                let vectors = try await embed(part.map(\.1))
                guard vectors.count == part.count else {
                    throw SpaceError("the model returned \(vectors.count) vectors for \(part.count) inputs")
                }
                for ((index, _), vector) in zip(part, vectors) { results[index] = .success(vector) }
            } catch {
                let failure = error as? SpaceError ?? SpaceError("\(error)")
                for (index, _) in part { results[index] = .failure(failure) }
            }
        }
        await fill(texts) { try await embedTexts($0) }
        await fill(images) { try await embedImages($0) }
        return results
    }

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
