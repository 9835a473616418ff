/// The third stage: turns one pre-tokenised word into vocabulary tokens. Cases mirror
/// tokenizer.json's `model.type` strings.
public enum TokenizerModel: Sendable, Equatable {
    /// `WordPiece` (BERT and its descendants).
    case wordPiece(WordPiece)
    /// `BPE` (CLIP's byte-level BPE, Gemma's SentencePiece-style BPE with byte fallback).
    case bpe(BPE)

    /// Reads the `model` object of tokenizer.json.
    public init(json: JSONValue) throws {
        // Old files omit the type of WordPiece models; they are recognised by their prefix field.
        let type = json["type"]?.string ?? (json["continuing_subword_prefix"] != nil ? "WordPiece" : "")
        switch type {
        case "WordPiece": self = .wordPiece(try WordPiece(json: json))
        case "BPE": self = .bpe(try BPE(json: json))
        default:
            // SentencePiece unigram models are read from `spiece.model` (see `SentencePieceModel`).
            throw TokenizerError.unsupportedStage(stage: "model", type: type.isEmpty ? "(none)" : type)
        }
    }

    /// Token → id.
    public var vocabulary: [String: Int] {
        switch self {
        case .wordPiece(let model): return model.vocabulary
        case .bpe(let model): return model.vocabulary
        }
    }

    /// Appends the tokens of one word.
    func tokenize(_ word: [Unicode.Scalar], into tokens: inout [Token]) {
        switch self {
        case .wordPiece(let model): model.tokenize(word, into: &tokens)
        case .bpe(let model): model.tokenize(word, into: &tokens)
        }
    }
}
