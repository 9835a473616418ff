import Foundation
import Neural
import Tokenizers

/// Builds encoders from Hugging Face folders, choosing the architecture by `config.json`'s
/// `model_type`.
public enum EncoderRegistry {
    /// Text backbones by `model_type`.
    static let textBackbones: [String: @Sendable (URL) throws -> any TextBackbone] = [
        "bert": { try Bert.load(folder: $0) },
    ]

    /// Every `model_type` this build can load.
    public static var supportedModelTypes: [String] { textBackbones.keys.sorted() }

    /// The `model_type` of the Hugging Face folder.
    public static func modelType(folder: URL) throws -> String {
        struct Header: Decodable {
            var modelType: String?
            enum CodingKeys: String, CodingKey { case modelType = "model_type" }
        }
        let header: Header = try readJSON(folder.appendingPathComponent("config.json"))
        guard let type = header.modelType else {
            throw EncoderError.invalidConfiguration(file: folder.appendingPathComponent("config.json").path,
                                                    reason: "no model_type")
        }
        return type
    }

    /// Loads the text encoder in `folder` (a Hugging Face or sentence-transformers folder).
    ///
    /// - Parameters:
    ///   - folder: holds `config.json`, `model.safetensors` (or shards) and `tokenizer.json`
    ///   - modelID: the id reported by the encoder; defaults to the folder's name
    public static func loadTextEncoder(folder: URL, modelID: String? = nil) throws -> any TextEncoding {
        try loadSentenceEncoder(folder: folder, modelID: modelID)
    }

    /// Same as `loadTextEncoder`, with the concrete type (tokenizer and backbone visible).
    public static func loadSentenceEncoder(folder: URL, modelID: String? = nil) throws -> SentenceEncoder {
        let setup = try SentenceTransformersSetup.read(folder: folder)
        let modelFolder = setup.transformerFolder
        let type = try modelType(folder: modelFolder)
        guard let factory = textBackbones[type] else {
            throw EncoderError.unsupportedModelType(type, supported: supportedModelTypes)
        }
        let tokenizerURL = modelFolder.appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: tokenizerURL.path) else {
            throw EncoderError.missingFile(folder: modelFolder.path, file: "tokenizer.json")
        }
        let tokenizer = try wrapped { try Tokenizer(url: tokenizerURL) }
        let backbone = try factory(modelFolder)
        return SentenceEncoder(modelID: modelID ?? folder.lastPathComponent, tokenizer: tokenizer, backbone: backbone,
                               setup: setup)
    }
}
