/// BERT's WordPiece: each word becomes the longest vocabulary prefix, then the longest
/// `##`-prefixed continuations; a word that cannot be covered becomes one `[UNK]`.
public struct WordPiece: Sendable, Equatable {
    /// Token → id.
    public let vocabulary: [String: Int]
    /// The unknown token's id.
    public let unknownID: Int
    /// The unknown token.
    public let unknownToken: String
    /// Marks a piece that continues a word (`##`).
    public let continuingSubwordPrefix: String
    /// Longer words become `[UNK]` without being tried.
    public let maxInputCharsPerWord: Int

    /// Reads a `model` object of type `WordPiece`.
    public init(json: JSONValue) throws {
        guard let vocab = json["vocab"]?.object else { throw TokenizerError.invalidFile("WordPiece without a vocab") }
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(vocab.count)
        for (token, id) in vocab {
            guard let id = id.int else { throw TokenizerError.invalidFile("vocab id of '\(token)' is not an integer") }
            vocabulary[token] = id
        }
        let unknown = json["unk_token"]?.string ?? "[UNK]"
        try self.init(vocabulary: vocabulary, unknownToken: unknown,
                      continuingSubwordPrefix: json["continuing_subword_prefix"]?.string ?? "##",
                      maxInputCharsPerWord: json["max_input_chars_per_word"]?.int ?? 100)
    }

    /// A WordPiece model over `vocabulary` (e.g. read from `vocab.txt`, one token per line).
    public init(vocabulary: [String: Int], unknownToken: String = "[UNK]", continuingSubwordPrefix: String = "##",
                maxInputCharsPerWord: Int = 100) throws {
        guard let unknownID = vocabulary[unknownToken] else { throw TokenizerError.missingToken(unknownToken) }
        self.vocabulary = vocabulary
        self.unknownID = unknownID
        self.unknownToken = unknownToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharsPerWord = maxInputCharsPerWord
    }

    /// Appends the tokens of one word.
    func tokenize(_ word: [Unicode.Scalar], into tokens: inout [Token]) {
        if word.count > maxInputCharsPerWord {
            tokens.append(Token(id: unknownID, text: unknownToken))
            return
        }
        var pieces: [Token] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Token?
            while start < end {
                var candidate = start > 0 ? continuingSubwordPrefix : ""
                candidate.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary[candidate] {
                    found = Token(id: id, text: candidate)
                    break
                }
                end -= 1
            }
            guard let piece = found else {
                tokens.append(Token(id: unknownID, text: unknownToken))
                return
            }
            pieces.append(piece)
            start = end
        }
        tokens += pieces
    }
}

/// One token: its id and its text in the vocabulary.
public struct Token: Sendable, Equatable {
    /// Vocabulary id.
    public var id: Int
    /// Vocabulary string.
    public var text: String
}
