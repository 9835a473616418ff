/// Everything that can go wrong while reading or running a tokenizer.
public enum TokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be read.
    case cannotRead(path: String)
    /// The file is not the JSON this reader expects.
    case invalidFile(String)
    /// A pipeline stage of this `type` is valid in tokenizer.json but not implemented yet.
    case unsupportedStage(stage: String, type: String)
    /// A special token the pipeline needs is not in the vocabulary.
    case missingToken(String)

    public var description: String {
        switch self {
        case .cannotRead(let path): return "cannot read tokenizer file \(path)"
        case .invalidFile(let reason): return "invalid tokenizer file: \(reason)"
        case .unsupportedStage(let stage, let type):
            return "tokenizer \(stage) of type '\(type)' is not supported by this build"
        case .missingToken(let token): return "token '\(token)' is not in the vocabulary"
        }
    }
}
