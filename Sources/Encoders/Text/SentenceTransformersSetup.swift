import Foundation
import Neural
import Tokenizers

/// What a sentence-transformers folder adds to a Hugging Face model: `modules.json` (Transformer →
/// Pooling → Normalize), `1_Pooling/config.json` and the longest input (`sentence_bert_config.json`,
/// or `tokenizer_config.json`'s `model_max_length` in folders written by sentence-transformers 5).
/// A plain Hugging Face folder gets sentence-transformers' own default: mean pooling.
struct SentenceTransformersSetup: Equatable {
    /// Folder with config.json, weights and tokenizer (the Transformer module's path).
    var transformerFolder: URL
    /// How token vectors become one vector.
    var pooling: Ops.Pooling = .mean
    /// Whether the folder ends with a Normalize module (vectors are normalised regardless).
    var normalize = false
    /// `max_seq_length`, if the folder sets one.
    var maxSequenceLength: Int?
    /// sentence-transformers lower-cases the input itself when this is set.
    var lowercaseInput = false

    static func read(folder: URL) throws -> SentenceTransformersSetup {
        var setup = SentenceTransformersSetup(transformerFolder: folder)
        let modulesURL = folder.appendingPathComponent("modules.json")
        if FileManager.default.fileExists(atPath: modulesURL.path) {
            let modules: [Module] = try readJSON(modulesURL)
            for module in modules.sorted(by: { $0.idx < $1.idx }) {
                let kind = module.type.split(separator: ".").last.map(String.init) ?? module.type
                let path = module.path.isEmpty ? folder : folder.appendingPathComponent(module.path)
                switch kind {
                case "Transformer":
                    setup.transformerFolder = path
                case "Pooling":
                    setup.pooling = try poolingMode(path.appendingPathComponent("config.json"))
                case "Normalize":
                    setup.normalize = true
                default:
                    throw EncoderError.unsupportedModule("module '\(module.type)' in modules.json")
                }
            }
        }
        let stConfig = setup.transformerFolder.appendingPathComponent("sentence_bert_config.json")
        if FileManager.default.fileExists(atPath: stConfig.path) {
            let config: SentenceBertConfig = try readJSON(stConfig)
            setup.maxSequenceLength = config.maxSeqLength
            setup.lowercaseInput = config.doLowerCase ?? false
        }
        if setup.maxSequenceLength == nil {
            let tokenizerConfig = setup.transformerFolder.appendingPathComponent("tokenizer_config.json")
            if FileManager.default.fileExists(atPath: tokenizerConfig.path) {
                let config: TokenizerConfig = try readJSON(tokenizerConfig)
                // transformers writes a huge sentinel when a tokenizer has no limit.
                setup.maxSequenceLength = config.modelMaxLength.flatMap { $0 < 1_000_000 ? Int($0) : nil }
            }
        }
        return setup
    }

    private struct Module: Decodable {
        var idx: Int
        var path: String
        var type: String
    }

    private struct SentenceBertConfig: Decodable {
        var maxSeqLength: Int?
        var doLowerCase: Bool?
        enum CodingKeys: String, CodingKey {
            case maxSeqLength = "max_seq_length"
            case doLowerCase = "do_lower_case"
        }
    }

    private struct TokenizerConfig: Decodable {
        var modelMaxLength: Double?
        enum CodingKeys: String, CodingKey { case modelMaxLength = "model_max_length" }
    }

    /// Reads the pooling mode: sentence-transformers 5 writes `"pooling_mode": "mean"`, earlier
    /// versions one Boolean per mode.
    private static func poolingMode(_ url: URL) throws -> Ops.Pooling {
        let config: [String: JSONValue] = try readJSON(url)
        if let mode = config["pooling_mode"]?.string {
            switch mode {
            case "mean": return .mean
            case "cls": return .cls
            case "max": return .max
            case "lasttoken": return .lastToken
            default: throw EncoderError.unsupportedModule("pooling mode '\(mode)'")
            }
        }
        let flags: [(String, Ops.Pooling?)] = [
            ("pooling_mode_mean_tokens", .mean), ("pooling_mode_cls_token", .cls), ("pooling_mode_max_tokens", .max),
            ("pooling_mode_lasttoken", .lastToken), ("pooling_mode_mean_sqrt_len_tokens", nil),
            ("pooling_mode_weightedmean_tokens", nil),
        ]
        let enabled = flags.filter { config[$0.0]?.bool == true }
        guard enabled.count == 1, let mode = enabled[0].1 else {
            throw EncoderError.unsupportedModule(
                "pooling \(enabled.map(\.0).joined(separator: " + ")) in \(url.path); one of mean, cls, max, lasttoken is supported")
        }
        return mode
    }
}
