/// Settings of ``DashScopeEmbedder``; the CLI fills it from `DASHSCOPE_API_KEY`,
/// `DASHSCOPE_BASE_URL`, `EMBEDDING_BATCH_SIZE` and `QWEN_NUM_IMAGES`.
public struct DashScopeEmbeddingConfiguration: Sendable {
    /// Native API root: `https://dashscope.aliyuncs.com` (Beijing, default) or
    /// `https://dashscope-intl.aliyuncs.com` (Singapore; only tongyi-embedding-vision-* there).
    public var baseURL: String
    /// The API key; `nil` or empty makes ``DashScopeEmbedder/init(configuration:environment:)`` fail
    /// with a message naming ``apiKeyVariable``.
    public var apiKey: String?
    /// Name of the variable the key comes from, used in the "set …" message.
    public var apiKeyVariable: String
    /// `qwen3-vl-embedding` (default), `tongyi-embedding-vision-plus`, `tongyi-embedding-vision-flash`,
    /// `multimodal-embedding-v1`, or another model described by ``profile``.
    public var model: String
    /// Output dimension (`parameters.dimension`); `nil` = the model's default, parameter not sent.
    public var dimension: Int?
    /// Texts or single images per request (capped by the model's limits).
    public var batchSize: Int
    /// Limits of the model; `nil` = the built-in profile for ``model``.
    public var profile: EmbeddingModelProfile?
    /// Optional `X-DashScope-WorkSpace` header (sub-workspace id).
    public var workspace: String?
    /// Transport settings (timeouts, retries, concurrency, rate limit).
    public var http: HTTPOptions

    /// Defaults: Beijing host, `qwen3-vl-embedding` at its default 2560 dimensions, 10 items per
    /// request, 600 requests per minute.
    public init(
        baseURL: String = "https://dashscope.aliyuncs.com", apiKey: String?,
        apiKeyVariable: String = "DASHSCOPE_API_KEY",
        model: String = "qwen3-vl-embedding", dimension: Int? = nil, batchSize: Int = 10,
        profile: EmbeddingModelProfile? = nil, workspace: String? = nil,
        http: HTTPOptions = HTTPOptions(requestsPerMinute: 600)
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.apiKeyVariable = apiKeyVariable
        self.model = model
        self.dimension = dimension
        self.batchSize = batchSize
        self.profile = profile
        self.workspace = workspace
        self.http = http
    }
}
