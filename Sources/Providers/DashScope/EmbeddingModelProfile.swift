/// What one DashScope multimodal-embedding model accepts, from Model Studio's
/// "Multimodal embedding API" reference (see docs/providers.md for the pages and their dates).
///
/// Where the reference changed over time, the stricter value is kept (e.g. 5 MB per image for
/// `qwen3-vl-embedding`, which later pages raise to 10 MB). Other models can be described with the
/// public initialiser and passed in ``DashScopeEmbeddingConfiguration/profile``.
public struct EmbeddingModelProfile: Sendable, Hashable {
    /// How a model turns several images into one vector.
    public enum Fusion: Sendable, Hashable {
        /// `parameters.enable_fusion = true`; every item of `contents` is fused (qwen3-vl-embedding).
        case enableFusionParameter
        /// One `{"multi_images": [...]}` content item yields one vector (tongyi-embedding-vision-*).
        case multiImagesContent
        /// The model cannot fuse images (multimodal-embedding-v1).
        case unsupported
    }

    /// Model name as sent in `model`.
    public var model: String
    /// Output dimension when `parameters.dimension` is not sent.
    public var defaultDimension: Int
    /// Dimensions `parameters.dimension` may take; empty = the parameter is not supported.
    public var allowedDimensions: [Int]
    /// Items of `input.contents` per request.
    public var maxContentsPerRequest: Int
    /// Images (counting each of `multi_images`) per request.
    public var maxImagesPerRequest: Int
    /// Largest accepted image, applied to the base64 data URI sent (conservative).
    public var maxImageBytes: Int
    /// Images are downscaled to at most this many pixels before encoding.
    public var maxImagePixels: Int
    /// Multi-image fusion style.
    public var fusion: Fusion
    /// Whether `parameters.instruct` is accepted.
    public var supportsInstruct: Bool

    /// Describes a model this module has no built-in profile for.
    public init(
        model: String, defaultDimension: Int, allowedDimensions: [Int], maxContentsPerRequest: Int,
        maxImagesPerRequest: Int, maxImageBytes: Int, maxImagePixels: Int, fusion: Fusion, supportsInstruct: Bool
    ) {
        self.model = model
        self.defaultDimension = defaultDimension
        self.allowedDimensions = allowedDimensions
        self.maxContentsPerRequest = max(1, maxContentsPerRequest)
        self.maxImagesPerRequest = max(1, maxImagesPerRequest)
        self.maxImageBytes = maxImageBytes
        self.maxImagePixels = maxImagePixels
        self.fusion = fusion
        self.supportsInstruct = supportsInstruct
    }

    private static let megabyte = 1024 * 1024

    /// `qwen3-vl-embedding` (Beijing): 2560-d by default, 256…2560 selectable, up to 20 contents and
    /// 5 images per request, fusion through `enable_fusion`, `instruct` supported.
    public static let qwen3VLEmbedding = EmbeddingModelProfile(
        model: "qwen3-vl-embedding", defaultDimension: 2560,
        allowedDimensions: [2560, 2048, 1536, 1024, 768, 512, 256],
        maxContentsPerRequest: 20, maxImagesPerRequest: 5, maxImageBytes: 5 * megabyte, maxImagePixels: 1_843_200,
        fusion: .enableFusionParameter, supportsInstruct: true)

    /// `tongyi-embedding-vision-plus`: 1152-d, up to 8 images per `multi_images`, 3 MB per image.
    public static let tongyiVisionPlus = EmbeddingModelProfile(
        model: "tongyi-embedding-vision-plus", defaultDimension: 1152,
        allowedDimensions: [1152, 1024, 512, 256, 128, 64],
        maxContentsPerRequest: 20, maxImagesPerRequest: 8, maxImageBytes: 3 * megabyte, maxImagePixels: 4_194_304,
        fusion: .multiImagesContent, supportsInstruct: false)

    /// `tongyi-embedding-vision-flash`: 768-d, otherwise like the plus model.
    public static let tongyiVisionFlash = EmbeddingModelProfile(
        model: "tongyi-embedding-vision-flash", defaultDimension: 768, allowedDimensions: [768, 512, 256, 128, 64],
        maxContentsPerRequest: 20, maxImagesPerRequest: 8, maxImageBytes: 3 * megabyte, maxImagePixels: 4_194_304,
        fusion: .multiImagesContent, supportsInstruct: false)

    /// `multimodal-embedding-v1`: fixed 1024-d, one image per request, no fusion, 3 MB per image.
    public static let multimodalEmbeddingV1 = EmbeddingModelProfile(
        model: "multimodal-embedding-v1", defaultDimension: 1024, allowedDimensions: [],
        maxContentsPerRequest: 20, maxImagesPerRequest: 1, maxImageBytes: 3 * megabyte, maxImagePixels: 4_194_304,
        fusion: .unsupported, supportsInstruct: false)

    /// The profile of a model this module knows, by exact name.
    public static func known(_ model: String) -> EmbeddingModelProfile? {
        [qwen3VLEmbedding, tongyiVisionPlus, tongyiVisionFlash, multimodalEmbeddingV1].first { $0.model == model }
    }
}
