/// Settings of ``OpenAIEmbedder``; the CLI fills it from `EMBEDDING_BASE_URL`, `EMBEDDING_API_KEY`
/// and `EMBEDDING_BATCH_SIZE`.
public struct OpenAIEmbeddingConfiguration: Sendable {
    /// Server root, e.g. `http://gpu-box:8000` or `http://gpu-box:8000/v1`; `nil` makes
    /// ``OpenAIEmbedder/init(configuration:environment:)`` fail with a message naming ``baseURLVariable``.
    public var baseURL: String?
    /// Name of the variable the base URL comes from, used in the "set …" message.
    public var baseURLVariable: String
    /// Bearer key; optional because a local vLLM often runs without `--api-key`.
    public var apiKey: String?
    /// Name of the variable the key comes from.
    public var apiKeyVariable: String
    /// Fail at start-up when no key is configured (for hosted services).
    public var requiresAPIKey: Bool
    /// Served model name, e.g. `Qwen/Qwen3-VL-Embedding-2B`.
    public var model: String
    /// Output dimension. Sent as `dimensions` only when ``sendDimensions`` is true (vLLM accepts it
    /// for Matryoshka models such as Qwen3-VL-Embedding); always used to validate vectors.
    public var dimension: Int
    /// Whether to send `dimensions`.
    public var sendDimensions: Bool
    /// Texts per `/v1/embeddings` request.
    public var batchSize: Int
    /// Text put after the image parts, once per image, so the model's prompt has its vision slots;
    /// the default is Qwen3-VL's, as in vLLM's multimodal embedding example. `nil` for models whose
    /// chat template inserts it (CLIP, SigLIP).
    public var imagePlaceholder: String?
    /// Images per request when fusing views (vLLM's `--limit-mm-per-prompt`).
    public var maxImagesPerRequest: Int
    /// Largest data URI sent per image.
    public var maxImageBytes: Int
    /// Images are downscaled to at most this many pixels before encoding.
    public var maxImagePixels: Int
    /// Transport settings.
    public var http: HTTPOptions

    /// Defaults suit `vllm serve Qwen/Qwen3-VL-Embedding-2B --runner pooling` (2048-d).
    public init(
        baseURL: String?, baseURLVariable: String = "EMBEDDING_BASE_URL", apiKey: String? = nil,
        apiKeyVariable: String = "EMBEDDING_API_KEY", requiresAPIKey: Bool = false,
        model: String = "Qwen/Qwen3-VL-Embedding-2B", dimension: Int = 2048, sendDimensions: Bool = false,
        batchSize: Int = 16, imagePlaceholder: String? = "<|vision_start|><|image_pad|><|vision_end|>",
        maxImagesPerRequest: Int = 8, maxImageBytes: Int = 10 * 1024 * 1024, maxImagePixels: Int = 1_843_200,
        http: HTTPOptions = HTTPOptions()
    ) {
        self.baseURL = baseURL
        self.baseURLVariable = baseURLVariable
        self.apiKey = apiKey
        self.apiKeyVariable = apiKeyVariable
        self.requiresAPIKey = requiresAPIKey
        self.model = model
        self.dimension = dimension
        self.sendDimensions = sendDimensions
        self.batchSize = max(1, batchSize)
        self.imagePlaceholder = imagePlaceholder
        self.maxImagesPerRequest = max(1, maxImagesPerRequest)
        self.maxImageBytes = maxImageBytes
        self.maxImagePixels = maxImagePixels
        self.http = http
    }
}
