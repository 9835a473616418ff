import Foundation

/// OpenAI CLIP's tokenizer built from its BPE merges file (`bpe_simple_vocab_16e6.txt`, shipped
/// gzipped inside `open_clip_torch`; this reads the unzipped text), assembled into the same
/// pipeline as the `tokenizer.json` that transformers' `CLIPTokenizerFast` writes: NFC, whitespace
/// runs → one space, lower case; CLIP's word split; byte-level characters; BPE with `</w>` word
/// ends; `<|startoftext|> … <|endoftext|>`.
///
/// Ids follow CLIP's own numbering: the 256 byte characters (printable ones first), the same with
/// `</w>`, one id per merge in file order, then the two special tokens — 49,408 for the real file.
public enum CLIPVocabulary {
    /// CLIP's word pattern (without the special tokens, which are matched first).
    public static let wordPattern = #"'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+"#
    /// Start and end tokens.
    public static let startToken = "<|startoftext|>", endToken = "<|endoftext|>"
    /// Number of merges CLIP uses from the file (the rest of its lines are ignored, as OpenAI's code does).
    public static let mergeCount = 49152 - 256 - 2

    /// Reads the merges file and builds the tokenizer, truncating to `maxLength` ids.
    public static func tokenizer(mergesFile url: URL, maxLength: Int = 77) throws -> Tokenizer {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch { throw TokenizerError.cannotRead(path: url.path) }
        return try tokenizer(mergesText: text, maxLength: maxLength)
    }

    /// Builds the tokenizer from the merges file's text (first line: a version header).
    public static func tokenizer(mergesText: String, maxLength: Int = 77) throws -> Tokenizer {
        let lines = mergesText.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().prefix(mergeCount)
        var merges: [(String, String)] = []
        merges.reserveCapacity(lines.count)
        for line in lines where !line.isEmpty {
            let parts = line.split(separator: " ")
            guard parts.count == 2 else { throw TokenizerError.invalidFile("merge line '\(line)' is not two tokens") }
            merges.append((String(parts[0]), String(parts[1])))
        }
        guard !merges.isEmpty else { throw TokenizerError.invalidFile("the CLIP merges file has no merges") }
        // Printable bytes first, then the others, as GPT-2's bytes_to_unicode lists them.
        let printable = (0..<256).filter { (33...126).contains($0) || (161...172).contains($0) || (174...255).contains($0) }
        let order = printable + (0..<256).filter { !printable.contains($0) }
        var vocabulary: [String: Int] = [:]
        var tokens = order.map { String(Character(ByteLevel.alphabet[$0])) }
        tokens += tokens.map { $0 + "</w>" }
        tokens += merges.map { $0.0 + $0.1 }
        tokens += [startToken, endToken]
        for (id, token) in tokens.enumerated() where vocabulary[token] == nil { vocabulary[token] = id }
        let start = tokens.count - 2, end = tokens.count - 1
        let bpe = try BPE(vocabulary: vocabulary, merges: merges, unknownToken: endToken, endOfWordSuffix: "</w>")
        return Tokenizer(
            normalizer: .sequence([.nfc, .replaceRegex(try RegexPattern(#"\s+"#), content: " "), .lowercase]),
            preTokenizer: .sequence([.split(pattern: .regex(try RegexPattern(wordPattern)), behavior: .removed, invert: true),
                                     .byteLevel(addPrefixSpace: false, useRegex: true)]),
            model: .bpe(bpe),
            postProcessor: .robertaProcessing(cls: Token(id: start, text: startToken), sep: Token(id: end, text: endToken)),
            addedTokens: [AddedToken(content: startToken, id: start), AddedToken(content: endToken, id: end)],
            truncation: Truncation(maxLength: maxLength))
    }
}
