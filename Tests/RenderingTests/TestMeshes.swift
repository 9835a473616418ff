import Foundation
import ImageCodec
import Testing

@testable import Rendering

/// Small meshes and files built in code, so every fixture's content is visible in the tests.
enum TestMeshes {
    /// Face colours of ``colouredCube()``: +x red, −x cyan, +y green, −y magenta, +z blue, −z yellow.
    static let faceColours: [(normal: SIMD3<Float>, rgb: [UInt8])] = [
        (SIMD3(1, 0, 0), [255, 0, 0]), (SIMD3(-1, 0, 0), [0, 255, 255]),
        (SIMD3(0, 1, 0), [0, 255, 0]), (SIMD3(0, -1, 0), [255, 0, 255]),
        (SIMD3(0, 0, 1), [0, 0, 255]), (SIMD3(0, 0, -1), [255, 255, 0]),
    ]

    /// A unit cube (−0.5…0.5) with one material per face, counter-clockwise seen from outside.
    static func colouredCube() -> Mesh {
        var mesh = Mesh(positions: [], submeshes: [], materials: [])
        for (face, (n, rgb)) in faceColours.enumerated() {
            // Two in-plane axes u, v with u × v = n, so the quad below winds counter-clockwise.
            let u = abs(n.y) > 0 ? SIMD3<Float>(n.y, 0, 0) : SIMD3<Float>(-n.z, 0, n.x)
            let v = SIMD3<Float>(n.y * u.z - n.z * u.y, n.z * u.x - n.x * u.z, n.x * u.y - n.y * u.x)
            let base = UInt32(mesh.positions.count)
            for (su, sv) in [(-1, -1), (1, -1), (1, 1), (-1, 1)] as [(Float, Float)] {
                mesh.positions.append(n * 0.5 + u * (0.5 * su) + v * (0.5 * sv))
                mesh.normals.append(n)
            }
            mesh.submeshes.append(
                Submesh(indices: [base, base + 1, base + 2, base, base + 2, base + 3], material: face))
            let colour = SIMD4<Float>(Float(rgb[0]) / 255, Float(rgb[1]) / 255, Float(rgb[2]) / 255, 1)
            mesh.materials.append(Material(name: "face\(face)", baseColor: colour, doubleSided: false))
        }
        return mesh
    }

    /// RGB(A) at pixel (x, y).
    static func pixel(_ image: Image, _ x: Int, _ y: Int) -> [UInt8] {
        let i = (y * image.width + x) * image.channels
        return Array(image.pixels[i..<i + image.channels])
    }

    /// A fresh temporary folder.
    static func temporaryFolder(_ name: String = #function) throws -> URL {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("rendering-tests-\(safe)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes `text` to `folder/name`.
    @discardableResult
    static func write(_ text: String, _ name: String, in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// A GLB file from a JSON object and a binary chunk (lengths as given, for corrupt variants).
    static func glb(json: [String: Any], binary: [UInt8]) throws -> Data {
        let jsonData = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
        return GLBBufferWriter.container(json: jsonData, binary: binary)
    }

    /// Little-endian bytes of floats.
    static func bytes(_ values: [Float]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }

    /// Little-endian bytes of 16-bit indices.
    static func bytes(_ values: [UInt16]) -> [UInt8] {
        values.withUnsafeBytes { Array($0) }
    }
}
