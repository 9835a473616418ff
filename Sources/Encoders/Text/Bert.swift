import Foundation
import Neural

/// BERT (Devlin et al.): token + position + type embeddings, then post-norm transformer layers.
/// Sequences are packed without padding; each attends only to its own tokens, which equals
/// Hugging Face's padded batch with an attention mask.
public struct Bert: TextBackbone {
    /// One transformer layer. Q, K and V are fused into one `[3C, C]` projection at load time.
    struct Layer: Sendable {
        var qkv: Linear                   // C → 3C
        var attentionOutput: Linear       // C → C
        var attentionNormWeight: Tensor, attentionNormBias: Tensor  // [C]
        var up: Linear                    // C → I
        var down: Linear                  // I → C
        var outputNormWeight: Tensor, outputNormBias: Tensor        // [C]
    }

    /// The architecture's numbers.
    public let configuration: BertConfiguration
    let wordEmbeddings: Tensor      // [V, C]
    let positionEmbeddings: Tensor  // [P, C]
    let typeEmbeddings: Tensor      // [T, C]
    let embeddingNormWeight: Tensor, embeddingNormBias: Tensor  // [C]
    let layers: [Layer]

    /// C.
    public var hiddenSize: Int { configuration.hiddenSize }
    /// Rows of the position table.
    public var maxPositions: Int { configuration.maxPositions }

    /// Token vectors `[N, C]` of the packed batch (see `TextBackbone.forward`).
    public func forward(ids: [[Int]], typeIDs: [[Int]]) throws -> (states: Tensor, layout: SequenceLayout) {
        let layout = try SequenceLayout.packed(lengths: ids.map(\.count))
        guard let longest = layout.lengths.max(), longest <= configuration.maxPositions else {
            throw NeuralError.shapeMismatch("sequence longer than \(configuration.maxPositions) positions")
        }
        var x = try embed(ids: ids, typeIDs: typeIDs, rows: layout.rowCount)  // [N, C]
        try Ops.layerNorm(&x, gamma: embeddingNormWeight, beta: embeddingNormBias, eps: configuration.layerNormEps)
        for layer in layers {
            let qkv = try layer.qkv(x)  // [N, 3C]
            let context = try Ops.attention(qkv: qkv, layout: layout, heads: configuration.headCount)  // [N, C]
            var attended = try layer.attentionOutput(context)  // [N, C]
            try Ops.addLayerNorm(&attended, residual: x, gamma: layer.attentionNormWeight,
                                 beta: layer.attentionNormBias, eps: configuration.layerNormEps)
            let hidden = try layer.up(attended, activation: configuration.hiddenActivation)  // [N, I]
            x = try layer.down(hidden)  // [N, C]
            try Ops.addLayerNorm(&x, residual: attended, gamma: layer.outputNormWeight,
                                 beta: layer.outputNormBias, eps: configuration.layerNormEps)
        }
        return (x, layout)
    }

    /// Multiply-adds ×2 of the projections plus the attention products.
    public func forwardFLOPs(lengths: [Int]) -> Double {
        let (c, i) = (Double(configuration.hiddenSize), Double(configuration.intermediateSize))
        let perLayer = lengths.reduce(0.0) { total, length in
            let l = Double(length)
            // Q, K, V, output and the two feed-forward products, then scores and weighted values.
            return total + 2 * l * (4 * c * c + 2 * c * i) + 4 * l * l * c
        }
        return perLayer * Double(configuration.layerCount)
    }

    /// Sum of word, position and token-type embeddings, gathered in one pass. → `[N, C]`
    private func embed(ids: [[Int]], typeIDs: [[Int]], rows: Int) throws -> Tensor {
        let c = configuration.hiddenSize
        let (v, t) = (configuration.vocabularySize, configuration.typeVocabularySize)
        var x = Tensor(zeros: [rows, c])
        var row = 0
        for (sequence, tokens) in ids.enumerated() {
            let types = sequence < typeIDs.count ? typeIDs[sequence] : []
            for (position, id) in tokens.enumerated() {
                let type = position < types.count ? types[position] : 0
                guard (0..<v).contains(id) else { throw NeuralError.indexOutOfRange(index: id, count: v) }
                guard (0..<t).contains(type) else { throw NeuralError.indexOutOfRange(index: type, count: t) }
                x.scalars.withUnsafeMutableBufferPointer { out in
                    wordEmbeddings.scalars.withUnsafeBufferPointer { w in
                        positionEmbeddings.scalars.withUnsafeBufferPointer { p in
                            typeEmbeddings.scalars.withUnsafeBufferPointer { ty in
                                let o = out.baseAddress! + row * c
                                let (wr, pr, tr) = (w.baseAddress! + id * c, p.baseAddress! + position * c,
                                                    ty.baseAddress! + type * c)
                                for i in 0..<c { o[i] = wr[i] + pr[i] + tr[i] }
                            }
                        }
                    }
                }
                row += 1
            }
        }
        return x
    }
}

// MARK: - Loading

extension Bert {
    /// Tensor names of a Hugging Face `BertModel` checkpoint (one block, as the file has them).
    enum Names {
        static let word = "embeddings.word_embeddings.weight"
        static let position = "embeddings.position_embeddings.weight"
        static let type = "embeddings.token_type_embeddings.weight"
        static let embeddingNorm = "embeddings.LayerNorm"
        static func layer(_ i: Int) -> String { "encoder.layer.\(i)." }
        static let query = "attention.self.query", key = "attention.self.key", value = "attention.self.value"
        static let attentionOutput = "attention.output.dense", attentionNorm = "attention.output.LayerNorm"
        static let intermediate = "intermediate.dense"
        static let output = "output.dense", outputNorm = "output.LayerNorm"
        /// Present in many checkpoints but not part of the encoder: the NSP pooler, buffers, heads.
        static func isIgnorable(_ name: String) -> Bool {
            name.hasSuffix("position_ids") || name.contains("pooler.") || name.hasPrefix("cls.")
        }
    }

    /// Loads a BERT from a Hugging Face folder (`config.json` + safetensors), strictly: every tensor
    /// must be present with its shape and every other tensor must be a known leftover.
    public static func load(folder: URL) throws -> Bert {
        let configuration: BertConfiguration = try readJSON(folder.appendingPathComponent("config.json"))
        try configuration.validate(file: folder.appendingPathComponent("config.json").path)
        return try wrapped {
            let checkpoint = try Checkpoint(folder: folder)
            // Checkpoints saved from BertForMaskedLM & co. prefix the encoder with "bert.".
            let prefix = checkpoint.info(Names.word) == nil && checkpoint.info("bert." + Names.word) != nil ? "bert." : ""
            let loader = StrictLoader(checkpoint: checkpoint, prefix: prefix, ignoring: Names.isIgnorable)
            let model = try Bert(configuration: configuration, loader: loader)
            try loader.finish()
            return model
        }
    }

    /// Reads the tensors below `prefix` (e.g. `text_model.` inside a Chinese-CLIP checkpoint).
    init(configuration cfg: BertConfiguration, loader: StrictLoader, prefix: String = "") throws {
        let (c, i) = (cfg.hiddenSize, cfg.intermediateSize)
        configuration = cfg
        wordEmbeddings = loader.take(prefix + Names.word, shape: [cfg.vocabularySize, c])
        positionEmbeddings = loader.take(prefix + Names.position, shape: [cfg.maxPositions, c])
        typeEmbeddings = loader.take(prefix + Names.type, shape: [cfg.typeVocabularySize, c])
        embeddingNormWeight = loader.take(prefix + Names.embeddingNorm + ".weight", shape: [c])
        embeddingNormBias = loader.take(prefix + Names.embeddingNorm + ".bias", shape: [c])
        layers = try (0..<cfg.layerCount).map { index in
            let p = prefix + Names.layer(index)
            func weight(_ name: String, _ shape: [Int]) -> Tensor { loader.take(p + name + ".weight", shape: shape) }
            func bias(_ name: String, _ size: Int) -> Tensor { loader.take(p + name + ".bias", shape: [size]) }
            func linear(_ name: String, _ outputs: Int, _ inputs: Int) throws -> Linear {
                try Linear(weight: weight(name, [outputs, inputs]), bias: bias(name, outputs))
            }
            // Fuse Q, K, V: one [3C, C] matrix, one GEMM per layer instead of three.
            let qkv = try Linear(
                weight: Tensor.concatenatingRows([weight(Names.query, [c, c]), weight(Names.key, [c, c]),
                                                  weight(Names.value, [c, c])]),
                bias: Tensor.concatenatingRows([bias(Names.query, c), bias(Names.key, c), bias(Names.value, c)]))
            return Layer(qkv: qkv, attentionOutput: try linear(Names.attentionOutput, c, c),
                         attentionNormWeight: weight(Names.attentionNorm, [c]), attentionNormBias: bias(Names.attentionNorm, c),
                         up: try linear(Names.intermediate, i, c), down: try linear(Names.output, c, i),
                         outputNormWeight: weight(Names.outputNorm, [c]), outputNormBias: bias(Names.outputNorm, c))
        }
    }
}

extension Tensor {
    /// Stacks tensors along the first dimension; they must agree on the others.
    static func concatenatingRows(_ parts: [Tensor]) -> Tensor {
        guard let first = parts.first else { return Tensor(zeros: [0]) }
        let rows = parts.reduce(0) { $0 + ($1.shape.first ?? 1) }
        let shape = [rows] + first.shape.dropFirst()
        // Shapes come from StrictLoader.take, so they agree by construction.
        return (try? Tensor(shape: shape, scalars: parts.flatMap(\.scalars))) ?? Tensor(zeros: shape)
    }
}
