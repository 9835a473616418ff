import Foundation
import Neural

/// Chinese-CLIP (Yang et al.), `model_type: "chinese_clip"`: a BERT text tower (Chinese RoBERTa
/// weights in the released checkpoints) whose `[CLS]` state goes through the text projection, and
/// CLIP's vision tower.
///
/// transformers 4.57.1's `get_text_features` reads a pooler this model never builds; like the
/// model's `forward` (and the original implementation), the `[CLS]` state is projected directly.
struct ChineseCLIP: VisionLanguageModel {
    let text: Bert
    let textProjection: Linear      // C → D, no bias
    let visionTower: CLIPVisionTower

    var embeddingDimension: Int { textProjection.outputCount }
    var imageSize: Int { visionTower.configuration.imageSize }
    var maxTextPositions: Int { text.maxPositions }
    var textInput: TextInputPolicy { .unpadded }

    /// `[B, D]`: the projected `[CLS]` state of each text (token types all 0, as the processor sets them).
    func textFeatures(ids: [[Int]]) throws -> Tensor {
        let (states, layout) = try text.forward(ids: ids, typeIDs: ids.map { Array(repeating: 0, count: $0.count) })
        return try textProjection(try Ops.pool(states, layout: layout, mode: .cls))  // [B, D]
    }

    func imageFeatures(pixels: [Float], batch: Int) throws -> Tensor {
        try visionTower.features(pixels: pixels, batch: batch)
    }

    func textFLOPs(lengths: [Int]) -> Double {
        text.forwardFLOPs(lengths: lengths) + 2 * Double(lengths.count * text.hiddenSize * embeddingDimension)
    }

    func imageFLOPs(batch: Int) -> Double { visionTower.flops(batch: batch) }
}

// MARK: - Loading

extension ChineseCLIP {
    /// The top level of a Chinese-CLIP `config.json`: the text tower is a `BertConfiguration`.
    struct ConfigurationFile: Decodable {
        var projectionDim: Int?
        var textConfig: BertConfiguration?
        var visionConfig: TowerConfigurationFile?

        enum CodingKeys: String, CodingKey {
            case projectionDim = "projection_dim"
            case textConfig = "text_config"
            case visionConfig = "vision_config"
        }
    }

    /// Tensors that are not part of the encoders: the temperature, buffers, an unused BERT pooler.
    static func isIgnorable(_ name: String) -> Bool {
        name == "logit_scale" || name.hasSuffix("position_ids") || name.hasSuffix("token_type_ids")
            || name.hasPrefix("text_model.pooler.")
    }

    /// Loads the checkpoint in `folder` strictly.
    static func load(folder: URL) throws -> ChineseCLIP {
        let file = folder.appendingPathComponent("config.json")
        let config: ConfigurationFile = try readJSON(file)
        let text = try config.textConfig ?? JSONDecoder().decode(BertConfiguration.self, from: Data("{}".utf8))
        try text.validate(file: file.path)
        let vision = (config.visionConfig ?? TowerConfigurationFile()).resolved(defaults: CLIPVisionTower.defaults)
        try vision.validate(file: file.path, tower: "vision_config", vision: true)
        let projection = config.projectionDim ?? 512
        guard projection > 0 else { throw EncoderError.invalidConfiguration(file: file.path, reason: "projection_dim") }
        return try wrapped {
            let loader = StrictLoader(checkpoint: try Checkpoint(folder: folder), ignoring: isIgnorable)
            let root = WeightScope(source: loader, prefix: "")
            let model = ChineseCLIP(
                text: try Bert(configuration: text, loader: loader, prefix: "text_model."),
                textProjection: try root.linear("text_projection", outputs: projection, inputs: text.hiddenSize,
                                                bias: false),
                visionTower: try CLIPVisionTower(configuration: vision, projectionDim: projection, root: root))
            try loader.finish()
            return model
        }
    }
}
