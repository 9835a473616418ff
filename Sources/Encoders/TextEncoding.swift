/// A model that turns texts into L2-normalised vectors of one embedding space.
///
/// Implementations are immutable after loading and may be called from several tasks at once.
public protocol TextEncoding: Sendable {
    /// The model's id, e.g. `sentence-transformers/all-MiniLM-L6-v2`.
    var modelID: String { get }
    /// Length of every vector.
    var dimension: Int { get }
    /// Longest input in tokens, special tokens included; longer texts are truncated.
    var maxLength: Int { get }
    /// Whether the vocabulary covers Chinese (so `text_cn` captions are worth embedding).
    var readsChinese: Bool { get }
    /// One unit-length vector per text, in order. Batches internally; empty texts are allowed.
    func embedText(_ texts: [String]) throws -> [[Float]]
}
