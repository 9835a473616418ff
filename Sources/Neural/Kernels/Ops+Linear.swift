import CBLAS

extension Ops {
    /// Fully connected layer with Hugging Face's weight layout: `y = x · Wᵀ + b`.
    ///
    /// - Parameters:
    ///   - x: `[N, in]` (any leading dimensions, flattened to N)
    ///   - weight: `[out, in]`
    ///   - bias: `[out]`, or nil
    /// - Returns: `[N, out]` (leading dimensions of `x` kept)
    public static func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        BLASRuntime.configure()
        guard weight.shape.count == 2, x.columns == weight.shape[1] else {
            throw NeuralError.shapeMismatch("linear: input \(x.shape) against weight \(weight.shape)")
        }
        let (n, k, m) = (x.rows, weight.shape[1], weight.shape[0])
        if let bias, bias.count != m {
            throw NeuralError.shapeMismatch("linear: bias \(bias.shape) for \(m) outputs")
        }
        var outShape = Array(x.shape.dropLast())
        outShape.append(m)
        var y = Tensor(zeros: outShape)  // [N, out]
        guard n > 0, m > 0 else { return y }
        y.scalars.withUnsafeMutableBufferPointer { out in
            if let bias {
                bias.scalars.withUnsafeBufferPointer { b in
                    for row in 0..<n {
                        (out.baseAddress! + row * m).update(from: b.baseAddress!, count: m)
                    }
                }
            }
            x.scalars.withUnsafeBufferPointer { a in
                weight.scalars.withUnsafeBufferPointer { w in
                    // [N, K] · [M, K]ᵀ (+ bias already in C, so beta = 1)
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, blasInt(n), blasInt(m), blasInt(k),
                                1, a.baseAddress, blasInt(k), w.baseAddress, blasInt(k),
                                bias == nil ? 0 : 1, out.baseAddress, blasInt(m))
                }
            }
        }
        return y
    }

    /// Matrix product `a · b` (or `a · bᵀ`): `[M, K] · [K, N] → [M, N]`.
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeB: Bool = false) throws -> Tensor {
        BLASRuntime.configure()
        guard a.shape.count == 2, b.shape.count == 2 else {
            throw NeuralError.shapeMismatch("matmul needs matrices, got \(a.shape) and \(b.shape)")
        }
        let (m, k) = (a.shape[0], a.shape[1])
        let n = transposeB ? b.shape[0] : b.shape[1]
        guard k == (transposeB ? b.shape[1] : b.shape[0]) else {
            throw NeuralError.shapeMismatch("matmul: \(a.shape) · \(b.shape)\(transposeB ? "ᵀ" : "")")
        }
        var c = Tensor(zeros: [m, n])  // [M, N]
        guard m > 0, n > 0, k > 0 else { return c }
        c.scalars.withUnsafeMutableBufferPointer { out in
            a.scalars.withUnsafeBufferPointer { pa in
                b.scalars.withUnsafeBufferPointer { pb in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                                blasInt(m), blasInt(n), blasInt(k), 1, pa.baseAddress, blasInt(k),
                                pb.baseAddress, blasInt(transposeB ? k : n), 0, out.baseAddress, blasInt(n))
                }
            }
        }
        return c
    }
}

/// OpenBLAS takes 32-bit sizes; every size here comes from a tensor shape far below 2³¹.
@inline(__always)
func blasInt(_ value: Int) -> Int32 { Int32(truncatingIfNeeded: value) }
