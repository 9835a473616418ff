import Foundation
import ImageCodec

/// Writes a ``Mesh`` as one binary glTF 2.0 file (textures embedded), so the web page needs only
/// three.js' GLTFLoader.
///
/// Layout: one scene, one node, one mesh with a primitive per submesh; attributes POSITION,
/// NORMAL, TEXCOORD_0 and COLOR_0 shared by all primitives; 16- or 32-bit indices; textures as
/// their original PNG/JPEG bytes (re-encoded as PNG only when there are none). Colours are
/// converted back to glTF's linear values. Materials are non-metallic and fully rough, which
/// matches the matte look of the rendered views.
public enum GLBExporter {
    /// The GLB bytes of `mesh`. Throws for an empty or invalid mesh, or a texture that cannot be
    /// encoded.
    public static func export(_ mesh: Mesh) throws(RenderingError) -> Data {
        try mesh.validate()
        guard mesh.triangleCount > 0 else { throw RenderingError(.emptyMesh, "nothing to export") }
        var writer = GLBBufferWriter()
        var document = GLTFOutput()

        let count = mesh.positions.count
        let bounds = mesh.positions.reduce(
            (SIMD3<Float>(repeating: .infinity), SIMD3<Float>(repeating: -.infinity))
        ) { (pointwiseMin($0.0, $1), pointwiseMax($0.1, $1)) }
        var attributes: [String: Int] = [:]
        attributes["POSITION"] = document.addAccessor(
            view: writer.append(floats: flatten(mesh.positions), target: 34962),
            componentType: 5126, count: count, type: "VEC3",
            min: [bounds.0.x, bounds.0.y, bounds.0.z], max: [bounds.1.x, bounds.1.y, bounds.1.z])
        if mesh.normals.count == count {
            attributes["NORMAL"] = document.addAccessor(
                view: writer.append(floats: flatten(mesh.normals), target: 34962),
                componentType: 5126, count: count, type: "VEC3")
        }
        if mesh.texcoords.count == count {
            attributes["TEXCOORD_0"] = document.addAccessor(
                view: writer.append(
                    floats: mesh.texcoords.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }, target: 34962),
                componentType: 5126, count: count, type: "VEC2")
        }
        if mesh.colors.count == count {
            let linear = mesh.colors.map { c in
                SIMD4(GLTFMaterials.displayToLinear(SIMD3(c.x, c.y, c.z)), min(1, max(0, c.w)))
            }.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
            attributes["COLOR_0"] = document.addAccessor(
                view: writer.append(floats: linear, target: 34962), componentType: 5126, count: count, type: "VEC4")
        }

        var textureIndex: [Int: Int] = [:]  // material index → glTF texture
        for (m, material) in mesh.materials.enumerated() {
            guard let texture = material.texture else { continue }
            textureIndex[m] = try document.addTexture(texture, into: &writer)
        }
        document.materials = mesh.materials.enumerated().map { m, material in
            GLTFOutput.MaterialOut(material, texture: textureIndex[m])
        }
        var primitives: [GLTFOutput.PrimitiveOut] = []
        for submesh in mesh.submeshes where !submesh.indices.isEmpty {
            let small = count <= Int(UInt16.max)
            let view =
                small
                ? writer.append(uint16: submesh.indices.map { UInt16($0) }, target: 34963)
                : writer.append(uint32: submesh.indices, target: 34963)
            let accessor = document.addAccessor(
                view: view, componentType: small ? 5123 : 5125, count: submesh.indices.count, type: "SCALAR")
            primitives.append(
                GLTFOutput.PrimitiveOut(attributes: attributes, indices: accessor, material: submesh.material))
        }
        document.meshes = [GLTFOutput.MeshOut(primitives: primitives)]
        document.bufferViews = writer.views
        document.buffers = [GLTFOutput.BufferOut(byteLength: writer.bytes.count)]

        let json: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            json = try encoder.encode(document)
        } catch {
            throw RenderingError(.invalidParameter, "glTF JSON could not be encoded")
        }
        return GLBBufferWriter.container(json: json, binary: writer.bytes)
    }
}

/// x, y, z of each vector, packed (SIMD3 is padded to 16 bytes in memory).
private func flatten(_ vectors: [SIMD3<Float>]) -> [Float] {
    var out: [Float] = []
    out.reserveCapacity(vectors.count * 3)
    for v in vectors {
        out.append(v.x)
        out.append(v.y)
        out.append(v.z)
    }
    return out
}

/// The binary chunk being assembled, and its buffer views.
struct GLBBufferWriter {
    var bytes: [UInt8] = []
    var views: [GLTFOutput.BufferViewOut] = []

    /// Appends raw bytes as a new buffer view (4-byte aligned); returns its index.
    mutating func append(raw: [UInt8], target: Int?) -> Int {
        while bytes.count % 4 != 0 { bytes.append(0) }
        views.append(
            GLTFOutput.BufferViewOut(buffer: 0, byteOffset: bytes.count, byteLength: raw.count, target: target))
        bytes += raw
        return views.count - 1
    }

    mutating func append(floats: [Float], target: Int?) -> Int {
        append(raw: floats.withUnsafeBytes { Array($0) }, target: target)
    }

    mutating func append(uint16: [UInt16], target: Int?) -> Int {
        append(raw: uint16.withUnsafeBytes { Array($0) }, target: target)
    }

    mutating func append(uint32: [UInt32], target: Int?) -> Int {
        append(raw: uint32.withUnsafeBytes { Array($0) }, target: target)
    }

    /// A GLB file: 12-byte header, JSON chunk padded with spaces, BIN chunk padded with zeros.
    static func container(json: Data, binary: [UInt8]) -> Data {
        var jsonBytes = [UInt8](json)
        while jsonBytes.count % 4 != 0 { jsonBytes.append(0x20) }
        var bin = binary
        while bin.count % 4 != 0 { bin.append(0) }
        let total = 12 + 8 + jsonBytes.count + (bin.isEmpty ? 0 : 8 + bin.count)
        var out = Data(capacity: total)
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        u32(GLBContainer.magic)
        u32(2)
        u32(UInt32(total))
        u32(UInt32(jsonBytes.count))
        u32(GLBContainer.jsonChunk)
        out.append(contentsOf: jsonBytes)
        if !bin.isEmpty {
            u32(UInt32(bin.count))
            u32(GLBContainer.binaryChunk)
            out.append(contentsOf: bin)
        }
        return out
    }
}
