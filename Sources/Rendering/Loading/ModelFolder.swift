import Foundation

/// Finds the files a model refers to (material libraries, textures, buffers) inside the model's
/// own folder, and never outside it.
///
/// Catalogs carry paths from the modeller's machine (`C:/Documents and Settings/…/Wood.jpg`,
/// `/home/carlos/…/jacuzzi.jpg`), wrong letter case, or `textures/` prefixes that do not exist.
/// Resolution order: the path as written (relative, no `..`), the same path ignoring case, then
/// the file name alone anywhere under the folder ignoring case, then a file whose name ends the
/// written name after a separator (`Living room rug.jpg` → `rug.jpg`). Absolute paths are only
/// ever used for their file name.
final class ModelFolder {
    /// The folder holding the model file.
    let root: URL
    private let rootPath: String
    private var listingCache: [String: [String]]?
    /// Lower-cased file name and relative path of every listed file, shallowest first.
    private var names: [(name: String, relative: String)] = []
    private static let maxListedFiles = 20_000

    init(root: URL) {
        self.root = root.standardizedFileURL
        let path = self.root.path
        rootPath = path.hasSuffix("/") ? path : path + "/"
    }

    /// How a written path was found.
    enum Match: Equatable {
        /// As written.
        case exact
        /// Under another spelling (case, folder, absolute path reduced to its file name).
        case substitute(String)
    }

    /// The file `written` refers to, and whether it was found as written; nil when absent.
    func resolve(_ written: String) -> (url: URL, match: Match)? {
        let path = written.replacingOccurrences(of: "\\", with: "/").trimmingCharacters(in: .whitespaces)
        guard !path.isEmpty, !path.contains("\0") else { return nil }
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let isAbsolute = path.hasPrefix("/") || (components.first?.hasSuffix(":") ?? false)
        let isSafe = !isAbsolute && !components.contains("..")
        if isSafe {
            let candidate = root.appendingPathComponent(components.joined(separator: "/")).standardizedFileURL
            if isRegularFileInside(candidate) { return (candidate, .exact) }
        }
        let listing = self.listing()
        if isSafe, let relative = listing[components.joined(separator: "/").lowercased()]?.first {
            return (root.appendingPathComponent(relative), .substitute(relative))
        }
        guard let name = components.last?.lowercased() else { return nil }
        if let relative = listing[name]?.first { return (root.appendingPathComponent(relative), .substitute(relative)) }
        // The longest file name that ends the written one right after a space, "_" or "-".
        let candidates = names.filter { entry in
            entry.name.count >= 5 && name.count > entry.name.count && name.hasSuffix(entry.name)
                && [" ", "_", "-"].contains(name.dropLast(entry.name.count).last.map(String.init) ?? "")
        }
        guard let best = candidates.max(by: { $0.name.count < $1.name.count }) else { return nil }
        return (root.appendingPathComponent(best.relative), .substitute(best.relative))
    }

    /// Files directly in the folder whose extension is `ext` (lowercase, no dot), sorted.
    func files(withExtension ext: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { ($0 as NSString).pathExtension.lowercased() == ext }.sorted()
    }

    private func isRegularFileInside(_ url: URL) -> Bool {
        let resolved = url.resolvingSymlinksInPath().path
        let rootResolved = root.resolvingSymlinksInPath().path
        guard resolved.hasPrefix(rootResolved.hasSuffix("/") ? rootResolved : rootResolved + "/") else { return false }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// Lower-cased relative path and lower-cased file name → relative paths, shallowest first.
    private func listing() -> [String: [String]] {
        if let listingCache { return listingCache }
        var map: [String: [String]] = [:]
        var relatives: [String] = []
        if let enumerator = FileManager.default.enumerator(
            at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        {
            for case let url as URL in enumerator {
                guard relatives.count < ModelFolder.maxListedFiles else { break }
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
                let full = url.standardizedFileURL.path
                guard full.hasPrefix(rootPath) else { continue }
                relatives.append(String(full.dropFirst(rootPath.count)))
            }
        }
        relatives.sort { ($0.filter { $0 == "/" }.count, $0) < ($1.filter { $0 == "/" }.count, $1) }
        for relative in relatives {
            map[relative.lowercased(), default: []].append(relative)
            let name = (relative as NSString).lastPathComponent.lowercased()
            if name != relative.lowercased() { map[name, default: []].append(relative) }
            names.append((name, relative))
        }
        listingCache = map
        return map
    }
}
