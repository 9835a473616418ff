import Foundation

/// Loads OBJ (+MTL), glTF and GLB files into a ``Mesh``.
///
/// Thread-safe: every call works on its own data. A defect the loader can work around becomes a
/// ``MeshWarning``; a file that cannot yield a drawable mesh throws ``RenderingError``.
public enum MeshLoader {
    /// Files larger than this are refused before being read.
    public static let maxFileSize = 1 << 30

    /// The formats this loader reads.
    public enum Format: String, Sendable, CaseIterable {
        /// Wavefront OBJ with MTL material libraries.
        case obj
        /// glTF 2.0 JSON with external or embedded buffers.
        case gltf
        /// Binary glTF 2.0.
        case glb
    }

    /// Loads the mesh at `url`; the format comes from the content (GLB magic, JSON) and otherwise
    /// from the extension. Returns the mesh with normals filled in, and the warnings.
    public static func load(url: URL) throws(RenderingError) -> (Mesh, [MeshWarning]) {
        let name = url.lastPathComponent
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
        guard let size else { throw RenderingError(.unreadable, "\(name) cannot be read") }
        guard size <= maxFileSize else {
            throw RenderingError(.outOfRange, "\(name) is \(size) bytes (limit \(maxFileSize))")
        }
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw RenderingError(.unreadable, "\(name) cannot be read")
        }
        return try load(data: data, url: url)
    }

    /// Loads a mesh from bytes already in memory; `url` locates the files it refers to
    /// (material libraries, textures, buffers) and names it in messages.
    public static func load(data: Data, url: URL) throws(RenderingError) -> (Mesh, [MeshWarning]) {
        switch format(of: data, url: url) {
        case .glb, .gltf: return try GLTFLoader.load(data: data, url: url)
        case .obj: return try OBJLoader.load(data: data, url: url)
        case nil: throw RenderingError(.unsupportedFormat, "\(url.lastPathComponent) is not OBJ, glTF or GLB")
        }
    }

    /// The format of `data`: GLB by its magic, glTF by a leading `{`, OBJ by extension.
    public static func format(of data: Data, url: URL) -> Format? {
        if GLBContainer.isGLB(data) { return .glb }
        let ext = url.pathExtension.lowercased()
        if let first = data.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }), first == 0x7B {
            return .gltf
        }
        switch ext {
        case "obj": return .obj
        case "gltf": return .gltf
        case "glb": return .glb  // not GLB magic: GLTFLoader reports it as malformed JSON
        default: return nil
        }
    }
}
