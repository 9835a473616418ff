import AssetCatalog
import Encoders
import Foundation
import Logging
import Providers

/// The spaces the product knows by name (DESIGN.md, "Embedding spaces"), and how to load them from the
/// model store (`<models dir>/<repo id>`).
public struct SpaceDefinition: Sendable, Hashable {
    /// API/CLI name.
    public var name: String
    /// Default Hugging Face repository id.
    public var modelID: String
    /// Whether the model has an image tower.
    public var multimodal: Bool
}

/// Loads built-in spaces.
public struct SpaceFactory: Sendable {
    /// Built-in local spaces by name.
    public static let definitions: [String: SpaceDefinition] = [
        "minilm": SpaceDefinition(name: "minilm", modelID: "sentence-transformers/all-MiniLM-L6-v2", multimodal: false),
        "siglip": SpaceDefinition(name: "siglip", modelID: "google/siglip-base-patch16-224", multimodal: true),
        // The original demo's model (1,152-d, 384 px): about 19× the FLOPs per image of siglip.
        "siglip2": SpaceDefinition(name: "siglip2", modelID: "google/siglip2-so400m-patch14-384", multimodal: true),
        "clip": SpaceDefinition(name: "clip", modelID: "openai/clip-vit-base-patch32", multimodal: true),
        // Chinese text → image, which the original never had.
        "chinese_clip": SpaceDefinition(
            name: "chinese_clip", modelID: "OFA-Sys/chinese-clip-vit-base-patch16", multimodal: true),
    ]

    /// Folder holding model folders by repository id.
    public let modelsDirectory: URL
    /// Settings of the remote `qwen` space.
    public let remote: RemoteSpaceSettings

    public init(modelsDirectory: URL, remote: RemoteSpaceSettings = RemoteSpaceSettings()) {
        self.modelsDirectory = modelsDirectory
        self.remote = remote
    }

    /// Every space name `load` accepts.
    public static var names: [String] { (definitions.keys + [RemoteSpaceSettings.spaceName]).sorted() }

    /// The folder a space's model is expected in.
    public func folder(for definition: SpaceDefinition) -> URL {
        modelsDirectory.appendingPathComponent(definition.modelID, isDirectory: true)
    }

    /// Loads the embedder of a built-in space, with a clear error when its model is not installed.
    public func load(_ name: String) throws -> any SpaceEmbedder {
        if name == RemoteSpaceSettings.spaceName { return try remote.makeEmbedder() }
        guard let definition = Self.definitions[name] else {
            throw SpaceError("unknown space \"\(name)\"; built-in spaces: \(Self.names.joined(separator: ", "))")
        }
        let folder = folder(for: definition)
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("config.json").path)
            || FileManager.default.fileExists(atPath: folder.appendingPathComponent("modules.json").path)
        else {
            throw SpaceError(
                "the \(name) space needs \(definition.modelID) in \(folder.path); "
                    + "run `asset3d models pull \(definition.modelID)` or copy the Hugging Face folder there")
        }
        if definition.multimodal {
            let encoder = try EncoderRegistry.loadMultimodalEncoder(folder: folder, modelID: definition.modelID)
            return LocalEmbedder(name: name, multimodalEncoder: encoder)
        }
        let encoder = try EncoderRegistry.loadTextEncoder(folder: folder, modelID: definition.modelID)
        return LocalEmbedder(name: name, textEncoder: encoder)
    }
}

/// How to reach the remote `qwen` space: an OpenAI-compatible server when `embeddingBaseURL` is set
/// (e.g. vLLM serving Qwen3-VL-Embedding), else DashScope.
public struct RemoteSpaceSettings: Sendable {
    /// The space's name.
    public static let spaceName = "qwen"

    public var dashScopeBaseURL: String
    public var dashScopeAPIKey: String?
    public var embeddingBaseURL: String?
    public var embeddingAPIKey: String?
    /// Model name; nil picks `qwen3-vl-embedding` (DashScope) or `Qwen/Qwen3-VL-Embedding-2B` (OpenAI-compatible).
    public var model: String?
    /// Output dimension; nil uses the model's default.
    public var dimension: Int?
    public var batchSize: Int
    public var logger: Logger

    public init(
        dashScopeBaseURL: String = "https://dashscope.aliyuncs.com", dashScopeAPIKey: String? = nil,
        embeddingBaseURL: String? = nil, embeddingAPIKey: String? = nil, model: String? = nil, dimension: Int? = nil,
        batchSize: Int = 10, logger: Logger = Logger(label: "asset3d.providers")
    ) {
        self.dashScopeBaseURL = dashScopeBaseURL
        self.dashScopeAPIKey = dashScopeAPIKey
        self.embeddingBaseURL = embeddingBaseURL
        self.embeddingAPIKey = embeddingAPIKey
        self.model = model
        self.dimension = dimension
        self.batchSize = batchSize
        self.logger = logger
    }

    /// Builds the embedder; a missing key or server is an error naming the variable to set.
    public func makeEmbedder() throws -> RemoteSpaceEmbedder {
        let environment = ProviderEnvironment(logger: logger)
        do {
            if let embeddingBaseURL {
                let embedder = try OpenAIEmbedder(
                    configuration: OpenAIEmbeddingConfiguration(
                        baseURL: embeddingBaseURL, apiKey: embeddingAPIKey,
                        model: model ?? "Qwen/Qwen3-VL-Embedding-2B", dimension: dimension ?? 2048,
                        sendDimensions: dimension != nil, batchSize: batchSize),
                    environment: environment)
                return RemoteSpaceEmbedder(name: Self.spaceName, provider: "openai", remote: embedder) {
                    embedder.totalUsage
                }
            }
            let embedder = try DashScopeEmbedder(
                configuration: DashScopeEmbeddingConfiguration(
                    baseURL: dashScopeBaseURL, apiKey: dashScopeAPIKey, model: model ?? "qwen3-vl-embedding",
                    dimension: dimension, batchSize: batchSize),
                environment: environment)
            return RemoteSpaceEmbedder(name: Self.spaceName, provider: "dashscope", remote: embedder) {
                embedder.totalUsage
            }
        } catch {
            throw SpaceError("the \(Self.spaceName) space cannot start: \(error.message) "
                + "(or set EMBEDDING_BASE_URL to use an OpenAI-compatible server such as vLLM)")
        }
    }
}
