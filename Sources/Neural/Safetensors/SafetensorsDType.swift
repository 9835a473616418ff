/// Element types defined by the safetensors format.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case bool = "BOOL"
    case u8 = "U8", i8 = "I8", u16 = "U16", i16 = "I16", u32 = "U32", i32 = "I32", u64 = "U64", i64 = "I64"
    case f16 = "F16", bf16 = "BF16", f32 = "F32", f64 = "F64"
    case f8e4m3 = "F8_E4M3", f8e5m2 = "F8_E5M2"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8e4m3, .f8e5m2: return 1
        case .u16, .i16, .f16, .bf16: return 2
        case .u32, .i32, .f32: return 4
        case .u64, .i64, .f64: return 8
        }
    }

    /// Whether `decodeFloats` accepts it.
    public var convertsToFloat32: Bool { self == .f32 || self == .f16 || self == .bf16 }
}

enum FloatConversion {
    /// IEEE 754 binary16 → binary32, exact (subnormals, infinities and NaNs included).
    @inline(__always)
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h & 0x8000) << 16
        let exponent = UInt32(h >> 10) & 0x1F
        var mantissa = UInt32(h & 0x3FF)
        if exponent == 0x1F {  // inf / NaN
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent == 0 {
            if mantissa == 0 { return Float(bitPattern: sign) }
            // Subnormal half: renormalise.
            var e: UInt32 = 113  // 127 - 15 + 1
            while mantissa & 0x400 == 0 {
                mantissa <<= 1
                e -= 1
            }
            mantissa &= 0x3FF
            return Float(bitPattern: sign | (e << 23) | (mantissa << 13))
        }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// bfloat16 → binary32: the top half of the bit pattern.
    @inline(__always)
    static func bfloat16ToFloat(_ b: UInt16) -> Float {
        Float(bitPattern: UInt32(b) << 16)
    }

    /// Decodes `count` little-endian values of `dtype` at `source` (any alignment) into `out`.
    static func decode(_ dtype: SafetensorsDType, from source: UnsafeRawPointer, count: Int,
                       into out: UnsafeMutablePointer<Float>) {
        switch dtype {
        case .f32:
            memcpyFloats(out, source, count)
        case .f16:
            for i in 0..<count {
                out[i] = halfToFloat(UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        case .bf16:
            for i in 0..<count {
                out[i] = bfloat16ToFloat(
                    UInt16(littleEndian: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        default:
            break
        }
    }

    private static func memcpyFloats(_ out: UnsafeMutablePointer<Float>, _ source: UnsafeRawPointer, _ count: Int) {
        UnsafeMutableRawPointer(out).copyMemory(from: source, byteCount: count * 4)
    }
}
