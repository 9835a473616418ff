import Foundation

/// A source of assets: reads entries and makes each asset's files available on disk.
public protocol Catalog: Sendable {
    /// Human-readable description, e.g. `Sweet Home 3D (5 libraries)`.
    var label: String { get }
    /// Reads every entry. Broken entries are reported in ``CatalogContents/problems``, never fatal.
    func read() throws(CatalogError) -> CatalogContents
    /// Makes the asset's files exist under ``AssetFiles/root`` (extracting archives when needed).
    func materialize(_ asset: Asset) throws(CatalogError)
    /// The same for many assets at once (archives are read once per call); failures per asset.
    func materialize(_ assets: [Asset]) -> [AssetID: CatalogError]
}

extension Catalog {
    public func materialize(_ assets: [Asset]) -> [AssetID: CatalogError] {
        var failures: [AssetID: CatalogError] = [:]
        for asset in assets {
            do { try materialize(asset) } catch { failures[asset.id] = error }
        }
        return failures
    }
}

/// What a catalog read produced.
public struct CatalogContents: Sendable {
    /// Assets in catalog order.
    public var assets: [Asset]
    /// Skipped entries and repairs.
    public var problems: [CatalogProblem]

    public init(assets: [Asset], problems: [CatalogProblem]) {
        self.assets = assets
        self.problems = problems
    }
}

/// The catalog argument of the CLI: `sh3d`, `sh3d:DIR`, `folder:PATH`.
public enum CatalogSpec: Sendable, Equatable {
    /// Sweet Home 3D libraries (`*.sh3f`) in a folder; Debian's `sweethome3d-furniture` by default.
    case sweetHome3D(URL)
    /// A folder with `assets.jsonl` and meshes, or just meshes.
    case folder(URL)

    /// Where Debian's `sweethome3d-furniture` installs its libraries.
    public static let debianSweetHome3D = URL(fileURLWithPath: "/usr/share/sweethome3d/furniture")

    /// Parses `sh3d`, `sh3d:DIR` or `folder:PATH`.
    public init(parsing text: String) throws(CatalogError) {
        let (kind, rest): (Substring, Substring?) =
            if let colon = text.firstIndex(of: ":") {
                (text[..<colon], text[text.index(after: colon)...])
            } else {
                (Substring(text), nil)
            }
        switch kind {
        case "sh3d":
            self = .sweetHome3D(rest.map { URL(fileURLWithPath: String($0)) } ?? Self.debianSweetHome3D)
        case "folder":
            guard let rest, !rest.isEmpty else {
                throw CatalogError(.unknownCatalog, "folder catalogs need a path: --catalog folder:PATH")
            }
            self = .folder(URL(fileURLWithPath: String(rest)))
        default:
            throw CatalogError(
                .unknownCatalog, "unknown catalog \"\(text)\"; use sh3d, sh3d:DIR or folder:PATH")
        }
    }

    /// Opens the catalog; archives are extracted under `dataDirectory/catalogs`.
    public func open(dataDirectory: URL) throws(CatalogError) -> any Catalog {
        switch self {
        case .sweetHome3D(let folder):
            return try SweetHome3DCatalog(
                folder: folder, extractionRoot: dataDirectory.appendingPathComponent("catalogs/sh3d"))
        case .folder(let folder):
            return try FolderCatalog(folder: folder)
        }
    }
}

/// Every Sweet Home 3D library (`*.sh3f`) of a folder.
public struct SweetHome3DCatalog: Catalog {
    public let libraries: [SweetHome3DLibrary]
    /// Libraries are extracted to `extractionRoot/<file stem>/`.
    public let extractionRoot: URL

    public init(folder: URL, extractionRoot: URL) throws(CatalogError) {
        let files: [URL]
        do {
            files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension.lowercased() == "sh3f" }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
        } catch {
            throw CatalogError(
                .unreadable,
                "cannot list \(folder.path): \(error.localizedDescription) (install Debian's sweethome3d-furniture)")
        }
        guard !files.isEmpty else {
            throw CatalogError(.unreadable, "no .sh3f libraries in \(folder.path) (install sweethome3d-furniture)")
        }
        var libraries: [SweetHome3DLibrary] = []
        for file in files { libraries.append(try SweetHome3DLibrary(archiveURL: file)) }
        self.libraries = libraries
        self.extractionRoot = extractionRoot
    }

    public var label: String { "Sweet Home 3D (\(libraries.count) libraries)" }

    public func read() -> CatalogContents {
        var contents = CatalogContents(assets: [], problems: [])
        for library in libraries {
            let (assets, problems) = library.assets(filesRoot: root(of: library))
            contents.assets += assets
            contents.problems += problems
        }
        return contents
    }

    public func materialize(_ asset: Asset) throws(CatalogError) {
        if let failure = materialize([asset])[asset.id] { throw failure }
    }

    public func materialize(_ assets: [Asset]) -> [AssetID: CatalogError] {
        var failures: [AssetID: CatalogError] = [:]
        var byLibrary: [String: [Asset]] = [:]
        for asset in assets { byLibrary[asset.library, default: []].append(asset) }
        for (name, group) in byLibrary {
            guard let library = libraries.first(where: { "sh3d/\($0.stem)" == name }) else {
                for asset in group { failures[asset.id] = CatalogError(.invalidEntry, "\(asset.id) does not belong to \(label)") }
                continue
            }
            failures.merge(library.extract(group, to: root(of: library))) { first, _ in first }
        }
        return failures
    }

    func root(of library: SweetHome3DLibrary) -> URL {
        extractionRoot.appendingPathComponent(library.stem, isDirectory: true)
    }
}
