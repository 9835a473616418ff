/// Anything that turns a text into the token ids a model takes: a tokenizer.json pipeline
/// (`Tokenizer`) or SigLIP's SentencePiece tokenizer (`SiglipTokenizer`).
public protocol TextTokenizing: Sendable {
    /// The ids of one text with the model's special tokens, truncated as configured, not padded.
    func encode(text: String) -> Encoding
    /// The id of `token`, if it is in the vocabulary.
    func id(of token: String) -> Int?
    /// Token → id (added tokens included).
    var vocabulary: [String: Int] { get }
}

/// The result of tokenising one text: what a transformer's embedding layer takes.
public struct Encoding: Sendable, Equatable {
    /// Token ids, special tokens and padding included.
    public var ids: [Int]
    /// Segment ids (`token_type_ids`).
    public var typeIDs: [Int]
    /// The vocabulary strings of `ids`.
    public var tokens: [String]
    /// 1 for real tokens, 0 for padding.
    public var attentionMask: [Int]

    /// Number of real (unpadded) tokens.
    public var length: Int { attentionMask.reduce(0, +) }
}

/// Cuts encodings that are too long (tokenizer.json's `truncation`).
public struct Truncation: Sendable, Equatable {
    /// Which end is cut.
    public enum Direction: String, Sendable { case left = "Left", right = "Right" }
    /// Longest encoding, special tokens included.
    public var maxLength: Int
    /// Which end is cut.
    public var direction: Direction

    /// Truncation to `maxLength` tokens, special tokens included.
    public init(maxLength: Int, direction: Direction = .right) {
        self.maxLength = maxLength
        self.direction = direction
    }
}

/// Pads the encodings of a batch to one length (tokenizer.json's `padding`).
public struct Padding: Sendable, Equatable {
    /// Target length.
    public enum Strategy: Sendable, Equatable {
        /// The longest encoding of the batch.
        case batchLongest
        /// A fixed length.
        case fixed(Int)
    }
    /// Which end receives the padding.
    public enum Direction: String, Sendable { case left = "Left", right = "Right" }

    /// Target length.
    public var strategy: Strategy
    /// Which end receives the padding.
    public var direction: Direction
    /// Rounds the target length up to a multiple of this (if set).
    public var padToMultipleOf: Int?
    /// Padding token, its id and type id.
    public var padToken: String, padID: Int, padTypeID: Int

    /// Padding with the given token.
    public init(strategy: Strategy = .batchLongest, direction: Direction = .right, padToMultipleOf: Int? = nil,
                padToken: String, padID: Int, padTypeID: Int = 0) {
        self.strategy = strategy
        self.direction = direction
        self.padToMultipleOf = padToMultipleOf
        self.padToken = padToken
        self.padID = padID
        self.padTypeID = padTypeID
    }

    func apply(_ encodings: [Encoding]) -> [Encoding] {
        var target: Int
        switch strategy {
        case .batchLongest: target = encodings.map(\.ids.count).max() ?? 0
        case .fixed(let length): target = length
        }
        if let multiple = padToMultipleOf, multiple > 0, target % multiple != 0 {
            target += multiple - target % multiple
        }
        return encodings.map { encoding in
            let missing = target - encoding.ids.count
            guard missing > 0 else { return encoding }
            var padded = encoding
            let ids = Array(repeating: padID, count: missing)
            let types = Array(repeating: padTypeID, count: missing)
            let tokens = Array(repeating: padToken, count: missing)
            let mask = Array(repeating: 0, count: missing)
            if direction == .right {
                padded.ids += ids
                padded.typeIDs += types
                padded.tokens += tokens
                padded.attentionMask += mask
            } else {
                padded.ids = ids + padded.ids
                padded.typeIDs = types + padded.typeIDs
                padded.tokens = tokens + padded.tokens
                padded.attentionMask = mask + padded.attentionMask
            }
            return padded
        }
    }
}
