import ImageCodec
import Neural

/// A model that puts texts and images into one embedding space (SigLIP, CLIP, Chinese-CLIP):
/// cosine similarity between a text vector and an image vector ranks images for the text.
///
/// Implementations are immutable after loading and may be called from several tasks at once.
public protocol MultimodalEncoding: TextEncoding {
    /// Side of the square image the vision tower takes, in pixels (after preprocessing).
    var imageSize: Int { get }
    /// One unit-length vector per image, in order. Images are preprocessed as the model's
    /// `preprocessor_config.json` says (in parallel) and encoded in batches.
    func embedImages(_ images: [Image]) throws -> [[Float]]
}

/// The two towers of a CLIP-family checkpoint, without tokenisation or preprocessing: what each
/// architecture file implements.
protocol VisionLanguageModel: Sendable {
    /// Width of the joint space.
    var embeddingDimension: Int { get }
    /// Side of the square input image.
    var imageSize: Int { get }
    /// Longest token sequence the text tower's position table covers.
    var maxTextPositions: Int { get }
    /// How texts must reach the text tower.
    var textInput: TextInputPolicy { get }
    /// Text features before normalisation. `ids`: one sequence per text. → `[B, D]`
    func textFeatures(ids: [[Int]]) throws -> Tensor
    /// Image features before normalisation. `pixels`: `[B, 3, S, S]` flattened. → `[B, D]`
    func imageFeatures(pixels: [Float], batch: Int) throws -> Tensor
    /// Floating-point operations of the text tower over sequences of these lengths.
    func textFLOPs(lengths: [Int]) -> Double
    /// Floating-point operations of the vision tower for `batch` images.
    func imageFLOPs(batch: Int) -> Double
}

/// Whether the text tower sees padding.
enum TextInputPolicy: Sendable, Equatable {
    /// Every text padded to `length` with `padID`, all positions attended (SigLIP, trained on
    /// `padding="max_length"` without an attention mask: the padding changes the result).
    case padded(length: Int, padID: Int)
    /// Each text its own length; padding would be masked out, so none is added (CLIP, BERT).
    case unpadded
}
