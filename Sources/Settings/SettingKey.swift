/// One configuration setting: its key (snake_case in config files, flags map onto it), the environment
/// variable that sets it (the original demo's names where it had one), its default and whether it is secret.
public struct SettingKey: Sendable, Hashable {
    /// Key in the JSON config file, e.g. `db_host`. The environment name is the key upper-cased.
    public let name: String
    /// Value kind, used to validate what the user wrote.
    public let kind: Kind
    /// Default value as text, or nil for "unset".
    public let defaultValue: String?
    /// Secret values are never printed or logged.
    public let isSecret: Bool
    /// One line for `asset3d config` and the README.
    public let help: String

    /// Value kinds.
    public enum Kind: String, Sendable, Hashable {
        case string, int, url
    }

    public init(_ name: String, _ kind: Kind = .string, default defaultValue: String? = nil, secret: Bool = false,
                help: String) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.isSecret = secret
        self.help = help
    }

    /// The environment variable, e.g. `DB_HOST`.
    public var environmentName: String { name.uppercased() }
}

extension SettingKey {
    public static let dataDir = SettingKey(
        "asset3d_data_dir", default: "./data", help: "Data directory: embedded store, extracted catalogs, models")
    public static let host = SettingKey("asset3d_host", default: "127.0.0.1", help: "Address `serve` listens on")
    public static let port = SettingKey("asset3d_port", .int, default: "8000", help: "Port `serve` listens on")
    public static let store = SettingKey(
        "asset3d_store", help: "Store: embedded or postgres (default: postgres when DATABASE_URL is set, else embedded)")
    public static let logLevel = SettingKey(
        "log_level", default: "info", help: "trace, debug, info, notice, warning, error or critical")
    public static let databaseURL = SettingKey(
        "database_url", .url, secret: true, help: "postgresql://user:password@host:port/db (overrides DB_*)")
    public static let dbHost = SettingKey("db_host", default: "localhost", help: "PostgreSQL host")
    public static let dbPort = SettingKey("db_port", .int, default: "5432", help: "PostgreSQL port")
    public static let dbUser = SettingKey("db_user", default: "postgres", help: "PostgreSQL user")
    public static let dbPassword = SettingKey("db_password", secret: true, help: "PostgreSQL password")
    public static let dbName = SettingKey("db_name", default: "asset3d", help: "PostgreSQL database")
    public static let dashscopeAPIKey = SettingKey(
        "dashscope_api_key", secret: true, help: "DashScope (Alibaba Cloud Model Studio) API key")
    public static let dashscopeBaseURL = SettingKey(
        "dashscope_base_url", .url, default: "https://dashscope.aliyuncs.com",
        help: "DashScope native API root (international: https://dashscope-intl.aliyuncs.com)")
    public static let translationBaseURL = SettingKey(
        "translation_base_url", .url, default: "https://dashscope.aliyuncs.com/compatible-mode/v1",
        help: "OpenAI-compatible chat/Batch root for EN→CN translation")
    public static let translationAPIKey = SettingKey(
        "translation_api_key", secret: true, help: "Key for TRANSLATION_BASE_URL (default: DASHSCOPE_API_KEY)")
    public static let translationModel = SettingKey(
        "translation_model", default: "qwen-plus", help: "Chat model used for translation")
    public static let embeddingBaseURL = SettingKey(
        "embedding_base_url", .url, help: "OpenAI-compatible /v1/embeddings root (e.g. a vLLM server)")
    public static let embeddingAPIKey = SettingKey(
        "embedding_api_key", secret: true, help: "Key for EMBEDDING_BASE_URL")
    public static let embeddingModel = SettingKey(
        "embedding_model",
        help: "Model of the qwen space (default qwen3-vl-embedding on DashScope, Qwen/Qwen3-VL-Embedding-2B on EMBEDDING_BASE_URL)")
    public static let embeddingDimension = SettingKey(
        "embedding_dimension", .int, help: "Vector dimension of the qwen space (default: the model's)")
    public static let maxAssets = SettingKey("max_assets", .int, help: "Ingest at most this many assets")
    public static let translationBatchSize = SettingKey(
        "translation_batch_size", .int, help: "Captions per Batch API job (default 5000)")
    public static let embeddingBatchSize = SettingKey(
        "embedding_batch_size", .int, default: "32", help: "Inputs per embedding call")
    public static let qwenNumImages = SettingKey(
        "qwen_num_images", .int, default: "8", help: "Views fused into one qwen image vector")
    public static let defaultTopK = SettingKey("default_top_k", .int, default: "10", help: "Results when top_k is absent")
    public static let modelsDir = SettingKey(
        "asset3d_models_dir", help: "Model folders (default: <data dir>/models)")

    /// Every setting, in the order `asset3d config` prints them.
    public static let all: [SettingKey] = [
        dataDir, modelsDir, host, port, store, logLevel, databaseURL, dbHost, dbPort, dbUser, dbPassword, dbName,
        dashscopeAPIKey, dashscopeBaseURL, translationBaseURL, translationAPIKey, translationModel, embeddingBaseURL,
        embeddingAPIKey, embeddingModel, embeddingDimension, maxAssets, translationBatchSize, embeddingBatchSize, qwenNumImages,
        defaultTopK,
    ]
}
