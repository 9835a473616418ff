import Foundation

/// A tokenizer built from a Hugging Face `tokenizer.json`: added tokens → normalizer →
/// pre-tokenizer → model → post-processor → truncation → padding, as the `tokenizers` library runs
/// them. Immutable apart from the truncation and padding settings, and `Sendable`.
public struct Tokenizer: TextTokenizing {
    /// Rewrites the text first (nil: unchanged).
    public let normalizer: Normalizer?
    /// Splits it into words (nil: one word).
    public let preTokenizer: PreTokenizer?
    /// Turns each word into tokens.
    public let model: TokenizerModel
    /// Adds special tokens (nil: none).
    public let postProcessor: PostProcessor?
    /// Tokens matched before the model runs.
    public let addedTokens: [AddedToken]
    /// Cuts long encodings (from the file; callers may change it).
    public var truncation: Truncation?
    /// Pads batches (from the file; callers may change it).
    public var padding: Padding?

    /// A tokenizer from its stages (for vocabularies that come without a tokenizer.json, e.g.
    /// CLIP's merges file or BERT's vocab.txt).
    public init(normalizer: Normalizer?, preTokenizer: PreTokenizer?, model: TokenizerModel,
                postProcessor: PostProcessor?, addedTokens: [AddedToken] = [], truncation: Truncation? = nil,
                padding: Padding? = nil) {
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.model = model
        self.postProcessor = postProcessor
        self.addedTokens = addedTokens
        self.truncation = truncation
        self.padding = padding
    }

    /// Reads `tokenizer.json` at `url`.
    public init(url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw TokenizerError.cannotRead(path: url.path) }
        try self.init(data: data)
    }

    /// Reads the contents of a `tokenizer.json`.
    public init(data: Data) throws {
        let json: JSONValue
        do { json = try JSONDecoder().decode(JSONValue.self, from: data) } catch {
            throw TokenizerError.invalidFile("not JSON")
        }
        guard let modelJSON = json["model"] else { throw TokenizerError.invalidFile("no model") }
        normalizer = try json["normalizer"].flatMap { $0.isNull ? nil : try Normalizer(json: $0) }
        preTokenizer = try json["pre_tokenizer"].flatMap { $0.isNull ? nil : try PreTokenizer(json: $0) }
        model = try TokenizerModel(json: modelJSON)
        postProcessor = try json["post_processor"].flatMap { $0.isNull ? nil : try PostProcessor(json: $0) }
        addedTokens = try (json["added_tokens"]?.array ?? []).map(AddedToken.init(json:))
        if let t = json["truncation"], let maxLength = t["max_length"]?.int {
            truncation = Truncation(maxLength: maxLength,
                                    direction: Truncation.Direction(rawValue: t["direction"]?.string ?? "Right") ?? .right)
        } else {
            truncation = nil
        }
        if let p = json["padding"], !p.isNull {
            let fixed = p["strategy"]?["Fixed"]?.int
            padding = Padding(strategy: fixed.map { .fixed($0) } ?? .batchLongest,
                              direction: Padding.Direction(rawValue: p["direction"]?.string ?? "Right") ?? .right,
                              padToMultipleOf: p["pad_to_multiple_of"]?.int,
                              padToken: p["pad_token"]?.string ?? "[PAD]", padID: p["pad_id"]?.int ?? 0,
                              padTypeID: p["pad_type_id"]?.int ?? 0)
        } else {
            padding = nil
        }
    }

    /// Token → id, added tokens included.
    public var vocabulary: [String: Int] {
        var vocabulary = model.vocabulary
        for token in addedTokens { vocabulary[token.token.text] = token.id }
        return vocabulary
    }

    /// The id of `token`, if it is in the vocabulary.
    public func id(of token: String) -> Int? {
        addedTokens.first { $0.token.text == token }?.id ?? model.vocabulary[token]
    }

    /// Tokenises one text (truncated, not padded).
    public func encode(_ text: String, addSpecialTokens: Bool = true) -> Encoding {
        let added = addSpecialTokens ? (postProcessor?.addedTokenCount ?? 0) : 0
        let budget = truncation.map { max(0, $0.maxLength - added) }
        // With right truncation, words past the budget can never appear: stop early (1 MB texts).
        let stopAfter = truncation?.direction == .right ? budget : nil
        var tokens = tokenize(Array(text.unicodeScalars), stopAfter: stopAfter)
        if let budget, tokens.count > budget {
            tokens = truncation?.direction == .left ? Array(tokens.suffix(budget)) : Array(tokens.prefix(budget))
        }
        var typeIDs = Array(repeating: 0, count: tokens.count)
        if addSpecialTokens, let postProcessor { (tokens, typeIDs) = postProcessor.apply(tokens) }
        return Encoding(ids: tokens.map(\.id), typeIDs: typeIDs, tokens: tokens.map(\.text),
                        attentionMask: Array(repeating: 1, count: tokens.count))
    }

    /// `encode(_:)` with special tokens (`TextTokenizing`).
    public func encode(text: String) -> Encoding { encode(text) }

    /// Tokenises a batch and pads it as `padding` says.
    public func encodeBatch(_ texts: [String], addSpecialTokens: Bool = true) -> [Encoding] {
        let encodings = texts.map { encode($0, addSpecialTokens: addSpecialTokens) }
        return padding?.apply(encodings) ?? encodings
    }

    /// Texts longer than this are processed in pieces cut at whitespace when every stage allows it.
    private static let chunkLength = 4096

    private func tokenize(_ text: [Unicode.Scalar], stopAfter limit: Int?) -> [Token] {
        var tokens: [Token] = []
        let local = (normalizer?.isLocal ?? true) && (preTokenizer?.isLocal ?? false)
        for segment in AddedTokenMatcher.split(text, tokens: addedTokens.filter { !$0.normalized }) {
            if let limit, tokens.count >= limit { break }
            switch segment {
            case .added(let token):
                tokens.append(token)
            case .text(let scalars):
                for chunk in local ? Self.chunks(scalars) : [scalars[...]] {
                    if let limit, tokens.count >= limit { break }
                    tokenizeText(Array(chunk), into: &tokens, limit: limit)
                }
            }
        }
        return tokens
    }

    private func tokenizeText(_ text: [Unicode.Scalar], into tokens: inout [Token], limit: Int?) {
        let normalized = normalizer?.normalize(text) ?? text
        for segment in AddedTokenMatcher.split(normalized, tokens: addedTokens.filter(\.normalized)) {
            switch segment {
            case .added(let token):
                tokens.append(token)
            case .text(let scalars):
                let words = preTokenizer?.split([scalars]) ?? [scalars]
                for word in words where !word.isEmpty {
                    if let limit, tokens.count >= limit { return }
                    model.tokenize(word, into: &tokens)
                }
            }
        }
    }

    /// Pieces of at most about `chunkLength` scalars, each ending just after a whitespace character.
    private static func chunks(_ text: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        guard text.count > chunkLength else { return [text[...]] }
        var pieces: [ArraySlice<Unicode.Scalar>] = []
        var start = 0
        while start < text.count {
            var end = min(text.count, start + chunkLength)
            if end < text.count {
                var cut = end
                while cut > start, !UnicodeClasses.isWhitespace(text[cut - 1]) { cut -= 1 }
                // A run of more than chunkLength non-spaces: keep it whole up to the next space.
                if cut == start {
                    cut = end
                    while cut < text.count, !UnicodeClasses.isWhitespace(text[cut - 1]) { cut += 1 }
                }
                end = cut
            }
            pieces.append(text[start..<end])
            start = end
        }
        return pieces
    }
}
