import Foundation

/// The two chunks of a binary glTF file, checked against the bytes actually present.
///
/// Every length in the header is compared with the file size before anything is sliced, so a
/// truncated file or one claiming a 2 GB chunk fails with ``RenderingError`` and allocates nothing.
struct GLBContainer {
    /// The JSON chunk.
    var json: Data
    /// The BIN chunk, if any.
    var binary: Data?

    static let magic: UInt32 = 0x4654_6C67  // "glTF"
    static let jsonChunk: UInt32 = 0x4E4F_534A  // "JSON"
    static let binaryChunk: UInt32 = 0x004E_4942  // "BIN\0"

    /// Whether `data` starts with the GLB magic.
    static func isGLB(_ data: Data) -> Bool {
        data.count >= 4 && readUInt32(data, at: 0) == magic
    }

    /// Splits `data` into its chunks.
    init(_ data: Data, fileName: String) throws(RenderingError) {
        guard data.count >= 20 else { throw RenderingError(.malformed, "\(fileName): GLB is truncated") }
        let version = GLBContainer.readUInt32(data, at: 4)
        let declared = Int(GLBContainer.readUInt32(data, at: 8))
        guard version == 2 else {
            throw RenderingError(.unsupportedFeature, "\(fileName): GLB version \(version) (only 2 is supported)")
        }
        guard declared <= data.count else {
            throw RenderingError(.outOfRange, "\(fileName): GLB declares \(declared) bytes but has \(data.count)")
        }
        var offset = 12
        var json: Data?
        var binary: Data?
        while offset + 8 <= declared {
            let length = Int(GLBContainer.readUInt32(data, at: offset))
            let type = GLBContainer.readUInt32(data, at: offset + 4)
            let start = offset + 8
            guard length <= declared - start else {
                throw RenderingError(
                    .outOfRange, "\(fileName): GLB chunk of \(length) bytes runs past the end of the file")
            }
            let chunk = data.subdata(in: data.startIndex + start..<data.startIndex + start + length)
            if type == GLBContainer.jsonChunk, json == nil {
                json = chunk
            } else if type == GLBContainer.binaryChunk, binary == nil {
                binary = chunk
            }
            // Chunks are 4-byte aligned.
            offset = start + ((length + 3) & ~3)
        }
        guard let json else { throw RenderingError(.malformed, "\(fileName): GLB has no JSON chunk") }
        self.json = json
        self.binary = binary
    }

    /// Little-endian UInt32 at `offset` (caller checks bounds).
    static func readUInt32(_ data: Data, at offset: Int) -> UInt32 {
        let i = data.startIndex + offset
        return UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24
    }
}

/// Decodes a `data:` URI's payload (base64 or percent-encoded).
enum DataURI {
    static func decode(_ uri: String) -> Data? {
        guard uri.hasPrefix("data:"), let comma = uri.firstIndex(of: ",") else { return nil }
        let header = uri[uri.index(uri.startIndex, offsetBy: 5)..<comma]
        let payload = String(uri[uri.index(after: comma)...])
        if header.hasSuffix(";base64") {
            return Data(base64Encoded: payload, options: .ignoreUnknownCharacters)
        }
        return payload.removingPercentEncoding.map { Data($0.utf8) }
    }
}
