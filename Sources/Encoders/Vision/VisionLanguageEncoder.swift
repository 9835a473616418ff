import ImageCodec
import Neural
import Tokenizers

/// A CLIP-family model with its tokenizer and image preprocessor: texts and images in, unit
/// vectors of one joint space out. Built by `EncoderRegistry.loadMultimodalEncoder(folder:modelID:)`.
///
/// Immutable; `embedText` and `embedImages` may run from several tasks at once.
public final class VisionLanguageEncoder: MultimodalEncoding {
    /// The id given at load time (e.g. `google/siglip-base-patch16-224`).
    public let modelID: String
    /// `model_type` of `config.json` (`siglip`, `clip`, `chinese_clip`).
    public let modelType: String
    /// Width of the joint space.
    public var dimension: Int { model.embeddingDimension }
    /// Longest text in tokens, special tokens included; longer texts are truncated.
    public let maxLength: Int
    /// Whether the vocabulary covers Chinese.
    public let readsChinese: Bool
    /// Side of the square model input.
    public var imageSize: Int { model.imageSize }
    /// The tokenizer, truncating to `maxLength`, not padding.
    public let tokenizer: any TextTokenizing
    /// The image pipeline of `preprocessor_config.json`.
    public let preprocessor: ImagePreprocessor
    let model: any VisionLanguageModel
    /// Texts and images per forward pass.
    private let textBatchSize = 32, imageBatchSize = 8

    init(modelID: String, modelType: String, tokenizer: any TextTokenizing, maxLength: Int,
         preprocessor: ImagePreprocessor, model: any VisionLanguageModel) throws {
        guard let size = preprocessor.outputSize, size.width == model.imageSize, size.height == model.imageSize else {
            let got = preprocessor.outputSize.map { "\($0.width)×\($0.height)" } ?? "a variable size"
            throw EncoderError.invalidConfiguration(
                file: "preprocessor_config.json",
                reason: "images come out as \(got) but the vision tower takes \(model.imageSize)×\(model.imageSize)")
        }
        self.modelID = modelID
        self.modelType = modelType
        self.tokenizer = tokenizer
        self.maxLength = maxLength
        self.preprocessor = preprocessor
        self.model = model
        self.readsChinese = SentenceEncoder.coversChinese(tokenizer.vocabulary)
    }

    /// Token ids of each text exactly as the text tower receives them (SigLIP: padded to its
    /// fixed length; CLIP and Chinese-CLIP: unpadded).
    public func tokenIDs(_ texts: [String]) -> [[Int]] {
        texts.map { text in
            var ids = tokenizer.encode(text: text).ids
            if ids.count > maxLength { ids = Array(ids.prefix(maxLength)) }
            if case .padded(let length, let padID) = model.textInput, ids.count < length {
                ids += Array(repeating: padID, count: length - ids.count)
            }
            return ids
        }
    }

    /// One unit vector per text, in order; up to 32 texts per forward pass.
    public func embedText(_ texts: [String]) throws -> [[Float]] {
        let ids = tokenIDs(texts)
        var result: [[Float]] = []
        result.reserveCapacity(texts.count)
        for start in stride(from: 0, to: ids.count, by: textBatchSize) {
            let batch = Array(ids[start..<min(ids.count, start + textBatchSize)])
            result += try wrapped { try Self.rows(normalising: try model.textFeatures(ids: batch)) }
        }
        return result
    }

    /// One unit vector per image, in order; up to 8 images per forward pass, each batch
    /// preprocessed in parallel.
    public func embedImages(_ images: [Image]) throws -> [[Float]] {
        var result: [[Float]] = []
        result.reserveCapacity(images.count)
        for start in stride(from: 0, to: images.count, by: imageBatchSize) {
            let batch = Array(images[start..<min(images.count, start + imageBatchSize)])
            let pixels = try preprocessor.pixelValues(for: batch)  // [B, 3, S, S]
            result += try embedPixels(pixels, batch: batch.count)
        }
        return result
    }

    /// Unit vectors of already preprocessed images. `pixels`: `[B, 3, S, S]` flattened.
    public func embedPixels(_ pixels: [Float], batch: Int) throws -> [[Float]] {
        try wrapped { try Self.rows(normalising: try model.imageFeatures(pixels: pixels, batch: batch)) }
    }

    /// Floating-point operations of the text tower for these texts (benchmarks).
    public func textFLOPs(_ texts: [String]) -> Double { model.textFLOPs(lengths: tokenIDs(texts).map(\.count)) }

    /// Floating-point operations of the vision tower for `batch` images (benchmarks).
    public func imageFLOPs(batch: Int) -> Double { model.imageFLOPs(batch: batch) }

    private static func rows(normalising features: Tensor) throws -> [[Float]] {
        var x = features  // [B, D]
        Ops.l2Normalize(&x)
        return (0..<x.rows).map { Array(x.row($0)) }
    }
}
