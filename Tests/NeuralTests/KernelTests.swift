import Foundation
import Testing

@testable import Neural

/// Every fast kernel against its naive Float64 twin in `Reference`.
struct KernelTests {
    @Test(arguments: [(1, 7, 5), (13, 384, 1152), (64, 96, 33)])
    func linearMatchesReference(n: Int, inputs: Int, outputs: Int) throws {
        var random = SeededRandom(state: UInt64(n * 1000 + inputs))
        let x = random.tensor([n, inputs])
        let w = random.tensor([outputs, inputs], scale: 0.1)
        let b = random.tensor([outputs])
        let fast = try Ops.linear(x, weight: w, bias: b)
        let slow = Reference.linear(x, weight: w, bias: b)
        #expect(fast.shape == [n, outputs])
        #expect(maxAbsDifference(fast.scalars, slow.scalars) < 1e-4)
        let noBias = try Ops.linear(x, weight: w, bias: nil)
        #expect(maxAbsDifference(noBias.scalars, Reference.linear(x, weight: w, bias: nil).scalars) < 1e-4)
    }

    @Test func linearRejectsMismatchedShapes() {
        #expect(throws: NeuralError.self) {
            try Ops.linear(Tensor(zeros: [2, 3]), weight: Tensor(zeros: [4, 5]), bias: nil)
        }
    }

    @Test func matmulMatchesLoops() throws {
        var random = SeededRandom(state: 3)
        let a = random.tensor([5, 7])
        let b = random.tensor([7, 4])
        let c = try Ops.matmul(a, b)
        for i in 0..<5 {
            for j in 0..<4 {
                let expected = (0..<7).reduce(Float(0)) { $0 + a.scalars[i * 7 + $1] * b.scalars[$1 * 4 + j] }
                #expect(abs(c.scalars[i * 4 + j] - expected) < 1e-5)
            }
        }
        let bt = try Tensor(shape: [4, 7], scalars: (0..<28).map { b.scalars[($0 % 7) * 4 + $0 / 7] })
        #expect(maxAbsDifference(try Ops.matmul(a, bt, transposeB: true).scalars, c.scalars) < 1e-5)
    }

    @Test func layerNormMatchesReference() throws {
        var random = SeededRandom(state: 5)
        var x = random.tensor([300, 384], scale: 3)
        let residual = random.tensor([300, 384])
        let gamma = random.tensor([384])
        let beta = random.tensor([384])
        var summed = x
        try Ops.add(&summed, residual)
        let expected = Reference.layerNorm(summed, gamma: gamma, beta: beta, eps: 1e-12)
        try Ops.addLayerNorm(&x, residual: residual, gamma: gamma, beta: beta, eps: 1e-12)
        #expect(maxAbsDifference(x.scalars, expected.scalars) < 1e-4)
        try Ops.layerNorm(&summed, gamma: gamma, beta: beta, eps: 1e-12)
        #expect(maxAbsDifference(summed.scalars, expected.scalars) < 1e-4)
    }

    @Test(arguments: Activation.allCases)
    func activationMatchesReference(_ activation: Activation) {
        var random = SeededRandom(state: 7)
        var x = random.tensor([100, 400], scale: 6)  // large enough to run on several cores
        let expected = Reference.activate(x, activation)
        Ops.activate(&x, activation)
        #expect(maxAbsDifference(x.scalars, expected.scalars) < 2e-6)
    }

    @Test func softmaxMatchesReferenceAndSumsToOne() {
        var random = SeededRandom(state: 11)
        var x = random.tensor([50, 77], scale: 30)
        let expected = Reference.softmaxRows(x)
        Ops.softmaxRows(&x)
        #expect(maxAbsDifference(x.scalars, expected.scalars) < 1e-6)
        for row in 0..<50 { #expect(abs(x.row(row).reduce(0, +) - 1) < 1e-5) }
    }

    @Test func l2NormalizeMatchesReference() {
        var random = SeededRandom(state: 13)
        var x = random.tensor([4, 9])
        x.scalars.replaceSubrange(9..<18, with: [Float](repeating: 0, count: 9))  // a zero row stays zero
        let expected = Reference.l2Normalize(x)
        Ops.l2Normalize(&x)
        #expect(maxAbsDifference(x.scalars, expected.scalars) < 1e-6)
        #expect(x.row(1).allSatisfy { $0 == 0 })
    }

    @Test func embeddingGathersRowsAndRejectsBadIds() throws {
        let table = try Tensor(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21])
        #expect(try Ops.embedding(table, ids: [2, 0, 2]).scalars == [20, 21, 0, 1, 20, 21])
        #expect(throws: NeuralError.indexOutOfRange(index: 3, count: 3)) { try Ops.embedding(table, ids: [3]) }
        #expect(throws: NeuralError.self) { try Ops.embedding(table, ids: [-1]) }
    }
}

/// The vectorisable erf and exp against libm's on dense grids, tails included.
struct ErfApproximationTests {
    @Test func expStaysWithinTwoTenMillionthsRelative() {
        var worst: Double = 0
        for i in -870_000...880_000 {
            let x = Float(i) / 10_000
            let exact = exp(Double(x))
            worst = max(worst, abs(Double(Ops.expApproximation(x)) - exact) / exact)
        }
        #expect(worst < 2e-7)
        #expect(Ops.expApproximation(-100) == 0)
        #expect(Ops.expApproximation(100) == .infinity)
        #expect(Ops.expApproximation(0) == 1)
    }

    @Test func staysWithinFourTenMillionthsOfLibm() {
        var worst: Float = 0
        for i in -600_000...600_000 {
            let x = Float(i) / 100_000
            worst = max(worst, abs(Ops.erfApproximation(x) - Float(erf(Double(x)))))
        }
        #expect(worst < 4e-7)
        #expect(Ops.erfApproximation(.greatestFiniteMagnitude) == 1)
        #expect(Ops.erfApproximation(-50) == -1)
        #expect(Ops.erfApproximation(0) == 0)
    }
}

/// The prepared `Linear` layer against the naive loops, with and without a fused activation.
struct LinearLayerTests {
    @Test(arguments: [(1, 8, 3), (14, 384, 1152), (450, 96, 40), (3, 5, 4097), (100, 64, 300), (97, 33, 1537)])
    func matchesReference(n: Int, inputs: Int, outputs: Int) throws {
        var random = SeededRandom(state: UInt64(7 * n + outputs))
        let x = random.tensor([n, inputs])
        let w = random.tensor([outputs, inputs], scale: 0.1)
        let b = random.tensor([outputs])
        let layer = try Linear(weight: w, bias: b)
        let expected = Reference.linear(x, weight: w, bias: b)
        #expect(maxAbsDifference(try layer(x).scalars, expected.scalars) < 1e-4)
        let activated = try layer(x, activation: .gelu)
        #expect(maxAbsDifference(activated.scalars, Reference.activate(expected, .gelu).scalars) < 1e-4)
        let plain = try Linear(weight: w, bias: nil)
        #expect(maxAbsDifference(try plain(x).scalars, Reference.linear(x, weight: w, bias: nil).scalars) < 1e-4)
        #expect(throws: NeuralError.self) { try layer(Tensor(zeros: [2, inputs + 1])) }
    }
}

/// Weights packed once into OpenBLAS's panels (AVX-512 CPUs) against the naive loops and against
/// the `cblas_sgemm` path: several depth blocks, widths that are not multiples of the 16-wide
/// panels, products split across the cores, bias and activation fused per part.
struct PackedLinearTests {
    @Test(arguments: [(1, 1000, 70), (5, 385, 17), (14, 384, 1152), (300, 800, 130), (33, 1537, 400), (2, 3, 1)])
    func matchesReferenceAndCBLAS(n: Int, inputs: Int, outputs: Int) throws {
        var random = SeededRandom(state: UInt64(31 * n + inputs))
        let x = random.tensor([n, inputs])
        let w = random.tensor([outputs, inputs], scale: 0.1)
        let b = random.tensor([outputs])
        let packed = try Linear(weight: w, bias: b, backend: .packed)
        let plain = try Linear(weight: w, bias: b, backend: .sgemm)
        #expect(plain.packed == nil)
        if BLASRuntime.preferredCore(flags: BLASRuntime.cpuFlags()) == "SkylakeX",
           ProcessInfo.processInfo.environment["NEURAL_PACKED_GEMM"] != "0" {
            #expect(packed.packed != nil)  // the fast path is the one under test here
        }
        let expected = Reference.linear(x, weight: w, bias: b)
        for activation in [nil, Activation.geluPytorchTanh, .quickGelu] {
            let want = activation.map { Reference.activate(expected, $0) } ?? expected
            #expect(maxAbsDifference(try packed(x, activation: activation).scalars, want.scalars) < 1e-4)
            #expect(maxAbsDifference(try plain(x, activation: activation).scalars, want.scalars) < 1e-4)
        }
        let noBias = try Linear(weight: w, bias: nil, backend: .packed)
        #expect(maxAbsDifference(try noBias(x).scalars, Reference.linear(x, weight: w, bias: nil).scalars) < 1e-4)
        #expect(try packed(Tensor(zeros: [0, inputs])).shape == [0, outputs])
    }
}

/// OpenBLAS runs the kernels this CPU can run, not its SSE3 fallback.
struct BLASRuntimeTests {
    @Test func choosesKernelsFromCPUFlags() {
        #expect(BLASRuntime.preferredCore(flags: ["avx512f", "avx512dq", "avx512bw", "avx512vl", "avx2", "fma"]) == "SkylakeX")
        #expect(BLASRuntime.preferredCore(flags: ["avx2", "fma", "avx"]) == "Haswell")
        #expect(BLASRuntime.preferredCore(flags: ["sse3"]) == nil)
    }

    @Test func usesFastKernelsWhereTheCPUHasThem() throws {
        BLASRuntime.configure()
        if BLASRuntime.preferredCore(flags: BLASRuntime.cpuFlags()) != nil {
            #expect(BLASRuntime.coreName != "Prescott")
        }
        // Still correct after the switch.
        var random = SeededRandom(state: 99)
        let x = random.tensor([33, 70])
        let w = random.tensor([50, 70])
        #expect(maxAbsDifference(try Ops.linear(x, weight: w, bias: nil).scalars,
                                 Reference.linear(x, weight: w, bias: nil).scalars) < 1e-4)
    }
}
