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
    /// `Split`: cuts at every match of a string or regular expression (`invert`: at everything
    /// between matches), treating the delimiters as `behavior` says.
    case split(pattern: SplitPattern, behavior: SplitBehavior, invert: Bool)
    /// `ByteLevel` (GPT-2, CLIP): optionally GPT-2's regex split, then every UTF-8 byte becomes
    /// one printable character (see `ByteLevel.alphabet`).
    case byteLevel(addPrefixSpace: Bool, useRegex: Bool)
    /// `Sequence`: the pre-tokenizers in order, each splitting the pieces of the previous one.
    case sequence([PreTokenizer])

    /// What a `Split` looks for.
    public enum SplitPattern: Sendable, Equatable {
        /// A literal string.
        case string([Unicode.Scalar])
        /// A regular expression.
        case regex(RegexPattern)
    }

    /// What `Split` does with the delimiters (tokenizer.json's `behavior` strings).
    public enum SplitBehavior: String, Sendable, Equatable {
        /// Dropped.
        case removed = "Removed"
        /// Pieces of their own.
        case isolated = "Isolated"
        /// Appended to the piece before.
        case mergedWithPrevious = "MergedWithPrevious"
        /// Prepended to the piece after.
        case mergedWithNext = "MergedWithNext"
        /// Runs of adjacent delimiters become one piece.
        case contiguous = "Contiguous"
    }

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
        case "Split":
            let pattern: SplitPattern
            if let string = json["pattern"]?["String"]?.string {
                pattern = .string(Array(string.unicodeScalars))
            } else if let regex = json["pattern"]?["Regex"]?.string {
                pattern = .regex(try RegexPattern(regex))
            } else {
                throw TokenizerError.invalidFile("Split pre-tokenizer without a String or Regex pattern")
            }
            let name = json["behavior"]?.string ?? "Removed"
            guard let behavior = SplitBehavior(rawValue: name) else {
                throw TokenizerError.unsupportedStage(stage: "pre_tokenizer", type: "Split (\(name))")
            }
            self = .split(pattern: pattern, behavior: behavior, invert: json["invert"]?.bool ?? false)
        case "ByteLevel":
            self = .byteLevel(addPrefixSpace: json["add_prefix_space"]?.bool ?? true,
                              useRegex: json["use_regex"]?.bool ?? true)
        default:
            // Metaspace (SentencePiece-converted Llama/T5 files) is not needed by our models.
            throw TokenizerError.unsupportedStage(stage: "pre_tokenizer", type: type)
        }
    }

    /// Whether splitting the text after whitespace first gives the same words: true when some
    /// stage splits at whitespace itself.
    var isLocal: Bool {
        switch self {
        case .bert, .whitespace, .whitespaceSplit: return true
        case .punctuation, .digits, .split, .byteLevel: return false
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
        case .split(let pattern, let behavior, let invert):
            let ranges: [Range<Int>]
            switch pattern {
            case .string(let needle): ranges = Self.occurrences(of: needle, in: text)
            case .regex(let regex): ranges = regex.matches(in: text)
            }
            Self.split(text, matches: ranges, behavior: behavior, invert: invert, into: &out)
        case .byteLevel(let addPrefixSpace, let useRegex):
            var text = text
            if addPrefixSpace, text.first != " " { text.insert(" ", at: 0) }
            if useRegex, let regex = ByteLevel.gpt2Split {
                var pieces: [[Unicode.Scalar]] = []
                Self.split(text, matches: regex.matches(in: text), behavior: .isolated, invert: false, into: &pieces)
                for piece in pieces { out.append(ByteLevel.encode(piece)) }
            } else if !text.isEmpty {
                out.append(ByteLevel.encode(text))
            }
        case .sequence:
            out += split([text])
        }
    }

    /// Non-overlapping occurrences of `needle`, left to right.
    private static func occurrences(of needle: [Unicode.Scalar], in text: [Unicode.Scalar]) -> [Range<Int>] {
        guard !needle.isEmpty, needle.count <= text.count else { return [] }
        var ranges: [Range<Int>] = []
        var i = 0
        while i + needle.count <= text.count {
            if text[i] == needle[0], text[i..<(i + needle.count)].elementsEqual(needle) {
                ranges.append(i..<(i + needle.count))
                i += needle.count
            } else {
                i += 1
            }
        }
        return ranges
    }

    /// The `tokenizers` library's `NormalizedString::split`: the text is covered by alternating
    /// delimiter (matched) and other stretches; `invert` swaps the two; `behavior` decides what
    /// happens to delimiters. Empty pieces are dropped.
    private static func split(_ text: [Unicode.Scalar], matches: [Range<Int>], behavior: SplitBehavior, invert: Bool,
                              into out: inout [[Unicode.Scalar]]) {
        // Cover the text: (range, isDelimiter).
        var cover: [(Range<Int>, Bool)] = []
        var last = 0
        for range in matches {
            if range.lowerBound > last { cover.append((last..<range.lowerBound, invert)) }
            cover.append((range, !invert))
            last = range.upperBound
        }
        if last < text.count { cover.append((last..<text.count, invert)) }
        var pieces: [Range<Int>] = []
        switch behavior {
        case .removed:
            pieces = cover.filter { !$0.1 }.map(\.0)
        case .isolated:
            pieces = cover.map(\.0)
        case .mergedWithPrevious:
            var previousWasDelimiter = false
            for (range, isDelimiter) in cover {
                if isDelimiter, !previousWasDelimiter, let end = pieces.indices.last {
                    pieces[end] = pieces[end].lowerBound..<range.upperBound
                } else {
                    pieces.append(range)
                }
                previousWasDelimiter = isDelimiter
            }
        case .mergedWithNext:
            var previousWasDelimiter = false
            for (range, isDelimiter) in cover.reversed() {
                if isDelimiter, !previousWasDelimiter, let end = pieces.indices.last {
                    pieces[end] = range.lowerBound..<pieces[end].upperBound
                } else {
                    pieces.append(range)
                }
                previousWasDelimiter = isDelimiter
            }
            pieces.reverse()
        case .contiguous:
            var previousWasDelimiter = false
            for (range, isDelimiter) in cover {
                if isDelimiter == previousWasDelimiter, let end = pieces.indices.last {
                    pieces[end] = pieces[end].lowerBound..<range.upperBound
                } else {
                    pieces.append(range)
                }
                previousWasDelimiter = isDelimiter
            }
        }
        for range in pieces where !range.isEmpty { out.append(Array(text[range])) }
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
