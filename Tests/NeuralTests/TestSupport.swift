import Foundation
import Neural

/// Deterministic pseudo-random values (SplitMix64) so failures reproduce.
struct SeededRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [-scale, scale).
    mutating func float(_ scale: Float = 1) -> Float {
        (Float(next() >> 40) / Float(1 << 24) * 2 - 1) * scale
    }

    mutating func tensor(_ shape: [Int], scale: Float = 1) -> Tensor {
        var t = Tensor(zeros: shape)
        for i in 0..<t.count { t.scalars[i] = float(scale) }
        return t
    }
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Writes a safetensors file: header JSON given as raw text, followed by `data`.
func writeSafetensors(header: String, data: [UInt8], to url: URL, declaredLength: UInt64? = nil) throws {
    let headerBytes = Array(header.utf8)
    var bytes: [UInt8] = []
    var length = (declaredLength ?? UInt64(headerBytes.count)).littleEndian
    withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
    bytes += headerBytes
    bytes += data
    try Data(bytes).write(to: url)
}

/// Float32 values as little-endian bytes.
func bytes(of values: [Float]) -> [UInt8] {
    values.flatMap { value -> [UInt8] in
        let bits = value.bitPattern.littleEndian
        return [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)]
    }
}

/// A fresh temporary folder.
func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("neural-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
