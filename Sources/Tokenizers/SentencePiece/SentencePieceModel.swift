import Foundation

/// The contents of a SentencePiece `spiece.model` file (a serialized `ModelProto`), read with our
/// own protobuf reader: the pieces with their scores and types, and the trainer and normalizer
/// settings that encoding needs.
public struct SentencePieceModel: Sendable, Equatable {
    /// `ModelProto.SentencePiece.Type`.
    public enum PieceType: Int, Sendable {
        case normal = 1, unknown = 2, control = 3, userDefined = 4, unused = 5, byte = 6
    }

    /// `TrainerSpec.ModelType`.
    public enum ModelType: Int, Sendable {
        case unigram = 1, bpe = 2, word = 3, char = 4
    }

    /// One vocabulary entry; its id is its index.
    public struct Piece: Sendable, Equatable {
        /// The piece's text (`▁` stands for a space).
        public var text: String
        /// Log probability (unigram) or merge priority (BPE).
        public var score: Float
        /// Normal, control, unknown…
        public var type: PieceType
    }

    /// Every piece, by id.
    public var pieces: [Piece] = []
    /// The algorithm the model was trained for.
    public var modelType: ModelType = .unigram
    /// Unknown characters become their UTF-8 bytes (`<0xNN>` pieces) instead of the unknown piece.
    public var byteFallback = false
    /// The `▁` goes after words instead of before them.
    public var treatWhitespaceAsSuffix = false
    /// Normalizer settings.
    public var normalizerName = ""
    /// The compiled normalization rules (a Darts double-array trie and its replacement strings).
    public var precompiledCharsMap: [UInt8] = []
    /// Prepend `▁` to the text.
    public var addDummyPrefix = true
    /// Drop leading and trailing spaces and collapse runs of spaces.
    public var removeExtraWhitespaces = true
    /// Write spaces as `▁`.
    public var escapeWhitespaces = true

    /// Reads `spiece.model` at `url`.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw TokenizerError.cannotRead(path: url.path) }
        try self.init(bytes: [UInt8](data))
    }

    /// Parses a serialized `ModelProto`.
    public init(bytes: [UInt8]) throws {
        var reader = ProtobufReader(bytes)
        while !reader.isAtEnd {
            let (number, type) = try reader.nextField()
            switch (number, type) {
            case (1, .lengthDelimited):
                pieces.append(try Self.piece(reader.message()))
            case (2, .lengthDelimited):
                var trainer = try reader.message()
                while !trainer.isAtEnd {
                    let (field, kind) = try trainer.nextField()
                    switch (field, kind) {
                    case (3, .varint):
                        let raw = Int(truncatingIfNeeded: try trainer.varint())
                        guard let modelType = ModelType(rawValue: raw) else {
                            throw TokenizerError.invalidFile("unknown SentencePiece model type \(raw)")
                        }
                        self.modelType = modelType
                    case (24, .varint): treatWhitespaceAsSuffix = try trainer.varint() != 0
                    case (35, .varint): byteFallback = try trainer.varint() != 0
                    default: try trainer.skip(kind)
                    }
                }
            case (3, .lengthDelimited):
                var normalizer = try reader.message()
                while !normalizer.isAtEnd {
                    let (field, kind) = try normalizer.nextField()
                    switch (field, kind) {
                    case (1, .lengthDelimited): normalizerName = try normalizer.string()
                    case (2, .lengthDelimited): precompiledCharsMap = Array(try normalizer.lengthDelimited())
                    case (3, .varint): addDummyPrefix = try normalizer.varint() != 0
                    case (4, .varint): removeExtraWhitespaces = try normalizer.varint() != 0
                    case (5, .varint): escapeWhitespaces = try normalizer.varint() != 0
                    default: try normalizer.skip(kind)
                    }
                }
            default:
                try reader.skip(type)
            }
        }
        guard !pieces.isEmpty else { throw TokenizerError.invalidFile("spiece.model has no pieces") }
    }

    private static func piece(_ message: ProtobufReader) throws -> Piece {
        var reader = message
        var piece = Piece(text: "", score: 0, type: .normal)
        while !reader.isAtEnd {
            let (field, kind) = try reader.nextField()
            switch (field, kind) {
            case (1, .lengthDelimited): piece.text = try reader.string()
            case (2, .fixed32): piece.score = try reader.float()
            case (3, .varint):
                let raw = Int(truncatingIfNeeded: try reader.varint())
                guard let type = PieceType(rawValue: raw) else {
                    throw TokenizerError.invalidFile("unknown SentencePiece piece type \(raw)")
                }
                piece.type = type
            default: try reader.skip(kind)
            }
        }
        return piece
    }
}
