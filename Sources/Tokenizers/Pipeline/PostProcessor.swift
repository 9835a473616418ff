/// The fourth stage: adds the model's special tokens around the sequence. Cases mirror
/// tokenizer.json's `post_processor.type` strings.
public enum PostProcessor: Sendable, Equatable {
    /// One element of a template.
    public enum Piece: Sendable, Equatable {
        /// A special token (its tokens come from `special_tokens`) with a type id.
        case special(tokens: [Token], typeID: Int)
        /// The input sequence, with a type id.
        case sequence(typeID: Int)
    }

    /// `TemplateProcessing` (single-sequence template; pairs are not used for embeddings).
    case templateProcessing(single: [Piece])
    /// `BertProcessing`: `[CLS] A [SEP]`.
    case bertProcessing(cls: Token, sep: Token)
    /// `RobertaProcessing` (also CLIP's): `<s> A </s>` with the file's tokens.
    case robertaProcessing(cls: Token, sep: Token)
    /// `ByteLevel`: only trims offsets, which encodings here do not carry; ids are unchanged.
    case byteLevel
    /// `Sequence`: the processors in order.
    indirect case sequence([PostProcessor])

    /// Reads the `post_processor` object of tokenizer.json.
    public init(json: JSONValue) throws {
        guard let type = json["type"]?.string else { throw TokenizerError.invalidFile("post_processor without a type") }
        switch type {
        case "TemplateProcessing":
            var special: [String: [Token]] = [:]
            for (name, value) in json["special_tokens"]?.object ?? [:] {
                let ids = (value["ids"]?.array ?? []).compactMap(\.int)
                let texts = (value["tokens"]?.array ?? []).compactMap(\.string)
                guard ids.count == texts.count else { throw TokenizerError.invalidFile("special token '\(name)'") }
                special[name] = zip(ids, texts).map { Token(id: $0, text: $1) }
            }
            var pieces: [Piece] = []
            for item in json["single"]?.array ?? [] {
                if let token = item["SpecialToken"] {
                    guard let name = token["id"]?.string, let tokens = special[name] else {
                        throw TokenizerError.invalidFile("template names an undefined special token")
                    }
                    pieces.append(.special(tokens: tokens, typeID: token["type_id"]?.int ?? 0))
                } else if let sequence = item["Sequence"] {
                    pieces.append(.sequence(typeID: sequence["type_id"]?.int ?? 0))
                } else {
                    throw TokenizerError.invalidFile("unknown template piece")
                }
            }
            self = .templateProcessing(single: pieces)
        case "BertProcessing", "RobertaProcessing":
            func token(_ key: String) throws -> Token {
                guard let pair = json[key]?.array, pair.count == 2, let text = pair[0].string, let id = pair[1].int else {
                    throw TokenizerError.invalidFile("\(type) needs \(key): [token, id]")
                }
                return Token(id: id, text: text)
            }
            let (cls, sep) = (try token("cls"), try token("sep"))
            self = type == "BertProcessing" ? .bertProcessing(cls: cls, sep: sep) : .robertaProcessing(cls: cls, sep: sep)
        case "ByteLevel":
            self = .byteLevel
        case "Sequence":
            self = .sequence(try (json["processors"]?.array ?? []).map(PostProcessor.init(json:)))
        default:
            throw TokenizerError.unsupportedStage(stage: "post_processor", type: type)
        }
    }

    /// How many tokens `apply` adds to a single sequence (truncation leaves room for them).
    public var addedTokenCount: Int {
        switch self {
        case .templateProcessing(let pieces):
            return pieces.reduce(0) { count, piece in
                if case .special(let tokens, _) = piece { return count + tokens.count }
                return count
            }
        case .bertProcessing, .robertaProcessing: return 2
        case .byteLevel: return 0
        case .sequence(let stages): return stages.reduce(0) { $0 + $1.addedTokenCount }
        }
    }

    /// The sequence with special tokens, and the type id of every token.
    func apply(_ tokens: [Token]) -> (tokens: [Token], typeIDs: [Int]) {
        switch self {
        case .templateProcessing(let pieces):
            var out: [Token] = []
            var types: [Int] = []
            for piece in pieces {
                switch piece {
                case .special(let special, let typeID):
                    out += special
                    types += Array(repeating: typeID, count: special.count)
                case .sequence(let typeID):
                    out += tokens
                    types += Array(repeating: typeID, count: tokens.count)
                }
            }
            return (out, types)
        case .bertProcessing(let cls, let sep), .robertaProcessing(let cls, let sep):
            return ([cls] + tokens + [sep], Array(repeating: 0, count: tokens.count + 2))
        case .byteLevel:
            return (tokens, Array(repeating: 0, count: tokens.count))
        case .sequence(let stages):
            var current = (tokens: tokens, typeIDs: Array(repeating: 0, count: tokens.count))
            for stage in stages {
                if case .byteLevel = stage { continue }  // leaves ids and type ids as they are
                current = stage.apply(current.tokens)
            }
            return current
        }
    }
}
