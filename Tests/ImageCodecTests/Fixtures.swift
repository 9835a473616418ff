import Foundation
import ImageCodec

/// The fixtures made by `scripts/fixtures/images.py` from Pillow and transformers
/// (see that script for what each case holds).
struct Fixtures: Sendable {
    /// One expected array inside `expected.bin`.
    struct ArrayRef: Decodable, Sendable {
        let offset: Int
        let count: Int
        let dtype: String
        let shape: [Int]
    }

    struct DecodeCase: Decodable, Sendable {
        let file: String
        let pilMode: String
        let width: Int
        let height: Int
        let channels: Int
        let tolerance: Int
        let pixels: ArrayRef
    }

    struct HostileCase: Decodable, Sendable {
        let file: String
        let error: String
    }

    struct ConvertCase: Decodable, Sendable {
        let image: String
        /// transformers' `convert_to_rgb` (Pillow's `convert("RGB")`).
        let rgb: ArrayRef
        /// Pillow's `alpha_composite` over opaque white, then RGB.
        let overWhite: ArrayRef
    }

    struct ResizeCase: Decodable, Sendable {
        let source: String
        let mode: String
        let filter: Int
        let width: Int
        let height: Int
        let pixels: ArrayRef
    }

    struct PreprocessCase: Decodable, Sendable {
        let config: String
        let image: String
        let values: ArrayRef
    }

    struct Manifest: Decodable, Sendable {
        let decode: [DecodeCase]
        let hostile: [HostileCase]
        let convert: [ConvertCase]
        let resize: [ResizeCase]
        let preprocess: [PreprocessCase]
    }

    let root: URL
    let manifest: Manifest
    let expected: Data

    static func load() throws -> Fixtures {
        guard let root = Bundle.module.url(forResource: "Resources", withExtension: nil) else {
            throw CocoaError(.fileNoSuchFile)
        }
        let manifest = try JSONDecoder().decode(
            Manifest.self, from: Data(contentsOf: root.appendingPathComponent("manifest.json")))
        let expected = try Data(contentsOf: root.appendingPathComponent("expected.bin"))
        return Fixtures(root: root, manifest: manifest, expected: expected)
    }

    func data(_ path: String) throws -> Data {
        try Data(contentsOf: root.appendingPathComponent(path))
    }

    func bytes(_ ref: ArrayRef) -> [UInt8] {
        precondition(ref.dtype == "u8")
        return [UInt8](expected[ref.offset..<(ref.offset + ref.count)])
    }

    func floats(_ ref: ArrayRef) -> [Float] {
        precondition(ref.dtype == "f32")
        let raw = expected[ref.offset..<(ref.offset + ref.count * 4)]
        return raw.withUnsafeBytes { buffer in
            (0..<ref.count).map {
                Float(bitPattern: UInt32(littleEndian: buffer.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
    }
}

/// Largest absolute difference between two sample arrays of equal length (Int.max when they differ in length).
func maxDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
    guard a.count == b.count else { return Int.max }
    var worst = 0
    for i in a.indices { worst = max(worst, abs(Int(a[i]) - Int(b[i]))) }
    return worst
}
