/// The second stage: splits normalised text into words that the model tokenises one by one.
/// Cases mirror tokenizer.json's `pre_tokenizer.type` strings.
public indirect enum PreTokenizer: Sendable, Equatable {
    /// `BertPreTokenizer`: split on whitespace (dropped) and isolate every punctuation character.
    case bert
    /// `WhitespaceSplit`: split on whitespace only.
    case whitespaceSplit
    /// `Whitespace`: the regex `\w+|[^\w\s]+`.
    case whitespace
    /// `Punctuation` with the `Isolated` behaviour.
    case punctuation
    /// `Digits`: isolate runs of digits, or each digit with `individual_digits`.
    case digits(individual: Bool)
    /// `Sequence`: the pre-tokenizers in order, each splitting the pieces of the previous one.
    case sequence([PreTokenizer])

    /// Reads a `pre_tokenizer` object of tokenizer.json.
    public init(json: JSONValue) throws {
        guard let type = json["type"]?.string else { throw TokenizerError.invalidFile("pre_tokenizer without a type") }
        switch type {
        case "BertPreTokenizer": self = .bert
        case "WhitespaceSplit": self = .whitespaceSplit
        case "Whitespace": self = .whitespace
        case "Punctuation":
            let behavior = json["behavior"]?.string ?? "Isolated"
            guard behavior == "Isolated" else {
                throw TokenizerError.unsupportedStage(stage: "pre_tokenizer", type: "Punctuation (\(behavior))")
            }
            self = .punctuation
        case "Digits": self = .digits(individual: json["individual_digits"]?.bool ?? false)
        case "Sequence":
            self = .sequence(try (json["pretokenizers"]?.array ?? []).map(PreTokenizer.init(json:)))
        default:
            // ByteLevel (CLIP), Metaspace (SentencePiece) and Split come with those models.
            throw TokenizerError.unsupportedStage(stage: "pre_tokenizer", type: type)
        }
    }

    /// Whether splitting the text after whitespace first gives the same words: true when some
    /// stage splits at whitespace itself.
    var isLocal: Bool {
        switch self {
        case .bert, .whitespace, .whitespaceSplit: return true
        case .punctuation, .digits: return false
        case .sequence(let stages): return stages.contains(where: \.isLocal)
        }
    }

    /// Splits every piece.
    public func split(_ pieces: [[Unicode.Scalar]]) -> [[Unicode.Scalar]] {
        switch self {
        case .sequence(let stages):
            return stages.reduce(pieces) { $1.split($0) }
        default:
            var out: [[Unicode.Scalar]] = []
            for piece in pieces { splitOne(piece, into: &out) }
            return out
        }
    }

    private enum Kind { case drop, isolate, keep }

    private func splitOne(_ text: [Unicode.Scalar], into out: inout [[Unicode.Scalar]]) {
        switch self {
        case .bert:
            Self.split(text, into: &out) { s in
                UnicodeClasses.isWhitespace(s) ? .drop : (UnicodeClasses.isPunctuation(s) ? .isolate : .keep)
            }
        case .whitespaceSplit:
            Self.split(text, into: &out) { UnicodeClasses.isWhitespace($0) ? .drop : .keep }
        case .punctuation:
            Self.split(text, into: &out) { UnicodeClasses.isPunctuation($0) ? .isolate : .keep }
        case .whitespace:
            Self.runs(text, into: &out) { s in
                UnicodeClasses.isWordCharacter(s) ? 1 : (UnicodeClasses.isWhitespace(s) ? nil : 2)
            }
        case .digits(let individual):
            if individual {
                Self.split(text, into: &out) { $0.properties.numericType == .decimal ? .isolate : .keep }
            } else {
                Self.runs(text, into: &out) { $0.properties.numericType == .decimal ? 1 : 0 }
            }
        case .sequence:
            out += split([text])
        }
    }

    /// Splits at `drop` characters (removed) and around `isolate` ones (kept alone).
    private static func split(_ text: [Unicode.Scalar], into out: inout [[Unicode.Scalar]],
                              _ kind: (Unicode.Scalar) -> Kind) {
        var current: [Unicode.Scalar] = []
        for s in text {
            switch kind(s) {
            case .keep:
                current.append(s)
            case .drop:
                if !current.isEmpty { out.append(current) }
                current.removeAll(keepingCapacity: true)
            case .isolate:
                if !current.isEmpty { out.append(current) }
                current.removeAll(keepingCapacity: true)
                out.append([s])
            }
        }
        if !current.isEmpty { out.append(current) }
    }

    /// Maximal runs of characters of the same class; class nil characters are dropped.
    private static func runs(_ text: [Unicode.Scalar], into out: inout [[Unicode.Scalar]],
                             _ classOf: (Unicode.Scalar) -> Int?) {
        var current: [Unicode.Scalar] = []
        var currentClass: Int?
        for s in text {
            let c = classOf(s)
            if c != currentClass || c == nil {
                if !current.isEmpty { out.append(current) }
                current.removeAll(keepingCapacity: true)
            }
            currentClass = c
            if c != nil { current.append(s) }
        }
        if !current.isEmpty { out.append(current) }
    }
}
