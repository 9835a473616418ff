import Neural

/// Where a model's tensors come from: a checkpoint (`StrictLoader`) or, for benchmarks, random values.
protocol WeightSource: AnyObject {
    /// The tensor `name` with `shape`.
    func take(_ name: String, shape: [Int]) -> Tensor
}

extension StrictLoader: WeightSource {}

/// Tensor names below a prefix of one checkpoint: `scope("text_model.").take("final_layer_norm.weight")`.
/// All scopes share one `StrictLoader`, so unused or missing tensors are reported for the whole file.
struct WeightScope {
    let source: any WeightSource
    let prefix: String

    /// A scope below this one.
    func scope(_ name: String) -> WeightScope { WeightScope(source: source, prefix: prefix + name) }

    /// The tensor `prefix + name` with `shape` (zeros and a recorded problem when absent).
    func take(_ name: String, shape: [Int]) -> Tensor { source.take(prefix + name, shape: shape) }

    /// `name.weight` `[outputs, inputs]` and, with `bias`, `name.bias`, prepared as a `Linear`.
    func linear(_ name: String, outputs: Int, inputs: Int, bias: Bool = true) throws -> Linear {
        try Linear(weight: take(name + ".weight", shape: [outputs, inputs]),
                   bias: bias ? take(name + ".bias", shape: [outputs]) : nil)
    }

    /// A layer norm's `name.weight` and `name.bias`, both `[width]`.
    func norm(_ name: String, width: Int) -> LayerNormWeights {
        LayerNormWeights(gamma: take(name + ".weight", shape: [width]), beta: take(name + ".bias", shape: [width]))
    }

    /// Separate `q_proj`, `k_proj`, `v_proj` fused into one `[3C, C]` projection (one GEMM per layer).
    func fusedQKV(_ attention: String, width c: Int) throws -> Linear {
        let names = ["q_proj", "k_proj", "v_proj"].map { attention + "." + $0 }
        return try Linear(weight: Tensor.concatenatingRows(names.map { take($0 + ".weight", shape: [c, c]) }),
                          bias: Tensor.concatenatingRows(names.map { take($0 + ".bias", shape: [c]) }))
    }
}

/// γ and β of a layer norm, `[C]` each.
struct LayerNormWeights: Sendable {
    let gamma: Tensor, beta: Tensor

    /// Normalises every row of `x` `[N, C]` in place.
    func apply(_ x: inout Tensor, eps: Float) throws {
        try Ops.layerNorm(&x, gamma: gamma, beta: beta, eps: eps)
    }

    /// A normalised copy of `x` (written in one pass).
    func applied(to x: Tensor, eps: Float) throws -> Tensor {
        try Ops.layerNormed(x, gamma: gamma, beta: beta, eps: eps)
    }
}

/// The encoder of CLIP, SigLIP and Chinese-CLIP's vision tower: pre-norm transformer layers
/// (`x += attn(ln1(x)); x += mlp(ln2(x))`) as transformers names them
/// (`layers.N.{layer_norm1, self_attn.{q,k,v,out}_proj, layer_norm2, mlp.fc1, mlp.fc2}`).
struct PreNormEncoder: Sendable {
    struct Layer: Sendable {
        let norm1: LayerNormWeights
        let qkv: Linear           // C → 3C
        let attentionOutput: Linear  // C → C
        let norm2: LayerNormWeights
        let up: Linear            // C → I
        let down: Linear          // I → C
    }

    let configuration: TowerConfiguration
    let layers: [Layer]

    /// Reads `layers.0 … layers.{L-1}` below `scope` (typically `…encoder.`).
    init(configuration cfg: TowerConfiguration, scope: WeightScope) throws {
        let (c, i) = (cfg.hiddenSize, cfg.intermediateSize)
        configuration = cfg
        layers = try (0..<cfg.layerCount).map { index in
            let s = scope.scope("layers.\(index).")
            return Layer(norm1: s.norm("layer_norm1", width: c), qkv: try s.fusedQKV("self_attn", width: c),
                         attentionOutput: try s.linear("self_attn.out_proj", outputs: c, inputs: c),
                         norm2: s.norm("layer_norm2", width: c),
                         up: try s.linear("mlp.fc1", outputs: i, inputs: c),
                         down: try s.linear("mlp.fc2", outputs: c, inputs: i))
        }
    }

    /// Runs every layer over the packed sequences of `layout`. `x`: `[N, C]`, updated in place.
    ///
    /// With `outputRows`, only those rows' final states are wanted (a pooled class or end token): the
    /// last layer still projects keys and values for every row, but attends, projects and runs its
    /// feed-forward block for those rows only, and `x` ends as `[outputRows.count, C]`. The kept rows
    /// go through exactly the same arithmetic as in a full pass.
    func callAsFunction(_ x: inout Tensor, layout: SequenceLayout, causal: Bool = false,
                        outputRows: [Int]? = nil) throws {
        let eps = configuration.layerNormEps
        for (index, layer) in layers.enumerated() {
            let normed = try layer.norm1.applied(to: x, eps: eps)                      // [N, C]
            let qkv = try layer.qkv(normed)                                             // [N, 3C]
            if let outputRows, index == layers.count - 1 {
                let context = try Ops.attention(qkv: qkv, layout: layout, heads: configuration.headCount,
                                                causal: causal, queryRows: outputRows)  // [R, C]
                x = try gatherRows(x, outputRows)                                       // [R, C]
                try feedForward(layer, context: context, into: &x, eps: eps)
                return
            }
            let context = try Ops.attention(qkv: qkv, layout: layout, heads: configuration.headCount,
                                            causal: causal)                             // [N, C]
            try feedForward(layer, context: context, into: &x, eps: eps)
        }
    }

    /// The rest of a layer after attention: `x += out(context)`, then `x += mlp(ln2(x))`.
    private func feedForward(_ layer: Layer, context: Tensor, into x: inout Tensor, eps: Float) throws {
        try layer.attentionOutput.accumulate(context, into: &x)                         // x += [N, C]
        let normed2 = try layer.norm2.applied(to: x, eps: eps)                          // [N, C]
        let hidden = try layer.up(normed2, activation: configuration.hiddenActivation)  // [N, I]
        try layer.down.accumulate(hidden, into: &x)                                     // x += [N, C]
    }

    /// Floating-point operations over sequences of these lengths: the six products per token
    /// (Q, K, V, output, two feed-forward) plus scores and weighted values.
    func flops(lengths: [Int]) -> Double {
        transformerFLOPs(lengths: lengths, width: configuration.hiddenSize,
                         intermediate: configuration.intermediateSize, layers: configuration.layerCount)
    }
}

/// 2·multiply-adds of `layers` transformer layers over sequences of these lengths.
func transformerFLOPs(lengths: [Int], width: Int, intermediate: Int, layers: Int) -> Double {
    let (c, i) = (Double(width), Double(intermediate))
    let perLayer = lengths.reduce(0.0) { total, length in
        let l = Double(length)
        return total + 2 * l * (4 * c * c + 2 * c * i) + 4 * l * l * c
    }
    return perLayer * Double(layers)
}

/// The patch convolution (kernel = stride = patch) as one GEMM: every patch is flattened to
/// `[3·p·p]` in the convolution weight's `(channel, y, x)` order.
struct PatchEmbedding: Sendable {
    let projection: Linear  // 3·p·p → C
    let patch: Int
    let imageSize: Int

    /// `patch_embedding.weight` `[C, 3, p, p]` (and `.bias` when `bias`) below `scope`.
    init(configuration cfg: TowerConfiguration, scope: WeightScope, bias: Bool) throws {
        let (c, p) = (cfg.hiddenSize, cfg.patchSize)
        let weight = try scope.take("patch_embedding.weight", shape: [c, 3, p, p]).reshaped([c, 3 * p * p])
        projection = try Linear(weight: weight, bias: bias ? scope.take("patch_embedding.bias", shape: [c]) : nil)
        patch = p
        imageSize = cfg.imageSize
    }

    /// Patch vectors, patches in row-major order per image.
    ///
    /// - Parameter pixels: `[B, 3, S, S]` flattened, S = `imageSize`
    /// - Returns: `[B·P, C]`, P = (S/p)²
    func callAsFunction(pixels: [Float], batch: Int) throws -> Tensor {
        let (s, p) = (imageSize, patch)
        let n = s / p
        guard pixels.count == batch * 3 * s * s else {
            throw NeuralError.shapeMismatch("pixel values: \(pixels.count) floats for \(batch) images of 3×\(s)×\(s)")
        }
        let k = 3 * p * p
        var columns = [Float](repeating: 0, count: batch * n * n * k)  // [B·P, 3·p·p]
        pixels.withUnsafeBufferPointer { src in
            columns.withUnsafeMutableBufferPointer { dst in
                for b in 0..<batch {
                    for py in 0..<n {
                        for px in 0..<n {
                            let row = dst.baseAddress! + ((b * n + py) * n + px) * k
                            for channel in 0..<3 {
                                let plane = src.baseAddress! + (b * 3 + channel) * s * s
                                for ky in 0..<p {
                                    let line = plane + (py * p + ky) * s + px * p
                                    (row + (channel * p + ky) * p).update(from: line, count: p)
                                }
                            }
                        }
                    }
                }
            }
        }
        return try projection(Tensor(shape: [batch * n * n, k], scalars: columns))
    }
}
