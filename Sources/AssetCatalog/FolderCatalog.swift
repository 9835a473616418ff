import Foundation

/// A user's folder of meshes. With an `assets.jsonl` (one JSON object per line, see ``FolderEntry``)
/// its entries are used; without one, every `.glb`, `.gltf` and `.obj` file becomes an asset whose id is
/// its path relative to the folder without the extension. Files stay where they are.
public struct FolderCatalog: Catalog {
    /// The folder (absolute, standardized).
    public let folder: URL

    /// Mesh extensions picked up when there is no `assets.jsonl`.
    public static let meshExtensions: Set<String> = ["glb", "gltf", "obj"]

    public init(folder: URL) throws(CatalogError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw CatalogError(.unreadable, "\(folder.path) is not a folder")
        }
        self.folder = folder.standardizedFileURL
    }

    public var label: String { "folder \(folder.path)" }

    public func materialize(_ asset: Asset) {}

    public func read() throws(CatalogError) -> CatalogContents {
        let manifest = folder.appendingPathComponent("assets.jsonl")
        if FileManager.default.fileExists(atPath: manifest.path) {
            return try readManifest(manifest)
        }
        return scanMeshes()
    }

    func readManifest(_ url: URL) throws(CatalogError) -> CatalogContents {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw CatalogError(.unreadable, "cannot read \(url.path): \(error.localizedDescription)")
        }
        var contents = CatalogContents(assets: [], problems: [])
        var seen = Set<AssetID>()
        let decoder = JSONDecoder()
        for (number, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() {
            let location = "assets.jsonl:\(number + 1)"
            guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }) else { continue }
            do {
                let entry = try decoder.decode(FolderEntry.self, from: Data(line))
                let asset = try entry.asset(root: folder, library: "folder/\(folder.lastPathComponent)")
                if !seen.insert(asset.id).inserted {
                    contents.problems.append(
                        CatalogProblem(location: location, message: "duplicate id \(asset.id)", skipped: true))
                    continue
                }
                if let mesh = asset.files.mesh, asset.files.resolve(mesh) == nil {
                    contents.problems.append(
                        CatalogProblem(location: location, message: "mesh \(mesh) not found", skipped: false))
                }
                contents.assets.append(asset)
            } catch let error as CatalogError {
                contents.problems.append(CatalogProblem(location: location, message: error.message, skipped: true))
            } catch {
                contents.problems.append(
                    CatalogProblem(location: location, message: "invalid JSON: \(error)", skipped: true))
            }
        }
        return contents
    }

    func scanMeshes() -> CatalogContents {
        var contents = CatalogContents(assets: [], problems: [])
        let rootPath = folder.path.hasSuffix("/") ? folder.path : folder.path + "/"
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
            return contents
        }
        var paths: [String] = []
        for case let url as URL in walker where Self.meshExtensions.contains(url.pathExtension.lowercased()) {
            let path = url.standardizedFileURL.path
            guard path.hasPrefix(rootPath) else { continue }
            paths.append(String(path.dropFirst(rootPath.count)))
        }
        for relative in paths.sorted() {
            let id = (relative as NSString).deletingPathExtension
            let stem = (id as NSString).lastPathComponent
            let name = stem.replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ")
            var asset = Asset(
                id: AssetID(id), library: "folder/\(folder.lastPathComponent)", name: name,
                files: AssetFiles(root: folder.path, mesh: relative))
            asset.setCaption(Caption(language: .en, text: name, origin: .catalog(locale: "file name")))
            contents.assets.append(asset)
        }
        return contents
    }
}

/// One line of a folder catalog's `assets.jsonl`. Only `id` is required; paths are relative to the folder.
public struct FolderEntry: Codable, Sendable {
    public var id: String
    public var name: String?
    public var nameZH: String?
    public var captionEN: String?
    public var captionZH: String?
    public var category: String?
    public var categoryZH: String?
    public var tags: [String]?
    public var license: String?
    public var creator: String?
    public var mesh: String?
    public var icon: String?
    public var objaverseID: String?
    public var dimensions: Dimensions?
    public var views: [ViewInfo]?

    enum CodingKeys: String, CodingKey {
        case id, name, category, tags, license, creator, mesh, icon, dimensions, views
        case nameZH = "name_zh"
        case captionEN = "caption_en"
        case captionZH = "caption_cn"
        case categoryZH = "category_zh"
        case objaverseID = "objaverse_id"
    }

    /// Validates the entry and builds the asset.
    public func asset(root: URL, library: String) throws(CatalogError) -> Asset {
        let id = AssetID(id)
        guard id.isWellFormed else { throw CatalogError(.invalidEntry, "invalid id \"\(self.id.prefix(80))\"") }
        for path in [mesh, icon].compactMap({ $0 }) + (views ?? []).map(\.path) where !RelativePath.isSafe(path) {
            throw CatalogError(.invalidEntry, "\(id): path \"\(path)\" leaves the catalog folder")
        }
        let caption = captionEN ?? name ?? self.id
        var asset = Asset(
            id: id, library: library, name: name ?? caption, nameZH: nameZH, category: category,
            categoryZH: categoryZH, tags: tags ?? [], license: license, creator: creator, dimensions: dimensions,
            objaverseID: objaverseID, files: AssetFiles(root: root.path, mesh: mesh, icon: icon), views: views ?? [])
        asset.setCaption(Caption(language: .en, text: caption, origin: .catalog(locale: "en")))
        if let zh = captionZH ?? nameZH, !zh.isEmpty {
            asset.setCaption(Caption(language: .zh, text: zh, origin: .catalog(locale: "zh")))
        }
        return asset
    }
}
