import CNeuralKernels
import Dispatch
import Foundation

/// A weight matrix `W` `[K, M]` (`x · W`, Hugging Face's `[out, in]` transposed) split into bf16 high
/// and low parts and packed once into Intel AMX tile layout, for products on the tile unit
/// (`MatmulAMX.c`).
///
/// Each product is computed as `xh·Wh + xh·Wl + xl·Wh` ("bf16x3") with fp32 accumulation: the
/// operands keep 16 of fp32's 24 significant bits, so an output is within about 2⁻¹⁶·Σ|x·w| of
/// the exact sum (measured: ~1e-6·Σ|x·w| at the encoders' shapes, against ~1.5e-7 for sgemm),
/// while one core does the three bf16 products several times faster than fp32 FMAs. The two
/// bf16 parts take the 4 bytes per weight the fp32 copy took; no fp32 copy is kept.
///
/// Used where `isEnabled`: a CPU with AMX-BF16 whose kernel granted the tile state, unless
/// `NEURAL_AMX=0` (for comparisons; then `Linear` uses `PackedWeights` or `cblas_sgemm`).
struct AMXWeights: Sendable {
    let depth: Int, width: Int  // K, M
    let storage: [UInt16]

    /// Whether this process multiplies on AMX tiles (decided once).
    static let isEnabled = enabled(environment: ProcessInfo.processInfo.environment,
                                   hardware: { nk_amx_available() != 0 })

    /// The decision, apart from the process's state: `NEURAL_AMX=0` turns the tiles off; otherwise
    /// `hardware` (CPU flags + the kernel's permission) decides. It is not asked when turned off.
    static func enabled(environment: [String: String], hardware: () -> Bool) -> Bool {
        environment["NEURAL_AMX"] != "0" && hardware()
    }

    /// From this many multiply-adds on, a product is split across the cores; below, the hand-off
    /// costs more than it saves (the same threshold as the fp32 path's).
    static let splitWork = 1 << 19
    /// From this many rows on, parts split the rows (each packs only its own activations and
    /// reads all weights from the shared L3); below, the columns (the activations are packed once,
    /// before the split, and each core reads only its half of the weights).
    static let rowSplit = 256

    /// Packs `weight` `[M, K]` (row-major, Hugging Face's `[out, in]`).
    init(weight: UnsafePointer<Float>, outputs m: Int, inputs k: Int) {
        depth = k
        width = m
        storage = [UInt16](unsafeUninitializedCapacity: nk_amx_weights_count(k, m)) { buffer, count in
            nk_amx_pack_weights(weight, k, m, buffer.baseAddress!)
            count = buffer.count
        }
    }

    /// `y[N, M] = x[N, K] · W + bias`, then `activation`; with `accumulate` the product and bias are
    /// added to what `y` holds (a residual connection). Split across the cores when large enough.
    func multiply(_ x: UnsafePointer<Float>, rows n: Int, into y: UnsafeMutablePointer<Float>,
                  bias: UnsafePointer<Float>?, activation: Activation?, accumulate: Bool) {
        let (k, m) = (depth, width)
        guard n > 0, m > 0 else { return }
        let rowBlocks = (n + 15) / 16
        // Parts of a column split start on pairs of 16-column blocks, as the 2 x 2 tile kernel steps.
        let columnPairs = (m + 31) / 32
        let byRows = n >= Self.rowSplit
        let parts = n * k * m >= Self.splitWork ? min(Parallel.workers, byRows ? rowBlocks : columnPairs) : 1
        let count = nk_amx_inputs_count(n, k)
        let inputs = UnsafeMutablePointer<UInt16>.allocate(capacity: count)
        defer { inputs.deallocate() }
        if !byRows || parts == 1 { nk_amx_pack_inputs(x, n, k, inputs, 0, rowBlocks) }
        storage.withUnsafeBufferPointer { weights in
            let (xp, wp) = (SendableConstPointer(base: x), SendableConstPointer(base: weights.baseAddress!))
            let (ip, yp) = (SendablePointer(base: inputs), SendablePointer(base: y))
            let bp = bias.map { SendableConstPointer(base: $0) }
            let work: (Int) -> Void = { part in
                if byRows && parts > 1 {
                    // Rows [first, end) of whole 16-row blocks: pack them, multiply them by all columns.
                    let (firstBlock, endBlock) = (part * rowBlocks / parts, (part + 1) * rowBlocks / parts)
                    let (first, end) = (firstBlock * 16, min(n, endBlock * 16))
                    guard end > first else { return }
                    let offset = firstBlock * (count / rowBlocks)  // whole blocks: same layout from there on
                    nk_amx_pack_inputs(xp.base + first * k, end - first, k, ip.base + offset, 0, endBlock - firstBlock)
                    nk_amx_multiply(ip.base + offset, end - first, wp.base, k, m, 0, m, yp.base + first * m,
                                    bp?.base, accumulate ? 1 : 0)
                    if let activation {
                        for row in first..<end { Ops.activate(yp.base + row * m, count: m, activation) }
                    }
                    return
                }
                let first = min(m, part * columnPairs / parts * 32)
                let end = part == parts - 1 ? m : min(m, (part + 1) * columnPairs / parts * 32)
                guard end > first else { return }
                nk_amx_multiply(ip.base, n, wp.base, k, m, first, end, yp.base, bp?.base, accumulate ? 1 : 0)
                if let activation {
                    for row in 0..<n { Ops.activate(yp.base + row * m + first, count: end - first, activation) }
                }
            }
            if parts == 1 {
                work(0)
            } else {
                let box = UncheckedBox(work)
                DispatchQueue.concurrentPerform(iterations: parts) { box.value($0) }
            }
        }
    }
}
