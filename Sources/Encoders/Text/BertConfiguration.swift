import Neural

/// The `config.json` of a BERT checkpoint (`model_type: "bert"`). Defaults are those of
/// `transformers.BertConfig`.
public struct BertConfiguration: Decodable, Sendable, Equatable {
    /// Width of every token vector, C.
    public var hiddenSize: Int = 768
    /// Number of transformer layers.
    public var layerCount: Int = 12
    /// Attention heads per layer, H (C must be a multiple).
    public var headCount: Int = 12
    /// Width of the feed-forward layer.
    public var intermediateSize: Int = 3072
    /// Feed-forward activation.
    public var hiddenActivation: Activation = .gelu
    /// Rows of the position embedding table (longest input).
    public var maxPositions: Int = 512
    /// Rows of the token-type table.
    public var typeVocabularySize: Int = 2
    /// Rows of the word embedding table.
    public var vocabularySize: Int = 30522
    /// Epsilon of every layer norm.
    public var layerNormEps: Float = 1e-12
    /// Only `absolute` is implemented.
    public var positionEmbeddingType: String = "absolute"

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size"
        case layerCount = "num_hidden_layers"
        case headCount = "num_attention_heads"
        case intermediateSize = "intermediate_size"
        case hiddenActivation = "hidden_act"
        case maxPositions = "max_position_embeddings"
        case typeVocabularySize = "type_vocab_size"
        case vocabularySize = "vocab_size"
        case layerNormEps = "layer_norm_eps"
        case positionEmbeddingType = "position_embedding_type"
    }

    /// Decodes `config.json`, keeping the default of every absent key.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? hiddenSize
        layerCount = try c.decodeIfPresent(Int.self, forKey: .layerCount) ?? layerCount
        headCount = try c.decodeIfPresent(Int.self, forKey: .headCount) ?? headCount
        intermediateSize = try c.decodeIfPresent(Int.self, forKey: .intermediateSize) ?? intermediateSize
        hiddenActivation = try c.decodeIfPresent(Activation.self, forKey: .hiddenActivation) ?? hiddenActivation
        maxPositions = try c.decodeIfPresent(Int.self, forKey: .maxPositions) ?? maxPositions
        typeVocabularySize = try c.decodeIfPresent(Int.self, forKey: .typeVocabularySize) ?? typeVocabularySize
        vocabularySize = try c.decodeIfPresent(Int.self, forKey: .vocabularySize) ?? vocabularySize
        layerNormEps = try c.decodeIfPresent(Float.self, forKey: .layerNormEps) ?? layerNormEps
        positionEmbeddingType = try c.decodeIfPresent(String.self, forKey: .positionEmbeddingType) ?? positionEmbeddingType
    }

    /// Throws unless the numbers describe a model this engine can run.
    func validate(file: String) throws {
        guard hiddenSize > 0, headCount > 0, hiddenSize % headCount == 0, layerCount >= 0, intermediateSize > 0,
              maxPositions > 0, vocabularySize > 0, typeVocabularySize > 0
        else {
            throw EncoderError.invalidConfiguration(file: file, reason: "inconsistent sizes")
        }
        guard positionEmbeddingType == "absolute" else {
            throw EncoderError.unsupportedModule("position_embedding_type '\(positionEmbeddingType)'")
        }
    }
}
