import Neural

/// CLIP's vision transformer (also Chinese-CLIP's): patch convolution without bias, a class token
/// in front, position embeddings, a layer norm *before* the encoder (`pre_layrnorm`, transformers'
/// spelling), pre-norm layers, then the class token's state through `post_layernorm` and the
/// visual projection.
struct CLIPVisionTower: Sendable {
    let configuration: TowerConfiguration
    let patches: PatchEmbedding
    let classEmbedding: Tensor      // [C]
    let positions: Tensor           // [P+1, C]
    let preNorm: LayerNormWeights
    let encoder: PreNormEncoder
    let postNorm: LayerNormWeights
    let projection: Linear          // C → D, no bias

    /// transformers' `CLIPVisionConfig` defaults (ViT-B/32).
    static let defaults = TowerConfiguration(
        hiddenSize: 768, layerCount: 12, headCount: 12, intermediateSize: 3072, hiddenActivation: .quickGelu,
        layerNormEps: 1e-5, vocabularySize: 1, maxPositions: 1, typeVocabularySize: 1, imageSize: 224, patchSize: 32,
        channelCount: 3, projectionSize: nil, eosTokenID: nil, visionUseHead: false)

    /// Reads `vision_model.*` below `root` and `visual_projection.weight` `[D, C]`.
    init(configuration cfg: TowerConfiguration, projectionDim: Int, root: WeightScope) throws {
        configuration = cfg
        let c = cfg.hiddenSize
        let v = root.scope("vision_model.")
        patches = try PatchEmbedding(configuration: cfg, scope: v.scope("embeddings."), bias: false)
        classEmbedding = v.take("embeddings.class_embedding", shape: [c])
        positions = v.take("embeddings.position_embedding.weight", shape: [cfg.patchesPerSide * cfg.patchesPerSide + 1, c])
        preNorm = v.norm("pre_layrnorm", width: c)
        encoder = try PreNormEncoder(configuration: cfg, scope: v.scope("encoder."))
        postNorm = v.norm("post_layernorm", width: c)
        projection = try root.linear("visual_projection", outputs: projectionDim, inputs: c, bias: false)
    }

    /// `pixels`: `[B, 3, S, S]` flattened → `[B, D]`
    func features(pixels: [Float], batch: Int) throws -> Tensor {
        let tokens = configuration.patchesPerSide * configuration.patchesPerSide + 1
        let patchVectors = try patches(pixels: pixels, batch: batch)  // [B·P, C]
        var x = try prependingClassToken(patchVectors, classEmbedding: classEmbedding, batch: batch)  // [B·(P+1), C]
        try addRepeating(&x, positions)
        try preNorm.apply(&x, eps: configuration.layerNormEps)
        let layout = try SequenceLayout.packed(lengths: Array(repeating: tokens, count: batch))
        // Only the class tokens are pooled: the last layer computes just those rows.
        try encoder(&x, layout: layout, outputRows: layout.offsets)  // [B, C]: the class tokens
        try postNorm.apply(&x, eps: configuration.layerNormEps)
        return try projection(x)  // [B, D]
    }

    /// Floating-point operations for `batch` images.
    func flops(batch: Int) -> Double {
        let (p, c, s) = (configuration.patchesPerSide * configuration.patchesPerSide, configuration.hiddenSize,
                         configuration.patchSize)
        return 2 * Double(batch * p * c * 3 * s * s) + encoder.flops(lengths: Array(repeating: p + 1, count: batch))
            + 2 * Double(batch * c * projection.outputCount)
    }
}
