import Dispatch

/// Measures what OpenBLAS's sgemm achieves on this machine, the ceiling for every encoder.
/// For benchmarks only.
public enum SgemmProbe {
    /// Median GFLOP/s of `C[M, N] = A[M, K] · B[K, N]` run as `Linear` runs it (OpenBLAS kernels,
    /// split across the cores from 48 rows), over `runs` runs.
    public static func gflops(m: Int, n: Int, k: Int, runs: Int = 7) -> Double {
        BLASRuntime.configure()
        let a = [Float](repeating: 0.5, count: m * k)
        let b = [Float](repeating: 0.25, count: n * k)
        var c = [Float](repeating: 0, count: m * n)
        var times: [Double] = []
        for _ in 0..<(runs + 1) {
            let start = DispatchTime.now().uptimeNanoseconds
            c.withUnsafeMutableBufferPointer { out in
                a.withUnsafeBufferPointer { pa in
                    b.withUnsafeBufferPointer { pb in
                        Linear.multiply(n: m, m: n, k: k, a: pa.baseAddress!, w: pb.baseAddress!, c: out.baseAddress!)
                    }
                }
            }
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let median = times.dropFirst().sorted()[runs / 2]  // the first run warms caches and threads
        return 2 * Double(m) * Double(n) * Double(k) / median / 1e9
    }
}
