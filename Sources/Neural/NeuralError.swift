/// Everything that can go wrong in the `Neural` module: reading checkpoints and feeding tensors of
/// the wrong shape. Descriptions name the file or tensor at fault so a user can fix the folder.
public enum NeuralError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened or mapped.
    case cannotOpen(path: String, reason: String)
    /// The file is shorter than its header says.
    case truncatedFile(path: String, expectedBytes: Int, actualBytes: Int)
    /// The safetensors header is not valid (bad JSON, bad offsets, bad shapes…).
    case invalidHeader(path: String, reason: String)
    /// The header names a dtype that the safetensors format does not define.
    case unknownDType(path: String, tensor: String, dtype: String)
    /// The dtype is valid but cannot be converted to Float32 by this engine.
    case unsupportedDType(tensor: String, dtype: String)
    /// Two tensors claim overlapping bytes.
    case overlappingTensors(path: String, first: String, second: String)
    /// A sharded checkpoint's index is not valid or points at a missing shard.
    case invalidIndex(path: String, reason: String)
    /// The checkpoint has no tensor with this name.
    case tensorNotFound(name: String)
    /// Strict loading failed: lists every missing, unused and wrongly shaped tensor.
    case checkpointMismatch(missing: [String], unused: [String], wrongShape: [String])
    /// An operation got tensors whose shapes do not fit together.
    case shapeMismatch(String)
    /// A token or position id is outside its embedding table.
    case indexOutOfRange(index: Int, count: Int)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "cannot open \(path): \(reason)"
        case .truncatedFile(let path, let expected, let actual):
            return "\(path) is truncated: its header needs \(expected) bytes but the file has \(actual)"
        case .invalidHeader(let path, let reason):
            return "\(path) has an invalid safetensors header: \(reason)"
        case .unknownDType(let path, let tensor, let dtype):
            return "\(path): tensor '\(tensor)' has unknown dtype '\(dtype)'"
        case .unsupportedDType(let tensor, let dtype):
            return "tensor '\(tensor)' has dtype \(dtype); only F32, F16 and BF16 convert to Float32"
        case .overlappingTensors(let path, let first, let second):
            return "\(path): tensors '\(first)' and '\(second)' overlap"
        case .invalidIndex(let path, let reason):
            return "\(path) is not a valid sharded-checkpoint index: \(reason)"
        case .tensorNotFound(let name):
            return "the checkpoint has no tensor '\(name)'"
        case .checkpointMismatch(let missing, let unused, let wrongShape):
            var parts: [String] = []
            if !missing.isEmpty { parts.append("missing tensors: \(missing.joined(separator: ", "))") }
            if !wrongShape.isEmpty { parts.append("wrongly shaped tensors: \(wrongShape.joined(separator: ", "))") }
            if !unused.isEmpty { parts.append("unused tensors: \(unused.joined(separator: ", "))") }
            return "the checkpoint does not match the model (is it the right architecture?); "
                + parts.joined(separator: "; ")
        case .shapeMismatch(let detail):
            return "shape mismatch: \(detail)"
        case .indexOutOfRange(let index, let count):
            return "index \(index) is outside 0..<\(count)"
        }
    }
}
