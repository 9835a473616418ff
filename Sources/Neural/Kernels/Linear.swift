import CBLAS
import Dispatch

/// A fully connected layer whose weights were prepared once at load time: transposed from
/// Hugging Face's `[out, in]` to `[in, out]`, so that every call is a plain row-major
/// `NoTrans × NoTrans` sgemm (the only form for which OpenBLAS has copy-free kernels for small
/// problems), with the bias and an optional activation applied in one pass over the output.
public struct Linear: Sendable {
    /// Input width, `in`.
    public let inputCount: Int
    /// Output width, `out`.
    public let outputCount: Int
    let weightT: [Float]  // [in, out]
    let bias: [Float]?    // [out]

    /// Prepares `weight` `[out, in]` and `bias` `[out]`.
    public init(weight: Tensor, bias: Tensor?) throws {
        BLASRuntime.configure()
        guard weight.shape.count == 2 else { throw NeuralError.shapeMismatch("linear weight \(weight.shape)") }
        let (out, inputs) = (weight.shape[0], weight.shape[1])
        if let bias, bias.count != out {
            throw NeuralError.shapeMismatch("linear: bias \(bias.shape) for \(out) outputs")
        }
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
        self.inputCount = inputs
        self.outputCount = out
        self.weightT = transposed
        self.bias = bias?.scalars
    }

    /// `x · Wᵀ + b`, then `activation` if given. `x`: `[N, in]` → `[N, out]`.
    public func callAsFunction(_ x: Tensor, activation: Activation? = nil) throws -> Tensor {
        guard x.columns == inputCount else {
            throw NeuralError.shapeMismatch("linear: input \(x.shape) for \(inputCount) inputs")
        }
        let (n, k, m) = (x.rows, inputCount, outputCount)
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

    /// `C[N, M] = A[N, K] · W[K, M]`.
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
