/// 4-bit codes: the first, half-size tier of the quantised scan. The same symmetric per-row quantisation with
/// codes c ∈ [−7, 7] stored as unsigned nibbles n = c + 8, so n·q̂ = c·q̂ + 8·Σq̂ and the query's code sum removes
/// the offset. The error terms, and so the bound, take the same form as the int8 tier's, only wider.
extension Int8Quantizer {
    /// Largest 4-bit code magnitude.
    static let nibbleLevels: Float = 7

    /// Bytes per row of 4-bit codes: the dimension rounded up to 128 components (one 64-byte group), two per byte.
    static func nibbleStride(for dimension: Int) -> Int {
        (dimension + 127) / 128 * 64
    }

    /// Writes the 4-bit codes of `vector` to `packed` (`nibbleStride(for:)` bytes, layout of
    /// `a3d_nibble_dot_rows`: byte j of group g holds component 128g + j low and 128g + 64 + j high; padding codes
    /// are 0, i.e. nibble 8) and returns the row's terms.
    static func encodeNibbles(_ vector: UnsafePointer<Float>, dimension: Int, into packed: UnsafeMutablePointer<UInt8>)
        -> RowCode
    {
        let stride = nibbleStride(for: dimension)
        return withUnsafeTemporaryAllocation(of: Int8.self, capacity: 2 * stride) { buffer in
            let codes = buffer.baseAddress!
            let (step, codedNorm, error) = quantize(vector, dimension: dimension, levels: nibbleLevels, into: codes)
            (codes + dimension).initialize(repeating: 0, count: 2 * stride - dimension)
            for group in 0..<stride / 64 {
                let components = codes + group * 128
                for byte in 0..<64 {
                    let low = UInt8(Int(components[byte]) + 8)
                    let high = UInt8(Int(components[64 + byte]) + 8)
                    packed[group * 64 + byte] = low | high << 4
                }
            }
            let allowance = roundingAllowance(dimension: dimension) * (codedNorm + error)
            return RowCode(step: step, errorTerm: roundUp(error + allowance), norm: codedNorm)
        }
    }

    /// c·q̂ from the kernel's n·q̂.
    @inline(__always)
    static func nibbleDot(_ raw: Int32, query: Query) -> Int32 {
        raw &- 8 &* query.codeSum
    }
}
