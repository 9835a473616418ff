import Neural

/// The numbers of one transformer tower (`text_config` or `vision_config` of a CLIP-family
/// `config.json`). Every key is optional in the file; `resolved(defaults:)` fills the gaps with the
/// architecture's own transformers defaults, which differ between SigLIP, CLIP and Chinese-CLIP.
struct TowerConfigurationFile: Decodable, Sendable {
    var hiddenSize: Int?
    var layerCount: Int?
    var headCount: Int?
    var intermediateSize: Int?
    var hiddenActivation: Activation?
    var layerNormEps: Float?
    var vocabularySize: Int?
    var maxPositions: Int?
    var typeVocabularySize: Int?
    var imageSize: Int?
    var patchSize: Int?
    var channelCount: Int?
    var projectionSize: Int?
    var eosTokenID: Int?
    var visionUseHead: Bool?

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case hiddenActivation = "hidden_act"
        case layerNormEps = "layer_norm_eps"
        case vocabularySize = "vocab_size"
        case maxPositions = "max_position_embeddings"
        case typeVocabularySize = "type_vocab_size"
        case imageSize = "image_size"
        case patchSize = "patch_size"
        case channelCount = "num_channels"
        case projectionSize = "projection_size"
        case eosTokenID = "eos_token_id"
        case visionUseHead = "vision_use_head"
    }
}

/// A tower's numbers with every default applied.
public struct TowerConfiguration: Sendable, Equatable {
    /// Width of the token vectors, C.
    public var hiddenSize: Int
    /// Transformer layers.
    public var layerCount: Int
    /// Attention heads, H (C must be a multiple).
    public var headCount: Int
    /// Width of the feed-forward layer.
    public var intermediateSize: Int
    /// Feed-forward activation.
    public var hiddenActivation: Activation
    /// Epsilon of every layer norm.
    public var layerNormEps: Float
    /// Text towers: rows of the token table.
    public var vocabularySize: Int
    /// Text towers: rows of the position table (the longest input).
    public var maxPositions: Int
    /// BERT text towers: rows of the token-type table.
    public var typeVocabularySize: Int
    /// Vision towers: side of the square input image in pixels.
    public var imageSize: Int
    /// Vision towers: side of a square patch in pixels.
    public var patchSize: Int
    /// Vision towers: input channels.
    public var channelCount: Int
    /// SigLIP text towers: output width of the head (defaults to C).
    public var projectionSize: Int?
    /// CLIP text towers: the end-of-text id; 2 is transformers' legacy value meaning "the largest id".
    public var eosTokenID: Int?
    /// SigLIP vision towers: whether the attention-pooling head exists.
    public var visionUseHead: Bool

    /// Patches along one side (the convolution's floor division).
    public var patchesPerSide: Int { imageSize / patchSize }
}

extension TowerConfigurationFile {
    /// Applies `defaults` to every absent key.
    func resolved(defaults d: TowerConfiguration) -> TowerConfiguration {
        TowerConfiguration(
            hiddenSize: hiddenSize ?? d.hiddenSize, layerCount: layerCount ?? d.layerCount,
            headCount: headCount ?? d.headCount, intermediateSize: intermediateSize ?? d.intermediateSize,
            hiddenActivation: hiddenActivation ?? d.hiddenActivation, layerNormEps: layerNormEps ?? d.layerNormEps,
            vocabularySize: vocabularySize ?? d.vocabularySize, maxPositions: maxPositions ?? d.maxPositions,
            typeVocabularySize: typeVocabularySize ?? d.typeVocabularySize, imageSize: imageSize ?? d.imageSize,
            patchSize: patchSize ?? d.patchSize, channelCount: channelCount ?? d.channelCount,
            projectionSize: projectionSize ?? d.projectionSize, eosTokenID: eosTokenID ?? d.eosTokenID,
            visionUseHead: visionUseHead ?? d.visionUseHead)
    }
}

extension TowerConfiguration {
    /// Throws unless the numbers describe a tower this engine can run.
    func validate(file: String, tower: String, vision: Bool) throws {
        func fail(_ reason: String) -> EncoderError {
            .invalidConfiguration(file: file, reason: "\(tower): \(reason)")
        }
        guard hiddenSize > 0, headCount > 0, hiddenSize % headCount == 0 else {
            throw fail("hidden_size \(hiddenSize) is not a positive multiple of num_attention_heads \(headCount)")
        }
        guard layerCount >= 0, intermediateSize > 0 else { throw fail("inconsistent layer sizes") }
        if vision {
            // The patch convolution drops a remainder (so400m-patch14-384: 27 patches of 14 px, 6 px unused).
            guard patchSize > 0, imageSize >= patchSize, channelCount == 3 else {
                throw fail("image_size \(imageSize) must be at least patch_size \(patchSize), with 3 channels")
            }
        } else {
            guard vocabularySize > 0, maxPositions > 0, typeVocabularySize > 0 else {
                throw fail("vocab_size and max_position_embeddings must be positive")
            }
        }
    }
}

/// The top level of a CLIP-family `config.json`.
struct VisionLanguageConfigurationFile: Decodable, Sendable {
    var modelType: String?
    var projectionDim: Int?
    var textConfig: TowerConfigurationFile?
    var visionConfig: TowerConfigurationFile?

    enum CodingKeys: String, CodingKey {
        case modelType = "model_type"
        case projectionDim = "projection_dim"
        case textConfig = "text_config"
        case visionConfig = "vision_config"
    }
}
