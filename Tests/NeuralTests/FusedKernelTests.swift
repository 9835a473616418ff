import Foundation
import Testing

@testable import Neural

/// The register-blocked attention kernel at the encoders' head sizes (64, and SigLIP so400m's 72,
/// which leaves a partial 16-wide block) and lengths (CLIP's 50 and 77 tokens), against the masked
/// Float64 reference; attention for selected query rows; the fused residual and layer-norm forms.
struct FusedKernelTests {
    func split(_ qkv: Tensor, part: Int, batch: Int, length: Int, channels: Int) -> Tensor {
        var out = Tensor(zeros: [batch, length, channels])
        for row in 0..<(batch * length) {
            for i in 0..<channels { out.scalars[row * channels + i] = qkv.scalars[row * 3 * channels + part * channels + i] }
        }
        return out
    }

    @Test(arguments: [(64, 50, false), (64, 77, true), (72, 33, false), (72, 17, true), (20, 5, false)])
    func attentionMatchesReference(headDim: Int, length: Int, causal: Bool) throws {
        let heads = 3
        let channels = heads * headDim
        let lengths = [length, length - 3, 1]
        var random = SeededRandom(state: UInt64(headDim * 100 + length))
        let qkv = random.tensor([lengths.count, length, 3 * channels], scale: 1.5)
        let layout = try SequenceLayout.padded(paddedLength: length, validLengths: lengths)
        let fast = try Ops.attention(qkv: try qkv.reshaped([layout.rowCount, 3 * channels]), layout: layout,
                                     heads: heads, causal: causal)
        let parts = (0..<3).map { split(qkv, part: $0, batch: lengths.count, length: length, channels: channels) }
        let mask = lengths.map { valid in (0..<length).map { $0 < valid ? 1 : 0 } }
        let slow = Reference.attention(q: parts[0], k: parts[1], v: parts[2], mask: mask, heads: heads, causal: causal)
        #expect(maxAbsDifference(fast.scalars, slow.scalars) < 1e-5)
    }

    @Test(arguments: [false, true])
    func selectedQueryRowsEqualThoseRowsOfTheFullOutput(causal: Bool) throws {
        let (heads, channels) = (2, 128)
        let layout = try SequenceLayout.packed(lengths: [9, 50, 1])
        var random = SeededRandom(state: 41)
        let qkv = random.tensor([layout.rowCount, 3 * channels])
        let full = try Ops.attention(qkv: qkv, layout: layout, heads: heads, causal: causal)
        let rows = [0, 8, 9, 30, 58, 59]
        let some = try Ops.attention(qkv: qkv, layout: layout, heads: heads, causal: causal, queryRows: rows)
        #expect(some.shape == [rows.count, channels])
        for (i, row) in rows.enumerated() {
            #expect(maxAbsDifference(Array(some.row(i)), Array(full.row(row))) < 1e-6)
        }
        #expect(throws: NeuralError.self) {
            try Ops.attention(qkv: qkv, layout: layout, heads: heads, queryRows: [layout.rowCount])
        }
    }

    @Test(arguments: [(3, 40, 24), (64, 768, 300), (300, 96, 130)])
    func accumulateAddsTheProductToTheResidual(n: Int, inputs: Int, outputs: Int) throws {
        var random = SeededRandom(state: UInt64(n + outputs))
        let x = random.tensor([n, inputs])
        let w = random.tensor([outputs, inputs], scale: 0.1)
        let b = random.tensor([outputs])
        let residual = random.tensor([n, outputs])
        for (bias, backend) in [(true, Linear.Backend.amx), (false, .amx), (true, .packed), (true, .sgemm), (false, .packed)] {
            let layer = try Linear(weight: w, bias: bias ? b : nil, backend: backend)
            var y = residual
            try layer.accumulate(x, into: &y)
            var want = Reference.linear(x, weight: w, bias: bias ? b : nil)
            try Ops.add(&want, residual)
            #expect(maxAbsDifference(y.scalars, want.scalars) < 1e-4)
        }
        var wrong = Tensor(zeros: [n + 1, outputs])
        #expect(throws: NeuralError.self) { try Linear(weight: w, bias: b).accumulate(x, into: &wrong) }
    }

    @Test func layerNormedEqualsLayerNormInPlace() throws {
        var random = SeededRandom(state: 43)
        let x = random.tensor([70, 100], scale: 3)
        let (gamma, beta) = (random.tensor([100]), random.tensor([100]))
        var inPlace = x
        try Ops.layerNorm(&inPlace, gamma: gamma, beta: beta, eps: 1e-6)
        let copy = try Ops.layerNormed(x, gamma: gamma, beta: beta, eps: 1e-6)
        #expect(copy == inPlace)
        #expect(maxAbsDifference(copy.scalars, Reference.layerNorm(x, gamma: gamma, beta: beta, eps: 1e-6).scalars) < 1e-4)
    }
}
