/// Settings of ``ChatTranslator`` and ``BatchTranslator``; the CLI fills it from
/// `TRANSLATION_BASE_URL`, `DASHSCOPE_API_KEY` and `TRANSLATION_BATCH_SIZE`.
public struct TranslationConfiguration: Sendable {
    /// OpenAI-compatible root; default DashScope's compatible mode (Beijing). International:
    /// `https://dashscope-intl.aliyuncs.com/compatible-mode/v1`; a vLLM server: `http://host:8000/v1`.
    public var baseURL: String
    /// Bearer key.
    public var apiKey: String?
    /// Name of the variable the key comes from, used in the "set …" message.
    public var apiKeyVariable: String
    /// Fail at start-up when no key is configured (true for DashScope; false for a local server).
    public var requiresAPIKey: Bool
    /// Chat model, default `qwen-plus`.
    public var model: String
    /// System prompt: a translator that returns only the Chinese text.
    public var systemPrompt: String
    /// Sampling temperature; `nil` = the server's default.
    public var temperature: Double?
    /// Output cap per caption (`max_tokens`); captions are short, so a runaway answer is cut.
    public var maxOutputTokens: Int?
    /// DashScope's `enable_thinking`; `nil` = not sent. Set `false` for Qwen3.5+ models, which think by default.
    public var enableThinking: Bool?
    /// Requests per batch job (lines of one JSONL file; the service allows up to 50,000).
    public var batchSize: Int
    /// `completion_window` of batch jobs.
    public var completionWindow: String
    /// Transport settings; for direct mode `maxConcurrentRequests` and `requestsPerMinute` are the
    /// concurrency and rate limit.
    public var http: HTTPOptions

    /// The default prompt.
    public static let defaultSystemPrompt = """
        You are a professional English-to-Chinese translator for a catalog of 3D models. Translate the \
        user's English text into natural Simplified Chinese. Reply with the Chinese translation only: \
        no quotes, no notes, no explanations, no English.
        """

    /// Defaults: DashScope compatible mode (Beijing), `qwen-plus`, the translator prompt, 5000 lines
    /// per batch, 8 concurrent requests at most 300 per minute.
    public init(
        baseURL: String = "https://dashscope.aliyuncs.com/compatible-mode/v1", apiKey: String?,
        apiKeyVariable: String = "DASHSCOPE_API_KEY", requiresAPIKey: Bool = true, model: String = "qwen-plus",
        systemPrompt: String = TranslationConfiguration.defaultSystemPrompt, temperature: Double? = nil,
        maxOutputTokens: Int? = 1024, enableThinking: Bool? = nil, batchSize: Int = 5000,
        completionWindow: String = "24h",
        http: HTTPOptions = HTTPOptions(maxConcurrentRequests: 8, requestsPerMinute: 300)
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.apiKeyVariable = apiKeyVariable
        self.requiresAPIKey = requiresAPIKey
        self.model = model
        self.systemPrompt = systemPrompt
        self.temperature = temperature
        self.maxOutputTokens = maxOutputTokens
        self.enableThinking = enableThinking
        self.batchSize = min(50_000, max(1, batchSize))
        self.completionWindow = completionWindow
        self.http = http
    }

    /// Checks the key and returns it (or nil for key-less servers).
    func validatedKey(service: String) throws(ProviderError) -> String? {
        if let apiKey, !apiKey.isEmpty { return apiKey }
        if requiresAPIKey { throw .missingAPIKey(service: service, variable: apiKeyVariable) }
        return nil
    }

    /// The chat request for one caption (shared by direct and batch mode).
    func chatRequest(for text: String) -> OpenAIWire.ChatRequest {
        OpenAIWire.ChatRequest(
            model: model,
            messages: [
                OpenAIWire.Message(role: "system", content: .text(systemPrompt)),
                OpenAIWire.Message(role: "user", content: .text(text)),
            ],
            temperature: temperature, maxTokens: maxOutputTokens, enableThinking: enableThinking)
    }
}
