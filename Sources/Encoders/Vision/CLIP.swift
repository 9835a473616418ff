import Foundation
import Neural

/// OpenAI CLIP (Radford et al.), `model_type: "clip"`.
///
/// Text: token + position embeddings, pre-norm layers with causal attention, final layer norm,
/// the end-of-text token's state through the text projection. The end-of-text position is found
/// as transformers 4.57.1 finds it: with the legacy `eos_token_id` 2 the position of the largest
/// id (CLIP's `<|endoftext|>` is the last id of its vocabulary), otherwise the first position
/// holding `eos_token_id`. Vision: `CLIPVisionTower`.
struct CLIP: VisionLanguageModel {
    let text: TowerConfiguration
    let tokenEmbedding: Tensor      // [V, Ct]
    let textPositions: Tensor       // [Pt, Ct]
    let textEncoder: PreNormEncoder
    let finalNorm: LayerNormWeights
    let textProjection: Linear      // Ct → D, no bias
    let visionTower: CLIPVisionTower

    var embeddingDimension: Int { textProjection.outputCount }
    var imageSize: Int { visionTower.configuration.imageSize }
    var maxTextPositions: Int { text.maxPositions }
    var textInput: TextInputPolicy { .unpadded }

    /// `[B, D]`: the projected state of each sequence's end-of-text token.
    func textFeatures(ids: [[Int]]) throws -> Tensor {
        let layout = try SequenceLayout.packed(lengths: ids.map(\.count))
        guard layout.lengths.allSatisfy({ $0 > 0 }) else { throw NeuralError.shapeMismatch("empty text") }
        var x = try embedTokens(ids, table: tokenEmbedding, positions: textPositions)  // [N, Ct]
        // Only the end tokens are pooled: the last layer computes just those rows.
        let rows = zip(ids, layout.offsets).map { sequence, offset in offset + Self.endPosition(sequence, eos: text.eosTokenID) }
        try textEncoder(&x, layout: layout, causal: true, outputRows: rows)  // [B, Ct]
        try finalNorm.apply(&x, eps: text.layerNormEps)
        return try textProjection(x)  // [B, D]
    }

    /// Where transformers pools a CLIP text: `argmax(ids)` for the legacy eos id 2, else
    /// `argmax(ids == eos)` (0 when absent). Both take the first position on ties.
    static func endPosition(_ ids: [Int], eos: Int?) -> Int {
        guard !ids.isEmpty else { return 0 }
        if eos == nil || eos == 2 {
            var best = 0
            for (index, id) in ids.enumerated() where id > ids[best] { best = index }
            return best
        }
        return ids.firstIndex(of: eos ?? -1) ?? 0
    }

    func imageFeatures(pixels: [Float], batch: Int) throws -> Tensor {
        try visionTower.features(pixels: pixels, batch: batch)
    }

    func textFLOPs(lengths: [Int]) -> Double {
        // Causal attention does half the score work; counted in full like PyTorch's masked kernel.
        textEncoder.flops(lengths: lengths) + 2 * Double(lengths.count * text.hiddenSize * embeddingDimension)
    }

    func imageFLOPs(batch: Int) -> Double { visionTower.flops(batch: batch) }
}

// MARK: - Loading

extension CLIP {
    /// transformers' `CLIPTextConfig` defaults.
    static let textDefaults = TowerConfiguration(
        hiddenSize: 512, layerCount: 12, headCount: 8, intermediateSize: 2048, hiddenActivation: .quickGelu,
        layerNormEps: 1e-5, vocabularySize: 49408, maxPositions: 77, typeVocabularySize: 1, imageSize: 1, patchSize: 1,
        channelCount: 3, projectionSize: nil, eosTokenID: 2, visionUseHead: false)

    /// Tensors that are not part of the encoders.
    static func isIgnorable(_ name: String) -> Bool {
        name == "logit_scale" || name.hasSuffix("position_ids")
    }

    /// The towers' numbers and the joint width from `folder/config.json`.
    static func configuration(folder: URL) throws -> (text: TowerConfiguration, vision: TowerConfiguration, projection: Int) {
        let file = folder.appendingPathComponent("config.json")
        let config: VisionLanguageConfigurationFile = try readJSON(file)
        let text = (config.textConfig ?? TowerConfigurationFile()).resolved(defaults: textDefaults)
        let vision = (config.visionConfig ?? TowerConfigurationFile()).resolved(defaults: CLIPVisionTower.defaults)
        try text.validate(file: file.path, tower: "text_config", vision: false)
        try vision.validate(file: file.path, tower: "vision_config", vision: true)
        let projection = config.projectionDim ?? 512
        guard projection > 0 else { throw EncoderError.invalidConfiguration(file: file.path, reason: "projection_dim") }
        return (text, vision, projection)
    }

    /// Loads the checkpoint in `folder` strictly.
    static func load(folder: URL) throws -> CLIP {
        let (text, vision, projection) = try configuration(folder: folder)
        return try wrapped {
            let loader = StrictLoader(checkpoint: try Checkpoint(folder: folder), ignoring: isIgnorable)
            let model = try CLIP(text: text, vision: vision, projection: projection,
                                 root: WeightScope(source: loader, prefix: ""))
            try loader.finish()
            return model
        }
    }

    /// Reads `text_model.*`, `text_projection.weight`, `vision_model.*` and `visual_projection.weight`.
    init(text: TowerConfiguration, vision: TowerConfiguration, projection: Int, root: WeightScope) throws {
        let t = root.scope("text_model.")
        let c = text.hiddenSize
        self.text = text
        tokenEmbedding = t.take("embeddings.token_embedding.weight", shape: [text.vocabularySize, c])
        textPositions = t.take("embeddings.position_embedding.weight", shape: [text.maxPositions, c])
        textEncoder = try PreNormEncoder(configuration: text, scope: t.scope("encoder."))
        finalNorm = t.norm("final_layer_norm", width: c)
        textProjection = try root.linear("text_projection", outputs: projection, inputs: c, bias: false)
        visionTower = try CLIPVisionTower(configuration: vision, projectionDim: projection, root: root)
    }
}
