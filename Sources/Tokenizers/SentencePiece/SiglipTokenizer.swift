import Foundation

/// SigLIP's tokenizer as transformers 4.57.1's (slow, SentencePiece-based) `SiglipTokenizer` runs
/// it, step by step:
/// 1. `▁` + the text (with `▁` in it turned into spaces); lower-cased except special tokens;
/// 2. split at special tokens (`</s>`, `<unk>`), which swallow the whitespace around them;
/// 3. every other stretch: ASCII punctuation removed, whitespace runs collapsed to one space,
///    trimmed, then encoded by SentencePiece (without its dummy prefix) behind `<unk>`, whose own
///    pieces are dropped again (the library's trick to keep a leading `▁`);
/// 4. truncated to `maxLength − 1` ids, then `</s>` appended unless already last.
public struct SiglipTokenizer: TextTokenizing {
    /// A token the tokenizer matches before SentencePiece runs.
    public struct SpecialToken: Sendable, Equatable {
        /// Its text.
        public var content: String
        /// Its id.
        public var id: Int
        /// Swallows whitespace on its left / right.
        public var lstrip: Bool, rstrip: Bool
    }

    /// The SentencePiece model, with `add_dummy_prefix` switched off as transformers does.
    public let sentencePiece: SentencePieceEncoder
    /// Lower-case the text first (`do_lower_case`).
    public let lowercase: Bool
    /// Tokens matched as a whole, in the order transformers lists them.
    public let specialTokens: [SpecialToken]
    /// The end-of-sequence id, appended to every encoding.
    public let eosID: Int
    /// The padding token's id.
    public let padID: Int
    /// Longest encoding, `</s>` included (nil: no limit).
    public var maxLength: Int?
    private let unknownText: String
    private let unknownPieceCount: Int

    /// - Parameters:
    ///   - model: the parsed `spiece.model`
    ///   - lowercase: `do_lower_case`
    ///   - eos, unk, pad: the special tokens' texts (SigLIP: `</s>`, `<unk>`, `</s>`)
    ///   - stripAround: per special token text, whether it swallows whitespace left and right
    public init(model: SentencePieceModel, lowercase: Bool = true, eos: String = "</s>", unk: String = "<unk>",
                pad: String = "</s>", additionalSpecialTokens: [String] = [],
                stripAround: [String: (lstrip: Bool, rstrip: Bool)] = [:], maxLength: Int? = 64) throws {
        var model = model
        model.addDummyPrefix = false
        let encoder = try SentencePieceEncoder(model: model)
        sentencePiece = encoder
        self.lowercase = lowercase
        var specials: [SpecialToken] = []
        for text in [eos, unk, pad] + additionalSpecialTokens where !specials.contains(where: { $0.content == text }) {
            guard let id = model.pieces.firstIndex(where: { $0.text == text }) else { throw TokenizerError.missingToken(text) }
            let strip = stripAround[text] ?? (true, true)
            specials.append(SpecialToken(content: text, id: id, lstrip: strip.lstrip, rstrip: strip.rstrip))
        }
        specialTokens = specials
        eosID = encoder.id(of: eos)
        padID = encoder.id(of: pad)
        unknownText = unk
        unknownPieceCount = encoder.encode(unk).count
        self.maxLength = maxLength
    }

    /// Reads `spiece.model` and `tokenizer_config.json` (special tokens, `do_lower_case`, the
    /// whitespace flags of `added_tokens_decoder`) from a model folder.
    public init(folder: URL, maxLength: Int? = 64) throws {
        let model = try SentencePieceModel(contentsOf: folder.appendingPathComponent("spiece.model"))
        let configURL = folder.appendingPathComponent("tokenizer_config.json")
        var config: JSONValue = .object([:])
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
        var strip: [String: (lstrip: Bool, rstrip: Bool)] = [:]
        for (_, entry) in config["added_tokens_decoder"]?.object ?? [:] {
            if let content = entry["content"]?.string {
                strip[content] = (entry["lstrip"]?.bool ?? false, entry["rstrip"]?.bool ?? false)
            }
        }
        let additional = (config["additional_special_tokens"]?.array ?? []).compactMap { $0.string ?? $0["content"]?.string }
        try self.init(model: model, lowercase: config["do_lower_case"]?.bool ?? true, eos: token("eos_token", "</s>"),
                      unk: token("unk_token", "<unk>"), pad: token("pad_token", "</s>"),
                      additionalSpecialTokens: additional, stripAround: strip, maxLength: maxLength)
    }

    /// Piece → id.
    public var vocabulary: [String: Int] {
        var vocabulary: [String: Int] = [:]
        for (id, piece) in sentencePiece.model.pieces.enumerated() where vocabulary[piece.text] == nil {
            vocabulary[piece.text] = id
        }
        return vocabulary
    }

    /// The id of a piece or special token.
    public func id(of token: String) -> Int? {
        specialTokens.first { $0.content == token }?.id
            ?? sentencePiece.model.pieces.firstIndex { $0.text == token }
    }

    /// Ids of one text, `</s>` last, truncated to `maxLength`.
    public func encode(text: String) -> Encoding {
        var pieces = tokens(text)
        if let maxLength, pieces.count + 1 > maxLength { pieces = Array(pieces.prefix(max(0, maxLength - 1))) }
        if pieces.last?.id != eosID { pieces.append((sentencePiece.model.pieces[eosID].text, eosID)) }
        return Encoding(ids: pieces.map(\.id), typeIDs: Array(repeating: 0, count: pieces.count),
                        tokens: pieces.map(\.piece), attentionMask: Array(repeating: 1, count: pieces.count))
    }

    /// `SiglipTokenizer.tokenize` followed by `convert_tokens_to_ids`, without the final `</s>`.
    func tokens(_ text: String) -> [(piece: String, id: Int)] {
        var scalars: [Unicode.Scalar] = ["\u{2581}"]
        scalars += text.unicodeScalars.map { $0 == "\u{2581}" ? " " : $0 }
        if lowercase { scalars = lowercasedOutsideSpecialTokens(scalars) }
        var chunks = splitAtSpecialTokens(scalars)
        var out: [(piece: String, id: Int)] = []
        for chunk in chunks.indices {
            switch chunks[chunk] {
            case .special(let token):
                out.append((token.content, token.id))
            case .text(let stretch):
                guard !stretch.isEmpty else { continue }
                let clean = Self.canonicalize(stretch)
                let pieces = sentencePiece.encode(unknownText + String(String.UnicodeScalarView(clean)))
                let kept = pieces.count >= unknownPieceCount ? pieces.dropFirst(unknownPieceCount) : pieces[...]
                out += kept.map { ($0.piece, sentencePiece.id(of: $0.piece)) }
            }
        }
        chunks.removeAll()
        if out.count > 1, out[0].piece == "\u{2581}", specialTokens.contains(where: { $0.content == out[1].piece }) {
            out.removeFirst()
        }
        return out
    }

    // MARK: - Steps

    private enum Chunk {
        case text([Unicode.Scalar])
        case special(SpecialToken)
    }

    /// Lower-cases every character that is not part of a special token, one character at a time
    /// (as transformers' `re.sub` does; no context-dependent mappings such as a final sigma).
    private func lowercasedOutsideSpecialTokens(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let patterns = specialTokens.map { Array($0.content.unicodeScalars) }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var i = 0
        outer: while i < text.count {
            for pattern in patterns where !pattern.isEmpty && i + pattern.count <= text.count
                && text[i..<(i + pattern.count)].elementsEqual(pattern) {
                out += pattern
                i += pattern.count
                continue outer
            }
            let scalar = text[i]
            if scalar.isASCII {
                out.append(scalar.properties.isUppercase ? Unicode.Scalar(scalar.value + 32) ?? scalar : scalar)
            } else {
                out += scalar.properties.lowercaseMapping.unicodeScalars
            }
            i += 1
        }
        return out
    }

    /// transformers' `Trie.split` (leftmost, then longest match) and the added tokens' strip flags.
    private func splitAtSpecialTokens(_ text: [Unicode.Scalar]) -> [Chunk] {
        let patterns = specialTokens.map { ($0, Array($0.content.unicodeScalars)) }
        var chunks: [Chunk] = []
        var pending: [Unicode.Scalar] = []
        var i = 0
        while i < text.count {
            var best: (SpecialToken, Int)?
            for (token, pattern) in patterns where !pattern.isEmpty && i + pattern.count <= text.count
                && text[i..<(i + pattern.count)].elementsEqual(pattern) && pattern.count > (best?.1 ?? 0) {
                best = (token, pattern.count)
            }
            if let (token, length) = best {
                chunks.append(.text(pending))
                chunks.append(.special(token))
                pending = []
                i += length
            } else {
                pending.append(text[i])
                i += 1
            }
        }
        chunks.append(.text(pending))
        // Strip whitespace next to tokens that ask for it (Python's str.strip whitespace).
        for index in chunks.indices {
            guard case .special(let token) = chunks[index] else { continue }
            if token.rstrip, index + 1 < chunks.count, case .text(let right) = chunks[index + 1] {
                chunks[index + 1] = .text(Array(right.drop(while: Self.isPythonWhitespace)))
            }
            if token.lstrip, index > 0, case .text(let left) = chunks[index - 1] {
                var trimmed = left
                while let last = trimmed.last, Self.isPythonWhitespace(last) { trimmed.removeLast() }
                chunks[index - 1] = .text(trimmed)
            }
        }
        return chunks
    }

    /// `canonicalize_text`: ASCII punctuation removed, whitespace runs → one space, trimmed.
    static func canonicalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var inSpace = false
        for scalar in text where !isASCIIPunctuation(scalar) {
            if isPythonWhitespace(scalar) {
                inSpace = true
                continue
            }
            if inSpace, !out.isEmpty { out.append(" ") }
            inSpace = false
            out.append(scalar)
        }
        return out
    }

    /// Python's `string.punctuation`.
    static func isASCIIPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v)
    }

    /// Python's `str.isspace` (and `re`'s `\s` on text): the Unicode White_Space characters plus
    /// the information separators U+001C…U+001F.
    static func isPythonWhitespace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }
}
