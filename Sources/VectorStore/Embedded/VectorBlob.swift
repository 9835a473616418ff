import Foundation

/// Vectors as SQLite blobs: little-endian IEEE floats, 4 or 2 bytes per component, nothing else.
enum VectorBlob {
    static func encode(_ vector: [Float], as encoding: EmbeddedStore.VectorEncoding) -> Data {
        switch encoding {
        case .float32:
            return vector.map { $0.bitPattern.littleEndian }.withUnsafeBytes { Data($0) }
        case .float16:
            return vector.map { Float16($0).bitPattern.littleEndian }.withUnsafeBytes { Data($0) }
        }
    }

    /// Decodes a blob of `dimension` components into `destination` (which has room for them).
    static func decode(_ data: Data, as encoding: EmbeddedStore.VectorEncoding, dimension: Int,
                       into destination: UnsafeMutablePointer<Float>) throws {
        let width = encoding == .float32 ? 4 : 2
        guard data.count == dimension * width else {
            throw StoreError(
                .incompatibleData,
                "a stored vector has \(data.count) bytes; \(dimension) \(encoding.rawValue) components need \(dimension * width)")
        }
        data.withUnsafeBytes { raw in
            switch encoding {
            case .float32:
                for index in 0..<dimension {
                    let bits = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
                    destination[index] = Float(bitPattern: bits)
                }
            case .float16:
                for index in 0..<dimension {
                    let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                    destination[index] = Float(Float16(bitPattern: bits))
                }
            }
        }
    }

    static func decode(_ data: Data, as encoding: EmbeddedStore.VectorEncoding, dimension: Int) throws -> [Float] {
        try [Float](unsafeUninitializedCapacity: dimension) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            try decode(data, as: encoding, dimension: dimension, into: base)
            initialized = dimension
        }
    }
}
