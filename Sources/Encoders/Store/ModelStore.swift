import Foundation

/// The installed models: Hugging Face folders under one root (`$ASSET3D_DATA_DIR/models`), one per
/// repository id (`<root>/<org>/<name>`). Folders may be copied or linked in by hand or pulled from
/// the Hugging Face Hub.
public struct ModelStore: Sendable {
    /// An installed model.
    public struct InstalledModel: Sendable, Equatable {
        /// Repository id (`org/name`) or folder name.
        public var id: String
        /// Its folder.
        public var folder: URL
        /// Bytes of all its files.
        public var sizeBytes: Int
        /// `model_type` of its config.json, if readable.
        public var modelType: String?
        /// Whether it is a sentence-transformers folder (modules.json).
        public var sentenceTransformers: Bool
    }

    /// Folder that holds the models.
    public let root: URL

    /// A store under `root` (created on first download).
    public init(root: URL) {
        self.root = root
    }

    /// The store of a data directory: `<dataDirectory>/models`.
    public init(dataDirectory: URL) {
        self.init(root: dataDirectory.appendingPathComponent("models"))
    }

    /// Where model `id` lives (whether or not it is installed).
    public func folder(for id: String) -> URL {
        root.appendingPathComponent(id)
    }

    /// A model folder from a path or an installed id.
    public func resolve(_ pathOrID: String) throws -> URL {
        let manager = FileManager.default
        let asPath = URL(fileURLWithPath: pathOrID)
        if manager.fileExists(atPath: asPath.appendingPathComponent("config.json").path) { return asPath }
        if Self.isValidID(pathOrID) {
            let installed = folder(for: pathOrID)
            if manager.fileExists(atPath: installed.appendingPathComponent("config.json").path) { return installed }
        }
        throw EncoderError.modelNotFound(pathOrID, searched: [asPath.path, folder(for: pathOrID).path])
    }

    /// Every installed model, sorted by id.
    public func list() -> [InstalledModel] {
        let manager = FileManager.default
        var models: [InstalledModel] = []
        let top = (try? manager.contentsOfDirectory(atPath: root.path)) ?? []
        for first in top.sorted() where !first.hasPrefix(".") {
            let candidate = root.appendingPathComponent(first)
            if let model = installed(id: first, folder: candidate) {
                models.append(model)
                continue
            }
            for second in ((try? manager.contentsOfDirectory(atPath: candidate.path)) ?? []).sorted()
            where !second.hasPrefix(".") {
                if let model = installed(id: "\(first)/\(second)", folder: candidate.appendingPathComponent(second)) {
                    models.append(model)
                }
            }
        }
        return models
    }

    private func installed(id: String, folder: URL) -> InstalledModel? {
        let manager = FileManager.default
        guard manager.fileExists(atPath: folder.appendingPathComponent("config.json").path) else { return nil }
        let type = try? EncoderRegistry.modelType(folder: folder)
        let sentence = manager.fileExists(atPath: folder.appendingPathComponent("modules.json").path)
        return InstalledModel(id: id, folder: folder, sizeBytes: Self.size(of: folder), modelType: type,
                              sentenceTransformers: sentence)
    }

    /// Total size of the regular files under `folder`, following a link to the folder itself.
    static func size(of folder: URL) -> Int {
        let resolved = folder.resolvingSymlinksInPath()
        guard let walker = FileManager.default.enumerator(at: resolved, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey])
        else { return 0 }
        var total = 0
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
            if values?.isRegularFile == true { total += values?.fileSize ?? 0 }
        }
        return total
    }

    /// `org/name` or `name`: letters, digits, `-`, `_`, `.`; no `..`.
    public static func isValidID(_ id: String) -> Bool {
        let parts = id.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part != "." && part != ".." && !part.hasPrefix(".")
                && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
        }
    }

    /// Whether a repository file is needed to run the model here: configs, tokenizer files and
    /// safetensors weights at the top level or in sentence-transformers module folders (`1_Pooling/`).
    /// Other weight formats (PyTorch, ONNX, TensorFlow…) are skipped.
    public static func isWanted(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        guard let name = parts.last else { return false }
        if parts.count > 2 { return false }
        if parts.count == 2 {
            guard let folder = parts.first, folder.first?.isNumber == true, folder.contains("_") else { return false }
        }
        let wantedExtensions = ["json", "safetensors", "txt", "model"]
        guard let ext = name.split(separator: ".").last.map(String.init), wantedExtensions.contains(ext) else { return false }
        return !name.hasPrefix(".")
    }
}
