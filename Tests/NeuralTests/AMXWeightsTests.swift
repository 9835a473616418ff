import Foundation
import Testing

@testable import Neural

/// The bf16x3 product on AMX tiles (`AMXWeights`, through `Linear`) against a Float64 reference:
/// the encoders' widths and odd ones (tails in rows, depth and columns), products split by rows and
/// by columns, bias, activation and the residual form; and the choice of backend, including the
/// fallbacks when AMX is turned off or missing. Skipped where the CPU has no AMX.
@Suite(.enabled(if: Linear.Backend.amx.usable == .amx, "needs AMX-BF16 and the kernel's tile permission"))
struct AMXWeightsTests {
    /// Per output, the bound on |AMX − exact| as a multiple of Σ|x·w| (not of |x·W|: cancellation
    /// in the sum does not cancel the operands' rounding).
    ///
    /// Splitting: |v − hi − lo| ≤ 2⁻⁸·|v − hi| ≤ 2⁻¹⁶·|v| (bf16 keeps 8 significant bits, hi and lo
    /// are rounded to nearest). With x = xh + xl + εx and w = wh + wl + εw,
    /// x·w − (xh·wh + xh·wl + xl·wh) = x·εw + εx·w − εx·εw + xl·wl, each term at most 2⁻¹⁶·|x·w|:
    /// 3·2⁻¹⁶ in all. The tiles add the exact bf16 products in fp32; a worst-case bound for that
    /// (K·2⁻²⁴) would be looser than the split itself, so 2⁻¹⁸ is allowed for it: fp32 rounding
    /// errors add up like a random walk, √(3K)·2⁻²⁴ ≤ 2⁻¹⁸ for K ≤ 5000. Measured: ~1e-6 (≈ 2⁻²⁰).
    /// A plain bf16 product (no lo parts) would be off by up to 2⁻⁷ and fail by far.
    static let bound = 3.0 / 65536 + 1.0 / 262_144

    /// Max over outputs of |got − exact| / Σ|x·w|, with the bias and `residual` added exactly.
    func worstRelativeError(_ got: Tensor, x: Tensor, w: Tensor, bias: Tensor?, residual: Tensor? = nil) -> Double {
        let (n, k, m) = (x.rows, x.columns, w.shape[0])
        var worst = 0.0
        for row in 0..<n {
            for column in 0..<m {
                var (sum, scale) = (0.0, 0.0)
                for i in 0..<k {
                    let product = Double(x.scalars[row * k + i]) * Double(w.scalars[column * k + i])
                    sum += product
                    scale += abs(product)
                }
                sum += Double(bias?.scalars[column] ?? 0) + Double(residual?.scalars[row * m + column] ?? 0)
                let error = abs(Double(got.scalars[row * m + column]) - sum)
                // Σ|x·w| = 0 only with zero operands, whose product the tiles give exactly.
                worst = max(worst, scale > 0 ? error / scale : error)
            }
        }
        return worst
    }

    /// (N, K, M): the encoders' row counts and depths (SigLIP-base text 64 tokens, CLIP-B/32 8 images
    /// = 400 rows, fc2's depth 3072; fewer columns to keep the Float64 loops short), and tails:
    /// rows, depth and columns that are not whole 16 / 32 / 16 blocks.
    @Test(arguments: [(64, 768, 320), (400, 3072, 64), (1, 768, 768), (7, 33, 17), (17, 31, 47), (1, 1, 1),
                      (50, 100, 40), (300, 97, 130), (33, 1537, 400)])
    func matchesFloat64Reference(n: Int, inputs: Int, outputs: Int) throws {
        var random = SeededRandom(state: UInt64(7 * n + 13 * inputs + outputs))
        let x = random.tensor([n, inputs])
        let w = random.tensor([outputs, inputs], scale: 0.05)
        let b = random.tensor([outputs])
        let layer = try Linear(weight: w, bias: b, backend: .amx)
        #expect(layer.amx != nil && layer.packed == nil && layer.weightT.isEmpty)
        let error = worstRelativeError(try layer(x), x: x, w: w, bias: b)
        #expect(error <= Self.bound, "worst error \(error) of Σ|x·w|")
        let noBias = try Linear(weight: w, bias: nil, backend: .amx)
        #expect(worstRelativeError(try noBias(x), x: x, w: w, bias: nil) <= Self.bound)
    }

    /// Activation applied after bias, by each part of a split (rows ≥ 256 split rows, fewer columns).
    @Test(arguments: [(5, 40, 24), (64, 768, 300), (300, 96, 130)])
    func fusesBiasAndActivation(n: Int, inputs: Int, outputs: Int) throws {
        var random = SeededRandom(state: UInt64(n * outputs + 5))
        let x = random.tensor([n, inputs])
        let w = random.tensor([outputs, inputs], scale: 0.1)
        let b = random.tensor([outputs])
        let layer = try Linear(weight: w, bias: b, backend: .amx)
        let expected = Reference.linear(x, weight: w, bias: b)
        for activation in Activation.allCases {
            let want = Reference.activate(expected, activation)
            #expect(maxAbsDifference(try layer(x, activation: activation).scalars, want.scalars) < 1e-4, "\(activation)")
        }
    }

    /// `accumulate` adds product and bias to the residual (split and unsplit), as the other backends.
    @Test(arguments: [(3, 40, 24), (64, 768, 300), (300, 96, 130)])
    func accumulatesIntoTheResidual(n: Int, inputs: Int, outputs: Int) throws {
        var random = SeededRandom(state: UInt64(n + inputs + 3))
        let x = random.tensor([n, inputs])
        let w = random.tensor([outputs, inputs], scale: 0.1)
        let b = random.tensor([outputs])
        let residual = random.tensor([n, outputs], scale: 4)
        for bias in [b, nil] {
            var y = residual
            try Linear(weight: w, bias: bias, backend: .amx).accumulate(x, into: &y)
            let error = worstRelativeError(y, x: x, w: w, bias: bias, residual: residual)
            // The final fp32 addition of the residual (|r| ≤ 4) rounds by up to 2⁻²⁴·8 more.
            #expect(error <= Self.bound + 1e-6, "worst error \(error)")
        }
    }

    /// Same operands, AMX against OpenBLAS's fp32: agreement to within the bf16x3 bound.
    @Test func agreesWithTheFP32Backends() throws {
        var random = SeededRandom(state: 99)
        let x = random.tensor([50, 768])
        let w = random.tensor([768, 768], scale: 0.05)
        let amx = try Linear(weight: w, bias: nil, backend: .amx)(x)
        let fp32 = try Linear(weight: w, bias: nil, backend: .sgemm)(x)
        #expect(maxAbsDifference(amx.scalars, fp32.scalars) < 1e-4)
    }
}

/// Which backend a `Linear` gets; runs everywhere (no AMX needed).
struct LinearBackendTests {
    @Test func neuralAMXZeroTurnsTheTilesOff() {
        #expect(!AMXWeights.enabled(environment: ["NEURAL_AMX": "0"], hardware: {
            Issue.record("hardware asked although AMX is turned off")
            return true
        }))
        #expect(!AMXWeights.enabled(environment: [:], hardware: { false }))
        #expect(AMXWeights.enabled(environment: [:], hardware: { true }))
        #expect(AMXWeights.enabled(environment: ["NEURAL_AMX": "1"], hardware: { true }))
    }

    @Test func fallsBackWhenTheTilesAreOffOrMissing() throws {
        let w = Tensor(zeros: [20, 30])
        // The default follows the process's decision (NEURAL_AMX, CPU).
        let preferred = try Linear(weight: w, bias: nil)
        #expect((preferred.amx != nil) == AMXWeights.isEnabled)
        // Without AMX: OpenBLAS's packed panels where it has them, else sgemm on the transposed weights.
        for backend in [Linear.Backend.packed, .sgemm] {
            let layer = try Linear(weight: w, bias: nil, backend: backend)
            #expect(layer.amx == nil)
            #expect(layer.packed != nil || layer.weightT.count == 20 * 30)
        }
        #expect(try Linear(weight: w, bias: nil, backend: .sgemm).packed == nil)
        // Asking for AMX on a CPU without it gives the next backend down, not an error.
        #expect([.amx, .packed, .sgemm].contains(Linear.Backend.amx.usable))
        if Linear.Backend.amx.usable != .amx {
            #expect(try Linear(weight: w, bias: nil, backend: .amx).amx == nil)
        }
    }
}
