import Foundation

/// A BERT tokenizer built from a model folder's `vocab.txt` and `tokenizer_config.json`, for
/// checkpoints that ship no `tokenizer.json` (Chinese-CLIP, many Chinese BERTs).
///
/// Assembles the same pipeline that transformers' `BertTokenizerFast` converts a slow
/// `BertTokenizer` into: BERT's normaliser (clean-up, spaces around CJK ideographs, optional lower
/// case and accent stripping), BERT's pre-tokeniser (whitespace and punctuation), WordPiece with
/// `##` continuations, then `[CLS] … [SEP]`.
public enum BertVocabulary {
    /// Reads `vocab.txt` (one token per line, the line number is the id) and the options of
    /// `tokenizer_config.json` when present (`do_lower_case`, `strip_accents`,
    /// `tokenize_chinese_chars`, the special tokens, `model_max_length`).
    ///
    /// - Parameter maxLength: overrides `model_max_length`; nil keeps the file's value (or no limit)
    public static func tokenizer(folder: URL, maxLength: Int? = nil) throws -> Tokenizer {
        let vocabURL = folder.appendingPathComponent("vocab.txt")
        let text: String
        do { text = try String(contentsOf: vocabURL, encoding: .utf8) } catch {
            throw TokenizerError.cannotRead(path: vocabURL.path)
        }
        var config: JSONValue = .object([:])
        let configURL = folder.appendingPathComponent("tokenizer_config.json")
        if FileManager.default.fileExists(atPath: configURL.path) {
            do {
                config = try JSONDecoder().decode(JSONValue.self, from: Data(contentsOf: configURL))
            } catch {
                throw TokenizerError.invalidFile("\(configURL.path) is not JSON")
            }
        }
        func token(_ key: String, _ fallback: String) -> String {
            config[key]?.string ?? config[key]?["content"]?.string ?? fallback
        }
        let lowercase = config["do_lower_case"]?.bool ?? true
        // transformers: strip_accents None follows do_lower_case.
        let stripAccents = config["strip_accents"]?.bool ?? lowercase
        // Limits above a million are transformers' "no limit" sentinel.
        let fileLimit = config["model_max_length"]?.int.flatMap { $0 > 1_000_000 ? nil : $0 }
        return try tokenizer(
            vocabText: text, lowercase: lowercase, stripAccents: stripAccents,
            splitChinese: config["tokenize_chinese_chars"]?.bool ?? true,
            unknown: token("unk_token", "[UNK]"), cls: token("cls_token", "[CLS]"), sep: token("sep_token", "[SEP]"),
            specials: [token("pad_token", "[PAD]"), token("mask_token", "[MASK]")],
            maxLength: maxLength ?? fileLimit)
    }

    /// Builds the tokenizer from the text of a `vocab.txt`.
    public static func tokenizer(vocabText: String, lowercase: Bool = true, stripAccents: Bool? = nil,
                                 splitChinese: Bool = true, unknown: String = "[UNK]", cls: String = "[CLS]",
                                 sep: String = "[SEP]", specials: [String] = ["[PAD]", "[MASK]"],
                                 maxLength: Int? = nil) throws -> Tokenizer {
        var vocabulary: [String: Int] = [:]
        var lines = text(vocabText)
        if lines.last == "" { lines.removeLast() }
        // As transformers' load_vocab: a repeated line takes the later id.
        for (id, line) in lines.enumerated() { vocabulary[line] = id }
        guard let clsID = vocabulary[cls] else { throw TokenizerError.missingToken(cls) }
        guard let sepID = vocabulary[sep] else { throw TokenizerError.missingToken(sep) }
        let model = try WordPiece(vocabulary: vocabulary, unknownToken: unknown)
        let added = ([unknown, cls, sep] + specials).compactMap { name in
            vocabulary[name].map { AddedToken(content: name, id: $0) }
        }
        return Tokenizer(
            normalizer: .bertNormalizer(cleanText: true, handleChineseChars: splitChinese,
                                        stripAccents: stripAccents ?? lowercase, lowercase: lowercase),
            preTokenizer: .bert, model: .wordPiece(model),
            postProcessor: .bertProcessing(cls: Token(id: clsID, text: cls), sep: Token(id: sepID, text: sep)),
            addedTokens: added, truncation: maxLength.map { Truncation(maxLength: $0) })
    }

    /// Lines without their `\n` or `\r\n` ends.
    private static func text(_ text: String) -> [String] {
        // Split on scalars: "\r\n" is one Character, so a Character split would miss it.
        text.components(separatedBy: "\n").map { line in
            line.unicodeScalars.last == "\r" ? String(String.UnicodeScalarView(line.unicodeScalars.dropLast())) : line
        }
    }
}
