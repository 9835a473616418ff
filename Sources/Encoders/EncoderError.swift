import Neural
import Tokenizers

/// Everything that can go wrong while loading or running an encoder, or fetching a model.
public enum EncoderError: Error, CustomStringConvertible, Sendable {
    /// A file the model needs is not in its folder.
    case missingFile(folder: String, file: String)
    /// A configuration file could not be parsed.
    case invalidConfiguration(file: String, reason: String)
    /// `config.json` names an architecture this build does not implement.
    case unsupportedModelType(String, supported: [String])
    /// The model folder uses a sentence-transformers feature this build does not implement.
    case unsupportedModule(String)
    /// The checkpoint could not be read or does not fit the architecture.
    case weights(NeuralError)
    /// The tokenizer could not be read.
    case tokenizer(TokenizerError)
    /// No model with this id or path is installed.
    case modelNotFound(String, searched: [String])
    /// Downloading from the Hugging Face Hub failed; `hint` says what to do instead.
    case download(reason: String, hint: String)
    /// A downloaded file does not have the size or checksum the Hub announced.
    case integrity(file: String, reason: String)

    public var description: String {
        switch self {
        case .missingFile(let folder, let file):
            return "\(folder) has no \(file); is it a Hugging Face model folder?"
        case .invalidConfiguration(let file, let reason):
            return "cannot read \(file): \(reason)"
        case .unsupportedModelType(let type, let supported):
            return "model_type '\(type)' is not supported; supported types: \(supported.joined(separator: ", "))"
        case .unsupportedModule(let detail):
            return "unsupported sentence-transformers setup: \(detail)"
        case .weights(let error):
            return "cannot load the weights: \(error)"
        case .tokenizer(let error):
            return "cannot load the tokenizer: \(error)"
        case .modelNotFound(let id, let searched):
            return "no model '\(id)' installed (looked in \(searched.joined(separator: ", ")))"
        case .download(let reason, let hint):
            return "download failed: \(reason). \(hint)"
        case .integrity(let file, let reason):
            return "downloaded file \(file) is corrupt: \(reason)"
        }
    }
}

/// Runs `body`, wrapping the lower modules' errors into `EncoderError`.
func wrapped<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as NeuralError {
        throw EncoderError.weights(error)
    } catch let error as TokenizerError {
        throw EncoderError.tokenizer(error)
    }
}
