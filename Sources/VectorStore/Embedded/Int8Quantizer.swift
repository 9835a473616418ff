/// Symmetric per-vector int8 quantisation for the embedded store's quantised scan, with the exact error terms the
/// scan needs to bound every approximate score (see ``QuantizedScan``).
///
/// A vector x becomes codes c (|c_i| ≤ 127) and one step s with x̂ = s·c. For a query q quantised the same way,
/// x·q = x̂·q̂ + x̂·(q − q̂) + (x − x̂)·q, so |x·q − x̂·q̂| ≤ ‖x̂‖·‖q − q̂‖ + ‖x − x̂‖·‖q‖ (Cauchy–Schwarz); both
/// norms are computed in Double and rounded up.
enum Int8Quantizer {
    /// Components are padded with zero codes to a multiple of this (the AVX-512 kernel reads 64 bytes at a time).
    static let alignment = 64

    /// What the scan keeps per row besides its codes and their sum (12 bytes).
    struct RowCode {
        /// s: x̂ = s·c.
        var step: Float
        /// ‖x − x̂‖ plus the float rounding allowance of a dot product with this row; multiplies ‖q‖.
        var errorTerm: Float
        /// ‖x̂‖ (rounded up); multiplies ‖q − q̂‖.
        var norm: Float
    }

    /// A quantised query.
    struct Query {
        var codes: [Int8]  // [stride]
        var step: Float
        /// ‖q‖ rounded up.
        var norm: Float
        /// ‖q − q̂‖ rounded up.
        var error: Float
        /// Σ codes (removes the offset of the unsigned 4-bit row codes).
        var codeSum: Int32
    }

    static func stride(for dimension: Int) -> Int {
        (dimension + alignment - 1) / alignment * alignment
    }

    /// Relative allowance for float rounding in a dot product of `dimension` terms (sgemv/sdot accumulate in
    /// float: error ≤ n·u·Σ|x_i q_i| ≤ n·u·‖x‖‖q‖) and in the approximate score's conversions.
    static func roundingAllowance(dimension: Int) -> Float {
        Float(dimension + 8) * 0x1p-23
    }

    /// Writes the codes of `vector` (`dimension` components) to `codes` (`stride(for:)` bytes, padding zeroed);
    /// returns the row's terms and Σ c_i (which the VNNI kernel needs to remove its bias).
    static func encode(_ vector: UnsafePointer<Float>, dimension: Int, into codes: UnsafeMutablePointer<Int8>)
        -> (RowCode, sum: Int32)
    {
        let (step, codedNorm, error) = quantize(vector, dimension: dimension, levels: 127, into: codes)
        (codes + dimension).initialize(repeating: 0, count: stride(for: dimension) - dimension)
        var sum: Int32 = 0
        for index in 0..<dimension { sum += Int32(codes[index]) }
        let allowance = roundingAllowance(dimension: dimension) * (codedNorm + error)
        return (RowCode(step: step, errorTerm: roundUp(error + allowance), norm: codedNorm), sum)
    }

    /// Quantises a query the same way.
    static func encode(query: [Float]) -> Query {
        // Zero-padded far enough for both the int8 rows and the 4-bit rows (``nibbleStride(for:)``).
        var codes = [Int8](repeating: 0, count: max(stride(for: query.count), 2 * nibbleStride(for: query.count)))
        let (step, _, error) = query.withUnsafeBufferPointer { source in
            codes.withUnsafeMutableBufferPointer { destination in
                quantize(source.baseAddress!, dimension: query.count, levels: 127, into: destination.baseAddress!)
            }
        }
        let norm = query.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        let sum = codes.reduce(Int32(0)) { $0 + Int32($1) }
        return Query(codes: codes, step: step, norm: roundUp(Float(norm)), error: error, codeSum: sum)
    }

    /// Codes in [−levels, levels] for the `dimension` components (no padding written); returns
    /// (step, ‖x̂‖, ‖x − x̂‖), norms rounded up.
    static func quantize(_ vector: UnsafePointer<Float>, dimension: Int, levels: Float,
                         into codes: UnsafeMutablePointer<Int8>) -> (Float, Float, Float)
    {
        var largest: Float = 0
        for index in 0..<dimension { largest = max(largest, abs(vector[index])) }
        let step = largest / levels
        let inverse = step > 0 ? 1 / step : 0
        var codedSquares = SIMD8<Double>()
        var errorSquares = SIMD8<Double>()
        var index = 0
        // Eight lanes at a time (vector rounding); the tail is the same arithmetic one lane at a time.
        while index < dimension {
            let lanes = min(8, dimension - index)
            var values = SIMD8<Float>()
            for lane in 0..<lanes { values[lane] = vector[index + lane] }
            // Round half to even; |value·inverse| ≤ levels up to rounding, clamped for safety.
            let rounded = (values * inverse).rounded(.toNearestOrEven)
                .clamped(lowerBound: SIMD8(repeating: -levels), upperBound: SIMD8(repeating: levels))
            for lane in 0..<lanes { codes[index + lane] = Int8(rounded[lane]) }
            let decoded = SIMD8<Double>(rounded) * Double(step)
            let error = SIMD8<Double>(values) - decoded
            codedSquares += decoded * decoded
            errorSquares += error * error
            index += lanes
        }
        return (step, roundUp(Float(codedSquares.sum().squareRoot())), roundUp(Float(errorSquares.sum().squareRoot())))
    }

    /// A float no smaller than `value` with margin for the Double → Float conversion.
    static func roundUp(_ value: Float) -> Float {
        value.nextUp * (1 + 0x1p-20)
    }
}
