import Foundation

/// OpenBLAS's own AVX-512 sgemm building blocks, driven by us so that weights are packed once.
///
/// `cblas_sgemm` packs both operands on every call. For a weight matrix that is a full copy of the
/// weights per call: at the few-token batches of a search query it took as long as the
/// multiply-adds themselves (`sgemm_itcopy` 36 % of a MiniLM forward pass against 38 % for
/// `sgemm_kernel`). Here the weights go through OpenBLAS's packing routine once, at load time, in
/// the panel layout its micro-kernel reads; each call only packs the (small) activations and runs
/// the micro-kernel, the same loop nest as OpenBLAS's level-3 driver (`driver/level3/level3.c`,
/// NN case) minus the weight copy. Products are split by output columns across the cores, and
/// each part fills its columns with the bias first and applies the activation last, in the same
/// pass, while its slice of the output is still in cache.
///
/// Only used with the SkylakeX kernels (AVX-512 CPUs), whose symbols Debian's multi-architecture
/// OpenBLAS exports; anywhere else `Linear` keeps calling `cblas_sgemm`. `NEURAL_PACKED_GEMM=0`
/// turns it off (for comparisons).
enum PackedGEMM {
    /// `C[m, n] += alpha · A[m, k] · B[k, n]` (column-major, C with leading dimension `ldc`) on packed panels.
    typealias Kernel = @convention(c) (Int, Int, Int, Float, UnsafeMutablePointer<Float>?,
                                       UnsafeMutablePointer<Float>?, UnsafeMutablePointer<Float>?, Int) -> Int32
    /// Packing routine: `(m, n, source, ld, destination)`.
    typealias Copy = @convention(c) (Int, Int, UnsafeMutablePointer<Float>?, Int, UnsafeMutablePointer<Float>?) -> Int32

    struct Routines: @unchecked Sendable {
        let kernel: Kernel
        /// Packs a column-major weight block (OpenBLAS's `ICOPY` for NN).
        let packWeights: Copy
        /// Packs a column-major activation block (`OCOPY` for NN).
        let packInputs: Copy
    }

    /// The routines, or nil where the fast path does not apply.
    static let routines: Routines? = {
        BLASRuntime.configure()
        guard ProcessInfo.processInfo.environment["NEURAL_PACKED_GEMM"] != "0",
              BLASRuntime.preferredCore(flags: BLASRuntime.cpuFlags()) == "SkylakeX",
              let handle = dlopen(nil, RTLD_NOW),
              let kernel = dlsym(handle, "sgemm_kernel_SKYLAKEX"),
              let itcopy = dlsym(handle, "sgemm_itcopy_SKYLAKEX"),
              let oncopy = dlsym(handle, "sgemm_oncopy_SKYLAKEX")
        else { return nil }
        return Routines(kernel: unsafeBitCast(kernel, to: Kernel.self), packWeights: unsafeBitCast(itcopy, to: Copy.self),
                        packInputs: unsafeBitCast(oncopy, to: Copy.self))
    }()

    /// Depth of one packed block (rows of W per pass) and output columns per micro-kernel call:
    /// a 384 × 256 weight block (384 KiB) stays in L2 while all activations stream past it.
    /// Measured on the Sapphire Rapids machines over the encoders' shapes (best or within 3 %).
    static let depthBlock = 384, columnBlock = 256
    /// The micro-kernel's panel width; parts of a split start on multiples of it.
    static let panel = 16
}

/// A weight matrix `W` `[K, M]` (`x · W`, i.e. Hugging Face's `[out, in]` transposed) in OpenBLAS's
/// packed panel layout: for each block of `depthBlock` rows of W, all M columns as 16-wide panels.
struct PackedWeights: Sendable {
    let depth: Int, width: Int  // K, M
    let storage: [Float]

    /// Packs `weightT` `[K, M]` row-major (= column-major `[M, K]`, OpenBLAS's A).
    init(weightT: UnsafePointer<Float>, depth k: Int, width m: Int, routines: PackedGEMM.Routines) {
        depth = k
        width = m
        // Slack: the packing routines write whole panels of their own widths.
        storage = [Float](unsafeUninitializedCapacity: k * m + 64 * PackedGEMM.panel) { buffer, count in
            var offset = 0
            for start in stride(from: 0, to: k, by: PackedGEMM.depthBlock) {
                let kc = min(PackedGEMM.depthBlock, k - start)
                _ = routines.packWeights(kc, m, UnsafeMutablePointer(mutating: weightT + start * m), m,
                                         buffer.baseAddress! + offset)
                offset += kc * m
            }
            for i in offset..<buffer.count { buffer[i] = 0 }
            count = buffer.count
        }
    }

    /// `y[N, M] = x[N, K] · W` with `bias` added and `activation` applied, over the output columns
    /// `columns` only (a part of a split call). `y` rows have M values. With `accumulate`, the
    /// product and bias are added to what `y` holds (a residual connection, no separate pass).
    func multiply(_ x: UnsafePointer<Float>, rows n: Int, into y: UnsafeMutablePointer<Float>, columns: Range<Int>,
                  bias: UnsafePointer<Float>?, activation: Activation?, accumulate: Bool = false,
                  routines: PackedGEMM.Routines) {
        let (k, m) = (depth, width)
        let width = columns.count
        guard width > 0 else { return }
        // C starts as the bias (or zero, or what it holds); the micro-kernel accumulates into it.
        for row in 0..<n {
            let out = y + row * m + columns.lowerBound
            switch (accumulate, bias) {
            case (false, let bias?): out.update(from: bias + columns.lowerBound, count: width)
            case (false, nil): out.initialize(repeating: 0, count: width)
            case (true, let bias?): for i in 0..<width { out[i] += bias[columns.lowerBound + i] }
            case (true, nil): break
            }
        }
        let kc0 = min(PackedGEMM.depthBlock, k)
        let packed = UnsafeMutableRawPointer.allocate(byteCount: (kc0 * n + 64 * PackedGEMM.panel) * 4, alignment: 64)
            .bindMemory(to: Float.self, capacity: kc0 * n + 64 * PackedGEMM.panel)
        defer { packed.deallocate() }
        storage.withUnsafeBufferPointer { weights in
            var offset = 0
            for start in stride(from: 0, to: k, by: PackedGEMM.depthBlock) {
                let kc = min(PackedGEMM.depthBlock, k - start)
                // x[:, start..<start+kc] as column-major B [kc, N] (leading dimension K)
                _ = routines.packInputs(kc, n, UnsafeMutablePointer(mutating: x + start), k, packed)
                for first in stride(from: columns.lowerBound, to: columns.upperBound, by: PackedGEMM.columnBlock) {
                    let mc = min(PackedGEMM.columnBlock, columns.upperBound - first)
                    // C[first..<first+mc, 0..<N] += Wpanels[first.., kc] · B[kc, N]
                    _ = routines.kernel(mc, n, kc, 1, UnsafeMutablePointer(mutating: weights.baseAddress! + offset + first * kc),
                                        packed, y + first, m)
                }
                offset += kc * m
            }
        }
        if let activation {
            for row in 0..<n { Ops.activate(y + row * m + columns.lowerBound, count: width, activation) }
        }
    }
}
