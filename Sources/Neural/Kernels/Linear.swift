import CBLAS
import CNeuralKernels
import Dispatch

/// A fully connected layer whose weights were prepared once at load time. On CPUs with Intel AMX
/// they are split into bf16 high and low parts in tile layout (`AMXWeights`: three bf16 products
/// per fp32 product on the tile unit, near-fp32 accuracy); on other AVX-512 CPUs packed into
/// OpenBLAS's micro-kernel layout (`PackedWeights`: no weight copy per call); elsewhere transposed
/// from Hugging Face's `[out, in]` to `[in, out]`, so that every call is a plain row-major
/// `NoTrans × NoTrans` sgemm. Every path adds the bias and applies an optional activation in the
/// same pass over its part of the output.
public struct Linear: Sendable {
    /// How the products are computed; chosen once, at load.
    enum Backend: Sendable, CaseIterable {
        /// bf16x3 on AMX tiles (`AMXWeights`).
        case amx
        /// OpenBLAS's AVX-512 micro-kernel on weights packed at load (`PackedWeights`).
        case packed
        /// `cblas_sgemm` on the transposed weights (the portable fallback).
        case sgemm

        /// The fastest backend enabled in this process (`NEURAL_AMX=0`, `NEURAL_PACKED_GEMM=0` turn
        /// the first two off).
        static var preferred: Backend {
            AMXWeights.isEnabled ? .amx : PackedGEMM.routines != nil ? .packed : .sgemm
        }

        /// This backend if the CPU can run it, else the next one down (tests ask for each).
        var usable: Backend {
            switch self {
            case .amx where nk_amx_available() != 0: .amx
            case .amx, .packed: PackedGEMM.routines != nil ? .packed : .sgemm
            case .sgemm: .sgemm
            }
        }
    }

    /// Input width, `in`.
    public let inputCount: Int
    /// Output width, `out`.
    public let outputCount: Int
    let weightT: [Float]          // [in, out]; only for `.sgemm`
    let packed: PackedWeights?    // W [in, out] in OpenBLAS's panels
    let amx: AMXWeights?          // W [in, out] as bf16 hi + lo tiles
    let bias: [Float]?            // [out]

    /// Prepares `weight` `[out, in]` and `bias` `[out]`.
    public init(weight: Tensor, bias: Tensor?) throws {
        try self.init(weight: weight, bias: bias, backend: .preferred)
    }

    /// `backend` is used if this CPU can run it, else the next one down (`Backend.usable`).
    init(weight: Tensor, bias: Tensor?, backend: Backend) throws {
        BLASRuntime.configure()
        guard weight.shape.count == 2 else { throw NeuralError.shapeMismatch("linear weight \(weight.shape)") }
        let (out, inputs) = (weight.shape[0], weight.shape[1])
        if let bias, bias.count != out {
            throw NeuralError.shapeMismatch("linear: bias \(bias.shape) for \(out) outputs")
        }
        self.inputCount = inputs
        self.outputCount = out
        self.bias = bias?.scalars
        let backend = backend.usable
        if backend == .amx {
            // Split straight from [out, in]: no fp32 copy at all.
            amx = weight.scalars.withUnsafeBufferPointer { AMXWeights(weight: $0.baseAddress!, outputs: out, inputs: inputs) }
            packed = nil
            weightT = []
            return
        }
        amx = nil
        var transposed = [Float](repeating: 0, count: out * inputs)
        weight.scalars.withUnsafeBufferPointer { w in
            transposed.withUnsafeMutableBufferPointer { t in
                // Blocked transpose: both sides stay in cache.
                let block = 32
                for o0 in stride(from: 0, to: out, by: block) {
                    for i0 in stride(from: 0, to: inputs, by: block) {
                        for o in o0..<min(out, o0 + block) {
                            for i in i0..<min(inputs, i0 + block) { t[i * out + o] = w[o * inputs + i] }
                        }
                    }
                }
            }
        }
        if backend == .packed, let routines = PackedGEMM.routines {
            packed = transposed.withUnsafeBufferPointer {
                PackedWeights(weightT: $0.baseAddress!, depth: inputs, width: out, routines: routines)
            }
            weightT = []
        } else {
            packed = nil
            weightT = transposed
        }
    }

    /// `x · Wᵀ + b`, then `activation` if given. `x`: `[N, in]` → `[N, out]`.
    public func callAsFunction(_ x: Tensor, activation: Activation? = nil) throws -> Tensor {
        guard x.columns == inputCount else {
            throw NeuralError.shapeMismatch("linear: input \(x.shape) for \(inputCount) inputs")
        }
        let (n, k, m) = (x.rows, inputCount, outputCount)
        if let amx, n > 0, m > 0 {
            // Every value is written by one part (bias or zero first), so no zero-fill here.
            let scalars = [Float](unsafeUninitializedCapacity: n * m) { out, count in
                x.scalars.withUnsafeBufferPointer { a in
                    withBias { amx.multiply(a.baseAddress!, rows: n, into: out.baseAddress!, bias: $0, activation: activation,
                                            accumulate: false) }
                }
                count = n * m
            }
            return try Tensor(shape: Array(x.shape.dropLast()) + [m], scalars: scalars)  // [N, out]
        }
        if let packed, let routines = PackedGEMM.routines, n > 0, m > 0 {
            return try multiplyPacked(x, packed: packed, routines: routines, activation: activation)
        }
        var y = Tensor(zeros: Array(x.shape.dropLast()) + [m])  // [N, out]
        guard n > 0, m > 0 else { return y }
        y.scalars.withUnsafeMutableBufferPointer { out in
            x.scalars.withUnsafeBufferPointer { a in
                weightT.withUnsafeBufferPointer { w in
                    Self.multiply(n: n, m: m, k: k, a: a.baseAddress!, w: w.baseAddress!, c: out.baseAddress!)
                }
            }
        }
        if bias != nil || activation != nil { applyBias(&y, activation: activation) }
        return y
    }

    /// `residual += x · Wᵀ + b`, in place: the product is added to the residual stream directly.
    /// `x`: `[N, in]`, `residual`: `[N, out]`.
    public func accumulate(_ x: Tensor, into residual: inout Tensor) throws {
        guard x.columns == inputCount, residual.columns == outputCount, residual.rows == x.rows else {
            throw NeuralError.shapeMismatch("linear: input \(x.shape) into \(residual.shape) for \(inputCount) → \(outputCount)")
        }
        let (n, m) = (x.rows, outputCount)
        guard n > 0, m > 0 else { return }
        if let amx {
            residual.scalars.withUnsafeMutableBufferPointer { out in
                x.scalars.withUnsafeBufferPointer { a in
                    withBias { amx.multiply(a.baseAddress!, rows: n, into: out.baseAddress!, bias: $0, activation: nil,
                                            accumulate: true) }
                }
            }
            return
        }
        if let packed, let routines = PackedGEMM.routines {
            residual.scalars.withUnsafeMutableBufferPointer { out in
                runPacked(x, packed: packed, routines: routines, into: out.baseAddress!, activation: nil, accumulate: true)
            }
            return
        }
        try Ops.add(&residual, try self(x))
    }

    /// From this many multiply-adds on, a packed product is split across the cores (by output
    /// columns); below, the hand-off costs more than it saves.
    static let packedSplitWork = 1 << 19
    /// From this many rows on, parts split the rows rather than the columns: splitting columns
    /// made every part pack all the activations (`sgemm_oncopy` 3.6 % of a SigLIP image batch).
    static let packedRowSplit = 256

    /// `x · W + b` then `activation`, on the packed weights. `x`: `[N, in]` → `[N, out]`.
    private func multiplyPacked(_ x: Tensor, packed: PackedWeights, routines: PackedGEMM.Routines,
                                activation: Activation?) throws -> Tensor {
        let (n, m) = (x.rows, outputCount)
        // Every value is written by one part (bias or zero first), so no zero-fill here.
        let scalars = [Float](unsafeUninitializedCapacity: n * m) { out, count in
            runPacked(x, packed: packed, routines: routines, into: out.baseAddress!, activation: activation,
                      accumulate: false)
            count = n * m
        }
        return try Tensor(shape: Array(x.shape.dropLast()) + [m], scalars: scalars)  // [N, out]
    }

    /// The packed product into `y` `[N, out]` (added to it with `accumulate`), split across the cores.
    private func runPacked(_ x: Tensor, packed: PackedWeights, routines: PackedGEMM.Routines,
                           into y: UnsafeMutablePointer<Float>, activation: Activation?, accumulate: Bool) {
        let (n, m) = (x.rows, outputCount)
        let panels = (m + PackedGEMM.panel - 1) / PackedGEMM.panel
        let byRows = n >= Self.packedRowSplit
        let parts = n * m * inputCount >= Self.packedSplitWork ? min(Parallel.workers, byRows ? n : panels) : 1
        x.scalars.withUnsafeBufferPointer { a in
            (bias ?? []).withUnsafeBufferPointer { b in
                let (ap, yp) = (SendableConstPointer(base: a.baseAddress!), SendablePointer(base: y))
                // (An empty array's buffer may still have a base address.)
                let bp = bias == nil ? nil : b.baseAddress.map { SendableConstPointer(base: $0) }
                let k = inputCount
                let work: (Int) -> Void = { part in
                    if byRows {
                        // Many rows: each part its own rows, so each packs only its own activations.
                        let (first, end) = (part * n / parts, (part + 1) * n / parts)
                        packed.multiply(ap.base + first * k, rows: end - first, into: yp.base + first * m,
                                        columns: 0..<m, bias: bp?.base, activation: activation, accumulate: accumulate,
                                        routines: routines)
                        return
                    }
                    // Few rows: split the columns; parts start on whole 16-column panels.
                    let first = min(m, part * panels / parts * PackedGEMM.panel)
                    let end = part == parts - 1 ? m : min(m, (part + 1) * panels / parts * PackedGEMM.panel)
                    packed.multiply(ap.base, rows: n, into: yp.base, columns: first..<end, bias: bp?.base,
                                    activation: activation, accumulate: accumulate, routines: routines)
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

    /// `C[N, M] = A[N, K] · W[K, M]` with `cblas_sgemm` (the unpacked path; also the sgemm probe).
    /// From this many rows on, the product is split by output columns across the cores (each part
    /// a single-threaded sgemm); below, one sgemm on the calling thread is faster.
    static let splitRows = 48

    static func multiply(n: Int, m: Int, k: Int, a: UnsafePointer<Float>, w: UnsafePointer<Float>,
                         c: UnsafeMutablePointer<Float>) {
        let parts = n >= splitRows ? min(Parallel.workers, max(1, m / 64)) : 1
        if parts <= 1 {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasInt(n), blasInt(m), blasInt(k), 1, a,
                        blasInt(k), w, blasInt(m), 0, c, blasInt(m))
            return
        }
        let (ap, wp, cp) = (SendableConstPointer(base: a), SendableConstPointer(base: w), SendablePointer(base: c))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            // Column ranges on 16-float boundaries keep the AVX-512 kernels on aligned panels.
            let first = (part * m / parts) & ~15
            let end = part == parts - 1 ? m : ((part + 1) * m / parts) & ~15
            guard end > first else { return }
            // [N, K] · [K, first..<end] → C[:, first..<end]
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, blasInt(n), blasInt(end - first), blasInt(k), 1,
                        ap.base, blasInt(k), wp.base + first, blasInt(m), 0, cp.base + first, blasInt(m))
        }
    }

    /// Runs `body` with the bias's address (nil without a bias).
    private func withBias<R>(_ body: (UnsafePointer<Float>?) -> R) -> R {
        guard let bias else { return body(nil) }
        return bias.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    private func applyBias(_ y: inout Tensor, activation: Activation?) {
        let m = outputCount
        let rows = y.rows
        (bias ?? []).withUnsafeBufferPointer { b in
            y.scalars.withUnsafeMutableBufferPointer { out in
                let p = SendablePointer(base: out.baseAddress!)
                let bp = b.baseAddress.map { SendableConstPointer(base: $0) }
                Parallel.forEachChunk(count: rows, costPerItem: m * (activation == nil ? 1 : 24)) { range in
                    for row in range {
                        let v = p.base + row * m
                        if let bp { for i in 0..<m { v[i] += bp.base[i] } }
                        if let activation { Ops.activate(v, count: m, activation) }
                    }
                }
            }
        }
    }
}
