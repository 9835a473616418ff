import Foundation

/// The weights of one model: a single `model.safetensors` or the shards listed by
/// `model.safetensors.index.json` (`{"weight_map": {tensor: shard file}}`).
public final class Checkpoint: Sendable {
    /// Every tensor name, sorted.
    public let tensorNames: [String]
    private let files: [SafetensorsFile]
    private let fileOfTensor: [String: Int]

    /// Opens the checkpoint in a Hugging Face model folder.
    public convenience init(folder: URL) throws {
        let single = folder.appendingPathComponent("model.safetensors")
        let index = folder.appendingPathComponent("model.safetensors.index.json")
        let manager = FileManager.default
        if manager.fileExists(atPath: single.path) {
            try self.init(files: [single])
        } else if manager.fileExists(atPath: index.path) {
            try self.init(index: index)
        } else {
            throw NeuralError.cannotOpen(path: folder.path,
                                         reason: "no model.safetensors or model.safetensors.index.json in the folder")
        }
    }

    /// Opens a sharded checkpoint from its index file; shards are looked up next to it.
    public convenience init(index: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: index) } catch {
            throw NeuralError.cannotOpen(path: index.path, reason: "cannot read the index")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let weightMap = object["weight_map"] as? [String: String]
        else {
            throw NeuralError.invalidIndex(path: index.path, reason: "expected {\"weight_map\": {tensor: file}}")
        }
        let shardNames = Set(weightMap.values).sorted()
        for name in shardNames where name.contains("/") || name.hasPrefix(".") {
            throw NeuralError.invalidIndex(path: index.path, reason: "shard name '\(name)' leaves the folder")
        }
        let folder = index.deletingLastPathComponent()
        try self.init(files: shardNames.map { folder.appendingPathComponent($0) })
        for (tensor, shard) in weightMap {
            guard let owner = fileOfTensor[tensor], files[owner].path.hasSuffix("/" + shard) else {
                throw NeuralError.invalidIndex(path: index.path, reason: "tensor '\(tensor)' is not in \(shard)")
            }
        }
    }

    /// Opens several safetensors files as one checkpoint; a tensor name may appear only once.
    public init(files urls: [URL]) throws {
        var files: [SafetensorsFile] = []
        var owner: [String: Int] = [:]
        for url in urls {
            let file = try SafetensorsFile(url: url)
            for name in file.tensors.keys {
                if let previous = owner[name] {
                    throw NeuralError.invalidIndex(
                        path: url.path, reason: "tensor '\(name)' also appears in \(files[previous].path)")
                }
                owner[name] = files.count
            }
            files.append(file)
        }
        self.files = files
        self.fileOfTensor = owner
        self.tensorNames = owner.keys.sorted()
    }

    /// Header facts of tensor `name`.
    public func info(_ name: String) -> TensorInfo? {
        fileOfTensor[name].flatMap { files[$0].tensors[name] }
    }

    /// Tensor `name` as Float32.
    public func tensor(named name: String) throws -> Tensor {
        guard let index = fileOfTensor[name] else { throw NeuralError.tensorNotFound(name: name) }
        return try files[index].tensor(named: name)
    }
}
