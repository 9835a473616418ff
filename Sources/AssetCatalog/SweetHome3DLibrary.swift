import Foundation
import ZIPFoundation

/// One Sweet Home 3D furniture library (`*.sh3f`): a zip archive with `PluginFurnitureCatalog*.properties`
/// files (default English plus one per locale) and the model folders and icons they reference.
///
/// Asset ids are `sh3d-<file stem>-<N>` with N the `#N` index of the properties file (DESIGN.md).
public struct SweetHome3DLibrary: Sendable {
    /// The archive on disk.
    public let archiveURL: URL
    /// File name without extension, e.g. `Scopia`.
    public let stem: String
    /// Library-level properties (`name`, `license`, `provider`, …) and per-piece `key#N` entries.
    public let properties: JavaProperties
    /// Localized overrides by locale (`zh_CN`, `zh_TW`, `fr`, …).
    public let localized: [String: JavaProperties]

    static let propertiesPrefix = "PluginFurnitureCatalog"

    /// Opens the archive and parses its properties files.
    public init(archiveURL: URL) throws(CatalogError) {
        self.archiveURL = archiveURL
        self.stem = archiveURL.deletingPathExtension().lastPathComponent
        let archive: Archive
        do {
            archive = try Archive(url: archiveURL, accessMode: .read)
        } catch {
            throw CatalogError(.unreadable, "cannot open \(archiveURL.path) as a zip archive: \(error)")
        }
        var main: JavaProperties?
        var localized: [String: JavaProperties] = [:]
        for entry in archive where entry.type == .file {
            let name = entry.path
            guard !name.contains("/"), name.hasPrefix(Self.propertiesPrefix), name.hasSuffix(".properties") else {
                continue
            }
            let data = try Self.read(entry, from: archive, limit: 16 << 20)
            let parsed = try JavaProperties(data: data)
            let middle = name.dropFirst(Self.propertiesPrefix.count).dropLast(".properties".count)
            if middle.isEmpty {
                main = parsed
            } else if middle.hasPrefix("_") {
                localized[String(middle.dropFirst())] = parsed
            }
        }
        guard let main else {
            throw CatalogError(.unreadable, "\(archiveURL.lastPathComponent) has no \(Self.propertiesPrefix).properties")
        }
        self.properties = main
        self.localized = localized
    }

    /// Library display name (`name=` of the default properties), or the file stem.
    public var displayName: String { properties["name"] ?? stem }

    /// The `#N` indices of every piece, ascending.
    public var pieceIndices: [Int] {
        properties.values.keys.compactMap { key -> Int? in
            guard key.hasPrefix("id#") || key.hasPrefix("name#") || key.hasPrefix("model#") else { return nil }
            return key.split(separator: "#").last.flatMap { Int($0) }
        }.reduce(into: Set<Int>()) { $0.insert($1) }.sorted()
    }

    /// Builds the assets of this library. Files are addressed under `filesRoot` (where ``extract(_:to:)``
    /// puts them). Broken entries are skipped and reported, never fatal.
    public func assets(filesRoot: URL) -> (assets: [Asset], problems: [CatalogProblem]) {
        var assets: [Asset] = []
        var problems: [CatalogProblem] = []
        for index in pieceIndices {
            let location = "\(archiveURL.lastPathComponent) #\(index)"
            switch SweetHome3DPiece.make(library: self, index: index, filesRoot: filesRoot) {
            case .success(let piece):
                assets.append(piece.asset)
                problems.append(
                    contentsOf: piece.notes.map { CatalogProblem(location: location, message: $0, skipped: false) })
            case .failure(let error):
                problems.append(CatalogProblem(location: location, message: error.message, skipped: true))
            }
        }
        return (assets, problems)
    }

    /// Extracts the files an asset needs (its model folder for multi-part models, else the model file,
    /// plus the icon) under `filesRoot`. Already extracted files of the same size are kept.
    public func extract(_ asset: Asset, to filesRoot: URL) throws(CatalogError) {
        if let failure = extract([asset], to: filesRoot)[asset.id] { throw failure }
    }

    /// Extracts the files of many assets in one pass over the archive; failures per asset.
    public func extract(_ assets: [Asset], to filesRoot: URL) -> [AssetID: CatalogError] {
        var failures: [AssetID: CatalogError] = [:]
        let archive: Archive
        do {
            archive = try Archive(url: archiveURL, accessMode: .read)
        } catch {
            let failure = CatalogError(.unreadable, "cannot open \(archiveURL.path): \(error)")
            return Dictionary(assets.map { ($0.id, failure) }, uniquingKeysWith: { first, _ in first })
        }
        // Exact paths and folder prefixes each asset needs.
        var exact: [String: [AssetID]] = [:]
        var folders: [(prefix: String, asset: AssetID)] = []
        for asset in assets {
            if let mesh = asset.files.mesh {
                if asset.extra["multiPartModel"] == "true", let slash = mesh.lastIndex(of: "/") {
                    folders.append((String(mesh[...slash]), asset.id))
                } else {
                    exact[mesh, default: []].append(asset.id)
                }
            }
            if let icon = asset.files.icon { exact[icon, default: []].append(asset.id) }
        }
        for entry in archive where entry.type == .file {
            let path = entry.path
            let owners = (exact[path] ?? []) + folders.filter { path.hasPrefix($0.prefix) }.map(\.asset)
            guard !owners.isEmpty, owners.contains(where: { failures[$0] == nil }) else { continue }
            do {
                try extract(entry, from: archive, to: filesRoot)
            } catch {
                for owner in owners { failures[owner] = error }
            }
        }
        return failures
    }

    func extract(_ entry: Entry, from archive: Archive, to filesRoot: URL) throws(CatalogError) {
        let path = entry.path
        guard RelativePath.isSafe(path) else {
            throw CatalogError(.invalidEntry, "\(archiveURL.lastPathComponent): unsafe path \(path)")
        }
        let destination = filesRoot.appendingPathComponent(path)
        let attributes = try? FileManager.default.attributesOfItem(atPath: destination.path)
        if let size = attributes?[.size] as? NSNumber, size.uint64Value == entry.uncompressedSize { return }
        let data = try Self.read(entry, from: archive, limit: 512 << 20)
        do {
            try FileManager.default.createDirectory(
                at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: destination, options: .atomic)
        } catch {
            throw CatalogError(.unreadable, "cannot write \(destination.path): \(error.localizedDescription)")
        }
    }

    /// Reads one entry fully, refusing entries whose declared size exceeds `limit` (zip bombs).
    static func read(_ entry: Entry, from archive: Archive, limit: UInt64) throws(CatalogError) -> Data {
        guard entry.uncompressedSize <= limit else {
            throw CatalogError(.invalidEntry, "\(entry.path) is larger than \(limit) bytes")
        }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                if UInt64(data.count) > limit {
                    throw CatalogError(.invalidEntry, "\(entry.path) inflates beyond \(limit) bytes")
                }
            }
        } catch let error as CatalogError {
            throw error
        } catch {
            throw CatalogError(.unreadable, "cannot read \(entry.path): \(error)")
        }
        return data
    }
}
