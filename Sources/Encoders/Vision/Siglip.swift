import Foundation
import Neural

/// SigLIP (Zhai et al.), `model_type: "siglip"` — also the fixed-resolution SigLIP 2 checkpoints,
/// which share the architecture and differ only in their tokenizer (Gemma's) and resize filter.
///
/// Text: token + position embeddings, pre-norm layers attending over the whole padded sequence
/// (SigLIP's processor returns no attention mask), final layer norm, the last position through a
/// linear head. Vision: patch convolution + position embeddings (no class token), pre-norm layers,
/// post layer norm, then the attention-pooling head: a learned probe attends over all patches,
/// followed by a residual MLP.
struct Siglip: VisionLanguageModel {
    /// SigLIP's attention-pooling head (`vision_model.head`).
    struct PoolingHead: Sendable {
        let query: [Float]          // [C]: the probe through the query projection, computed once
        let keyValue: Linear        // C → 2C
        let output: Linear          // C → C
        let norm: LayerNormWeights
        let up: Linear              // C → I
        let down: Linear            // I → C
    }

    let text: TowerConfiguration
    let vision: TowerConfiguration
    let tokenEmbedding: Tensor      // [V, Ct]
    let textPositions: Tensor       // [Pt, Ct]
    let textEncoder: PreNormEncoder
    let finalNorm: LayerNormWeights
    let textHead: Linear            // Ct → D
    let patches: PatchEmbedding
    let imagePositions: Tensor      // [P, Cv]
    let visionEncoder: PreNormEncoder
    let postNorm: LayerNormWeights
    let head: PoolingHead
    let padID: Int

    var embeddingDimension: Int { textHead.outputCount }
    var imageSize: Int { vision.imageSize }
    var maxTextPositions: Int { text.maxPositions }
    var textInput: TextInputPolicy { .padded(length: text.maxPositions, padID: padID) }

    /// `[B, D]`: the head applied to the last position of each (padded) sequence.
    func textFeatures(ids: [[Int]]) throws -> Tensor {
        let layout = try SequenceLayout.packed(lengths: ids.map(\.count))
        guard (layout.lengths.max() ?? 0) <= text.maxPositions else {
            throw NeuralError.shapeMismatch("text longer than \(text.maxPositions) positions")
        }
        guard layout.lengths.allSatisfy({ $0 > 0 }) else { throw NeuralError.shapeMismatch("empty text") }
        var x = try embedTokens(ids, table: tokenEmbedding, positions: textPositions)  // [N, Ct]
        // Only the last position of each sequence is pooled: the last layer computes just those rows.
        let lastRows = zip(layout.offsets, layout.lengths).map { $0 + $1 - 1 }
        try textEncoder(&x, layout: layout, outputRows: lastRows)  // [B, Ct]
        try finalNorm.apply(&x, eps: text.layerNormEps)
        return try textHead(x)  // [B, D]
    }

    /// `[B, D]`: the pooling head's output for each image.
    func imageFeatures(pixels: [Float], batch: Int) throws -> Tensor {
        let p = vision.patchesPerSide * vision.patchesPerSide
        var x = try patches(pixels: pixels, batch: batch)  // [B·P, Cv]
        try addRepeating(&x, imagePositions)
        let layout = try SequenceLayout.packed(lengths: Array(repeating: p, count: batch))
        try visionEncoder(&x, layout: layout)
        try postNorm.apply(&x, eps: vision.layerNormEps)
        return try pool(x, layout: layout)  // [B, Cv]
    }

    /// The attention-pooling head. `x`: `[B·P, C]` → `[B, C]`
    private func pool(_ x: Tensor, layout: SequenceLayout) throws -> Tensor {
        let c = vision.hiddenSize
        let heads = vision.headCount
        let d = c / heads
        let kv = try head.keyValue(x)  // [B·P, 2C]: keys then values
        var attended = Tensor(zeros: [layout.batchSize, c])  // [B, C]
        let scale = 1 / Float(d).squareRoot()
        var scores = [Float](repeating: 0, count: layout.lengths.max() ?? 0)
        attended.scalars.withUnsafeMutableBufferPointer { out in
            kv.scalars.withUnsafeBufferPointer { kvs in
                head.query.withUnsafeBufferPointer { q in
                    for b in 0..<layout.batchSize {
                        let (offset, length) = (layout.offsets[b], layout.lengths[b])
                        for h in 0..<heads {
                            for t in 0..<length {
                                let k = kvs.baseAddress! + (offset + t) * 2 * c + h * d
                                var dot: Float = 0
                                for e in 0..<d { dot += q[h * d + e] * k[e] }
                                scores[t] = dot * scale
                            }
                            let top = scores[0..<length].max() ?? 0
                            var sum: Float = 0
                            for t in 0..<length { scores[t] = expf(scores[t] - top); sum += scores[t] }
                            let o = out.baseAddress! + b * c + h * d
                            for t in 0..<length {
                                let v = kvs.baseAddress! + (offset + t) * 2 * c + c + h * d
                                let w = scores[t] / sum
                                for e in 0..<d { o[e] += w * v[e] }
                            }
                        }
                    }
                }
            }
        }
        let residual = try head.output(attended)  // [B, C]
        let normed = try head.norm.applied(to: residual, eps: vision.layerNormEps)
        var y = try head.down(try head.up(normed, activation: vision.hiddenActivation))  // [B, C]
        try Ops.add(&y, residual)
        return y
    }

    func textFLOPs(lengths: [Int]) -> Double {
        textEncoder.flops(lengths: lengths) + 2 * Double(lengths.count * text.hiddenSize * embeddingDimension)
    }

    func imageFLOPs(batch: Int) -> Double {
        let (p, c, i) = (vision.patchesPerSide * vision.patchesPerSide, vision.hiddenSize, vision.intermediateSize)
        let patchFLOPs = 2 * Double(batch * p * c * 3 * vision.patchSize * vision.patchSize)
        let headFLOPs = Double(batch) * (2 * Double(p * c * 2 * c) + 2 * Double(c * c + 2 * c * i) + 4 * Double(p * c))
        return patchFLOPs + visionEncoder.flops(lengths: Array(repeating: p, count: batch)) + headFLOPs
    }
}

// MARK: - Loading

extension Siglip {
    /// transformers' `SiglipTextConfig` defaults.
    static let textDefaults = TowerConfiguration(
        hiddenSize: 768, layerCount: 12, headCount: 12, intermediateSize: 3072, hiddenActivation: .geluPytorchTanh,
        layerNormEps: 1e-6, vocabularySize: 32000, maxPositions: 64, typeVocabularySize: 1, imageSize: 224,
        patchSize: 16, channelCount: 3, projectionSize: nil, eosTokenID: nil, visionUseHead: true)
    /// transformers' `SiglipVisionConfig` defaults.
    static let visionDefaults = textDefaults

    /// Tensors that are not part of the encoders: the contrastive loss's temperature and bias, buffers.
    static func isIgnorable(_ name: String) -> Bool {
        name == "logit_scale" || name == "logit_bias" || name.hasSuffix("position_ids")
    }

    /// The towers' numbers from `folder/config.json`, defaults applied and checked.
    static func configuration(folder: URL) throws -> (text: TowerConfiguration, vision: TowerConfiguration) {
        let file = folder.appendingPathComponent("config.json")
        let config: VisionLanguageConfigurationFile = try readJSON(file)
        let text = (config.textConfig ?? TowerConfigurationFile()).resolved(defaults: textDefaults)
        let vision = (config.visionConfig ?? TowerConfigurationFile()).resolved(defaults: visionDefaults)
        try text.validate(file: file.path, tower: "text_config", vision: false)
        try vision.validate(file: file.path, tower: "vision_config", vision: true)
        guard vision.visionUseHead else {
            throw EncoderError.unsupportedModule("SigLIP without its attention-pooling head (vision_use_head false)")
        }
        return (text, vision)
    }

    /// Loads the checkpoint in `folder` strictly; `padID` is the tokenizer's padding id.
    static func load(folder: URL, text: TowerConfiguration, vision: TowerConfiguration, padID: Int) throws -> Siglip {
        guard (0..<text.vocabularySize).contains(padID) else {
            throw EncoderError.invalidConfiguration(file: folder.appendingPathComponent("config.json").path,
                                                    reason: "padding id \(padID) outside the vocabulary")
        }
        return try wrapped {
            let loader = StrictLoader(checkpoint: try Checkpoint(folder: folder), ignoring: isIgnorable)
            let model = try Siglip(text: text, vision: vision, padID: padID,
                                   root: WeightScope(source: loader, prefix: ""))
            try loader.finish()
            return model
        }
    }

    init(text: TowerConfiguration, vision: TowerConfiguration, padID: Int, root: WeightScope) throws {
        self.text = text
        self.vision = vision
        self.padID = padID
        let t = root.scope("text_model.")
        let (ct, cv) = (text.hiddenSize, vision.hiddenSize)
        tokenEmbedding = t.take("embeddings.token_embedding.weight", shape: [text.vocabularySize, ct])
        textPositions = t.take("embeddings.position_embedding.weight", shape: [text.maxPositions, ct])
        textEncoder = try PreNormEncoder(configuration: text, scope: t.scope("encoder."))
        finalNorm = t.norm("final_layer_norm", width: ct)
        textHead = try t.linear("head", outputs: text.projectionSize ?? ct, inputs: ct)

        let v = root.scope("vision_model.")
        patches = try PatchEmbedding(configuration: vision, scope: v.scope("embeddings."), bias: true)
        let p = vision.patchesPerSide * vision.patchesPerSide
        imagePositions = v.take("embeddings.position_embedding.weight", shape: [p, cv])
        visionEncoder = try PreNormEncoder(configuration: vision, scope: v.scope("encoder."))
        postNorm = v.norm("post_layernorm", width: cv)

        let h = v.scope("head.")
        let inProjection = h.take("attention.in_proj_weight", shape: [3 * cv, cv]).scalars  // [3C, C]: Q, K, V
        let inBias = h.take("attention.in_proj_bias", shape: [3 * cv]).scalars
        let probe = try Tensor(shape: [1, cv], scalars: h.take("probe", shape: [1, 1, cv]).scalars)
        let queryProjection = try Linear(weight: try Tensor(shape: [cv, cv], scalars: Array(inProjection[0..<(cv * cv)])),
                                         bias: try Tensor(shape: [cv], scalars: Array(inBias[0..<cv])))
        head = PoolingHead(
            query: try queryProjection(probe).scalars,
            keyValue: try Linear(weight: try Tensor(shape: [2 * cv, cv], scalars: Array(inProjection[(cv * cv)...])),
                                 bias: try Tensor(shape: [2 * cv], scalars: Array(inBias[cv...]))),
            output: try h.linear("attention.out_proj", outputs: cv, inputs: cv),
            norm: h.norm("layernorm", width: cv),
            up: try h.linear("mlp.fc1", outputs: vision.intermediateSize, inputs: cv),
            down: try h.linear("mlp.fc2", outputs: cv, inputs: vision.intermediateSize))
    }
}
