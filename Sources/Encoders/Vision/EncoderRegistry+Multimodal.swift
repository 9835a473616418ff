import Foundation
import ImageCodec
import Tokenizers

extension EncoderRegistry {
    /// Text-and-image models by `model_type`.
    static let multimodalModels: [String: @Sendable (URL, String) throws -> VisionLanguageEncoder] = [
        "siglip": { try loadSiglip(folder: $0, modelID: $1) },
        "clip": { try loadCLIP(folder: $0, modelID: $1) },
        "chinese_clip": { try loadChineseCLIP(folder: $0, modelID: $1) },
    ]

    /// Every `model_type` `loadMultimodalEncoder` can load.
    public static var supportedMultimodalModelTypes: [String] { multimodalModels.keys.sorted() }

    /// Loads the text-and-image model in `folder` (a Hugging Face folder: `config.json`,
    /// `model.safetensors`, `preprocessor_config.json` and the tokenizer files), choosing the
    /// architecture by `config.json`'s `model_type`.
    ///
    /// - Parameters:
    ///   - folder: the model folder
    ///   - modelID: the id reported by the encoder; defaults to the folder's name
    /// - Throws: `EncoderError.unsupportedModelType` (listing the supported types) for other
    ///   architectures, or the loading error naming the file at fault.
    public static func loadMultimodalEncoder(folder: URL, modelID: String? = nil) throws -> VisionLanguageEncoder {
        let type = try modelType(folder: folder)
        guard let factory = multimodalModels[type] else {
            throw EncoderError.unsupportedModelType(type, supported: supportedMultimodalModelTypes)
        }
        return try factory(folder, modelID ?? folder.lastPathComponent)
    }

    /// SigLIP and fixed-resolution SigLIP 2: SentencePiece (`spiece.model`) or Gemma-style
    /// (`tokenizer.json`) tokens, padded to the text tower's length.
    static func loadSiglip(folder: URL, modelID: String) throws -> VisionLanguageEncoder {
        let (text, vision) = try Siglip.configuration(folder: folder)
        let length = text.maxPositions
        let tokenizer: any TextTokenizing
        let padID: Int
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("spiece.model").path) {
            let sentencePiece = try wrapped { try SiglipTokenizer(folder: folder, maxLength: length) }
            (tokenizer, padID) = (sentencePiece, sentencePiece.padID)
        } else {
            var json = try jsonTokenizer(folder: folder)
            json.truncation = Truncation(maxLength: length)
            json.padding = nil
            let padToken = try tokenizerConfigToken(folder: folder, key: "pad_token")
            guard let id = padToken.flatMap(json.id(of:)) ?? json.padding?.padID else {
                throw EncoderError.invalidConfiguration(
                    file: folder.appendingPathComponent("tokenizer_config.json").path,
                    reason: "no pad_token in the vocabulary; SigLIP pads every text to \(length) tokens")
            }
            (tokenizer, padID) = (json, id)
        }
        let model = try Siglip.load(folder: folder, text: text, vision: vision, padID: padID)
        return try VisionLanguageEncoder(modelID: modelID, modelType: "siglip", tokenizer: tokenizer,
                                         maxLength: length, preprocessor: try preprocessor(folder: folder),
                                         model: model)
    }

    /// CLIP: byte-level BPE from `tokenizer.json` (or, without one, CLIP's merges file
    /// `merges.txt`), truncated to the position table (77), unpadded.
    static func loadCLIP(folder: URL, modelID: String) throws -> VisionLanguageEncoder {
        let (text, _, _) = try CLIP.configuration(folder: folder)
        let length = text.maxPositions
        var tokenizer: Tokenizer
        let merges = folder.appendingPathComponent("merges.txt")
        if !FileManager.default.fileExists(atPath: folder.appendingPathComponent("tokenizer.json").path),
           FileManager.default.fileExists(atPath: merges.path) {
            tokenizer = try wrapped { try CLIPVocabulary.tokenizer(mergesFile: merges, maxLength: length) }
        } else {
            tokenizer = try jsonTokenizer(folder: folder)
        }
        tokenizer.truncation = Truncation(maxLength: length)
        tokenizer.padding = nil
        return try VisionLanguageEncoder(modelID: modelID, modelType: "clip", tokenizer: tokenizer, maxLength: length,
                                         preprocessor: try preprocessor(folder: folder),
                                         model: try CLIP.load(folder: folder))
    }

    /// Chinese-CLIP: BERT WordPiece from `tokenizer.json`, or from `vocab.txt` and
    /// `tokenizer_config.json` as the released checkpoints ship it; truncated to `model_max_length`
    /// (52 in the released processors) within the position table, unpadded.
    static func loadChineseCLIP(folder: URL, modelID: String) throws -> VisionLanguageEncoder {
        let model = try ChineseCLIP.load(folder: folder)
        var tokenizer: Tokenizer
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent("tokenizer.json").path) {
            tokenizer = try jsonTokenizer(folder: folder)
        } else {
            guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("vocab.txt").path) else {
                throw EncoderError.missingFile(folder: folder.path, file: "tokenizer.json or vocab.txt")
            }
            tokenizer = try wrapped { try BertVocabulary.tokenizer(folder: folder) }
        }
        let length = min(tokenizer.truncation?.maxLength ?? model.maxTextPositions, model.maxTextPositions)
        tokenizer.truncation = Truncation(maxLength: length)
        tokenizer.padding = nil
        return try VisionLanguageEncoder(modelID: modelID, modelType: "chinese_clip", tokenizer: tokenizer,
                                         maxLength: length, preprocessor: try preprocessor(folder: folder), model: model)
    }

    /// `tokenizer.json` of `folder`.
    static func jsonTokenizer(folder: URL) throws -> Tokenizer {
        let url = folder.appendingPathComponent("tokenizer.json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw EncoderError.missingFile(folder: folder.path, file: "tokenizer.json")
        }
        return try wrapped { try Tokenizer(url: url) }
    }

    /// A special token's text in `tokenizer_config.json` (plain or `{"content": …}`), if the file has it.
    static func tokenizerConfigToken(folder: URL, key: String) throws -> String? {
        struct AnyToken: Decodable {
            var text: String?
            init(from decoder: any Decoder) throws {
                if let plain = try? decoder.singleValueContainer().decode(String.self) {
                    text = plain
                } else {
                    struct Content: Decodable { var content: String }
                    text = (try? Content(from: decoder))?.content
                }
            }
        }
        let url = folder.appendingPathComponent("tokenizer_config.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let config: [String: AnyToken?] = try readJSON(url)
        return config[key]??.text
    }

    /// The image pipeline of `folder/preprocessor_config.json`; alpha is dropped, as transformers'
    /// `load_image`/`convert_rgb` (PIL's `convert("RGB")`) does.
    static func preprocessor(folder: URL) throws -> ImagePreprocessor {
        let url = folder.appendingPathComponent("preprocessor_config.json")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw EncoderError.missingFile(folder: folder.path, file: "preprocessor_config.json")
        }
        do {
            return try ImagePreprocessor(contentsOf: url)
        } catch let error as ImageCodecError {
            throw EncoderError.invalidConfiguration(file: url.path, reason: "\(error)")
        }
    }
}
