import Foundation

/// Where an asset's files live: the catalog's folder (read-only to us) and, once rendered, a folder of
/// files the product made (views, thumbnail, GLB). Paths are relative to their folder.
public struct AssetFiles: Sendable, Codable, Hashable {
    /// Absolute folder that confines every catalog file of the asset.
    public var root: String
    /// Mesh file (OBJ, GLB, glTF) relative to `root`.
    public var mesh: String?
    /// Icon or thumbnail image relative to `root`.
    public var icon: String?
    /// Absolute folder of generated files (under the data directory); nil until rendered.
    public var derived: String?
    /// Rendered thumbnail relative to `derived`.
    public var renderedThumbnail: String?
    /// The mesh converted to GLB (for the web viewer) relative to `derived`.
    public var glb: String?

    public init(root: String, mesh: String? = nil, icon: String? = nil, derived: String? = nil,
                renderedThumbnail: String? = nil, glb: String? = nil) {
        self.root = root
        self.mesh = mesh
        self.icon = icon
        self.derived = derived
        self.renderedThumbnail = renderedThumbnail
        self.glb = glb
    }

    /// Resolves a generated file under `derived` with the same confinement rules as ``resolve(_:)``.
    public func resolveDerived(_ relativePath: String) -> URL? {
        guard let derived else { return nil }
        return AssetFiles(root: derived).resolve(relativePath)
    }

    /// The file of a view: rendered views live under `derived`, catalog-provided ones under `root`.
    public func resolve(_ view: ViewInfo) -> URL? {
        view.rendered ? resolveDerived(view.path) : resolve(view.path)
    }

    /// Resolves `relativePath` under `root`, or returns nil when it would leave `root`
    /// (absolute paths, `..` components, symlinks pointing outside) or does not exist.
    public func resolve(_ relativePath: String) -> URL? {
        guard RelativePath.isSafe(relativePath) else { return nil }
        let rootURL = URL(fileURLWithPath: root, isDirectory: true).standardizedFileURL.resolvingSymlinksInPath()
        let candidate = rootURL.appendingPathComponent(relativePath).standardizedFileURL.resolvingSymlinksInPath()
        let rootPath = rootURL.path.hasSuffix("/") ? rootURL.path : rootURL.path + "/"
        guard candidate.path.hasPrefix(rootPath) else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue
        else { return nil }
        return candidate
    }
}

/// Checks on relative paths that come from catalogs or URLs.
public enum RelativePath {
    /// True when `path` is relative, non-empty, and has no `..`, NUL or backslash components.
    public static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0"), !path.contains("\\") else { return false }
        return !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." }
    }
}
