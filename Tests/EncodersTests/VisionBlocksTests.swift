import Foundation
import Neural
import Testing

@testable import Encoders

/// The building blocks of the vision towers against naive reference code.
struct VisionBlocksTests {
    /// Hands out fixed tensors by name.
    final class FixedWeights: WeightSource {
        let tensors: [String: Tensor]
        init(_ tensors: [String: Tensor]) { self.tensors = tensors }
        func take(_ name: String, shape: [Int]) -> Tensor { tensors[name] ?? Tensor(zeros: shape) }
    }

    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var generator = SplitMix(seed: seed)
        return (0..<count).map { _ in generator.nextUniform() * 2 - 1 }
    }

    /// A patch grid that does not divide the image (as so400m-patch14-384: 27 × 14 px of 384):
    /// the convolution ignores the remainder.
    @Test func patchEmbeddingEqualsAStridedConvolution() throws {
        let (batch, side, patch, width) = (2, 20, 6, 4)
        var configuration = Siglip.textDefaults
        (configuration.hiddenSize, configuration.imageSize, configuration.patchSize) = (width, side, patch)
        let weight = Self.values(width * 3 * patch * patch, seed: 1)  // [C, 3, p, p]
        let bias = Self.values(width, seed: 2)
        let pixels = Self.values(batch * 3 * side * side, seed: 3)  // [B, 3, S, S]
        let source = FixedWeights([
            "patch_embedding.weight": try Tensor(shape: [width, 3, patch, patch], scalars: weight),
            "patch_embedding.bias": try Tensor(shape: [width], scalars: bias),
        ])
        let embedding = try PatchEmbedding(configuration: configuration, scope: WeightScope(source: source, prefix: ""),
                                           bias: true)
        let out = try embedding(pixels: pixels, batch: batch)  // [B·n·n, C]
        let n = side / patch
        #expect(out.shape == [batch * n * n, width])
        var worst: Float = 0
        for b in 0..<batch {
            for py in 0..<n {
                for px in 0..<n {
                    for c in 0..<width {
                        var sum = bias[c]
                        for channel in 0..<3 {
                            for ky in 0..<patch {
                                for kx in 0..<patch {
                                    let w = weight[((c * 3 + channel) * patch + ky) * patch + kx]
                                    let p = pixels[((b * 3 + channel) * side + py * patch + ky) * side + px * patch + kx]
                                    sum += w * p
                                }
                            }
                        }
                        worst = max(worst, abs(sum - out.scalars[((b * n + py) * n + px) * width + c]))
                    }
                }
            }
        }
        #expect(worst < 1e-4)
    }

    /// transformers 4.57.1: legacy eos id 2 pools at the largest id, otherwise at the first eos.
    @Test func clipPoolsWhereTransformersDoes() {
        #expect(CLIP.endPosition([49406, 320, 1125, 49407, 0, 0], eos: 2) == 3)
        #expect(CLIP.endPosition([5, 9, 9, 1], eos: 2) == 1)  // first of equal maxima
        #expect(CLIP.endPosition([0, 7, 3, 3, 9], eos: 3) == 2)
        #expect(CLIP.endPosition([0, 7, 4], eos: 3) == 0)  // no eos: position 0
    }

    /// A last layer run for the pooled rows only gives those rows exactly as a full pass does.
    @Test(arguments: [false, true])
    func encoderOutputRowsEqualThoseRowsOfAFullPass(causal: Bool) throws {
        var configuration = CLIP.textDefaults
        (configuration.hiddenSize, configuration.headCount, configuration.intermediateSize) = (64, 2, 96)
        configuration.layerCount = 2
        let encoder = try PreNormEncoder(configuration: configuration,
                                         scope: WeightScope(source: RandomWeights(), prefix: ""))
        let layout = try SequenceLayout.packed(lengths: [7, 50, 1])
        let input = try Tensor(shape: [layout.rowCount, 64], scalars: Self.values(layout.rowCount * 64, seed: 5))
        var full = input
        try encoder(&full, layout: layout, causal: causal)
        let rows = [6, 7, 40, 57]
        var some = input
        try encoder(&some, layout: layout, causal: causal, outputRows: rows)
        #expect(some.shape == [rows.count, 64])
        for (i, row) in rows.enumerated() {
            let difference = zip(some.row(i), full.row(row)).map { abs($0 - $1) }.max() ?? 0
            #expect(difference < 1e-5)
        }
    }

    @Test func classTokenGoesFirstInEachImage() throws {
        let patches = try Tensor(shape: [4, 2], scalars: [1, 1, 2, 2, 3, 3, 4, 4])  // 2 images × 2 patches
        let out = try prependingClassToken(patches, classEmbedding: try Tensor(shape: [2], scalars: [9, 8]), batch: 2)
        #expect(out.shape == [6, 2])
        #expect(out.scalars == [9, 8, 1, 1, 2, 2, 9, 8, 3, 3, 4, 4])
    }
}
