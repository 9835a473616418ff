import Foundation

/// Loads glTF 2.0 (`.gltf` with external or data-URI buffers, and `.glb`) into one ``Mesh``,
/// with every node's world transform applied.
enum GLTFLoader {
    /// Extensions that change how geometry is stored; without them nothing can be drawn.
    static let geometryExtensions: Set<String> = ["KHR_draco_mesh_compression", "EXT_meshopt_compression"]
    /// Extensions read or safely ignored without a warning.
    static let understoodExtensions: Set<String> = [
        "KHR_materials_pbrSpecularGlossiness", "KHR_mesh_quantization", "EXT_texture_webp", "KHR_materials_unlit",
        "KHR_materials_emissive_strength", "KHR_materials_ior", "KHR_materials_specular", "KHR_lights_punctual",
    ]
    /// Deepest node hierarchy followed (also stops cycles in broken files).
    static let maxDepth = 64

    static func load(data: Data, url: URL) throws(RenderingError) -> (Mesh, [MeshWarning]) {
        let fileName = url.lastPathComponent
        var json = data
        var binary: Data?
        if GLBContainer.isGLB(data) {
            let container = try GLBContainer(data, fileName: fileName)
            json = container.json
            binary = container.binary
        }
        let document: GLTFDocument
        do {
            document = try JSONDecoder().decode(GLTFDocument.self, from: json)
        } catch {
            throw RenderingError(.malformed, "\(fileName): glTF JSON does not parse (\(Self.describe(error)))")
        }
        var warnings: [MeshWarning] = []
        let required = Set(document.extensionsRequired ?? [])
        if let blocking = required.intersection(geometryExtensions).sorted().first {
            throw RenderingError(.unsupportedFeature, "\(fileName): requires \(blocking), which is not supported")
        }
        let unknown = Set(document.extensionsUsed ?? []).union(required).subtracting(understoodExtensions)
        if !unknown.isEmpty {
            warnings.append(
                MeshWarning(.ignoredFeature, "extensions ignored: \(unknown.sorted().joined(separator: ", "))"))
        }
        let folder = ModelFolder(root: url.deletingLastPathComponent())
        let buffers = try loadBuffers(document, binary: binary, folder: folder, fileName: fileName)
        let reader = GLTFAccessorReader(document: document, buffers: buffers, fileName: fileName)
        var materials = GLTFMaterials(document: document, buffers: buffers, folder: folder)
        var builder = GLTFSceneBuilder(document: document, reader: reader, fileName: fileName)

        for (node, depth) in try rootNodes(document, fileName: fileName).map({ ($0, 0) }) {
            try builder.visit(node, parent: .identity, depth: depth, materials: &materials, &warnings)
        }
        if document.nodes == nil, let meshes = document.meshes {
            // A document with meshes but no nodes: show the meshes as they are.
            for index in meshes.indices {
                try builder.addMesh(index, transform: .identity, materials: &materials, &warnings)
            }
        }
        warnings += materials.warnings
        var mesh = builder.mesh
        mesh.materials = materials.converted
        guard mesh.triangleCount > 0 else { throw RenderingError(.emptyMesh, "\(fileName) has no triangles") }
        try mesh.validate()
        return (mesh, warnings)
    }

    /// The default scene's nodes, else the nodes nobody lists as a child.
    private static func rootNodes(_ document: GLTFDocument, fileName: String) throws(RenderingError) -> [Int] {
        let nodeCount = document.nodes?.count ?? 0
        if let scenes = document.scenes, !scenes.isEmpty {
            let index = document.scene ?? 0
            guard scenes.indices.contains(index) else {
                throw RenderingError(.outOfRange, "\(fileName): scene \(index) does not exist")
            }
            return scenes[index].nodes ?? []
        }
        let children = Set((document.nodes ?? []).flatMap { $0.children ?? [] })
        return (0..<nodeCount).filter { !children.contains($0) }
    }

    /// Loads every buffer: the GLB binary chunk, data URIs, or files next to the model.
    private static func loadBuffers(
        _ document: GLTFDocument, binary: Data?, folder: ModelFolder, fileName: String
    ) throws(RenderingError) -> [Data] {
        var result: [Data] = []
        for (index, buffer) in (document.buffers ?? []).enumerated() {
            var bytes: Data
            if let uri = buffer.uri {
                if uri.hasPrefix("data:") {
                    guard let decoded = DataURI.decode(uri) else {
                        throw RenderingError(.malformed, "\(fileName): buffer \(index) has a broken data URI")
                    }
                    bytes = decoded
                } else {
                    let path = uri.removingPercentEncoding ?? uri
                    guard let (url, _) = folder.resolve(path),
                        let read = try? Data(contentsOf: url, options: .mappedIfSafe)
                    else { throw RenderingError(.unreadable, "\(fileName): buffer file '\(path)' not found") }
                    bytes = read
                }
            } else {
                guard index == 0, let binary else {
                    throw RenderingError(.malformed, "\(fileName): buffer \(index) has no data")
                }
                bytes = binary
            }
            guard buffer.byteLength >= 0, buffer.byteLength <= bytes.count else {
                throw RenderingError(
                    .outOfRange, "\(fileName): buffer \(index) claims \(buffer.byteLength) bytes but has \(bytes.count)"
                )
            }
            result.append(bytes)
        }
        return result
    }

    /// A short reason from a JSON decoding error (no file contents).
    static func describe(_ error: any Error) -> String {
        if let decoding = error as? DecodingError {
            switch decoding {
            case .keyNotFound(let key, _): return "missing '\(key.stringValue)'"
            case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
                let path = context.codingPath.map(\.stringValue).joined(separator: ".")
                return path.isEmpty ? "invalid JSON" : "bad value at \(path)"
            @unknown default: return "invalid JSON"
            }
        }
        return "invalid JSON"
    }
}
