import Foundation

/// The first stage: rewrites the text before it is split. Cases mirror tokenizer.json's
/// `normalizer.type` strings.
public indirect enum Normalizer: Sendable, Equatable {
    /// `BertNormalizer`: drop control characters and map whitespace to spaces (`clean_text`), put
    /// spaces around CJK ideographs, strip accents (NFD, then drop non-spacing marks), lower-case.
    case bertNormalizer(cleanText: Bool, handleChineseChars: Bool, stripAccents: Bool, lowercase: Bool)
    /// `Lowercase`.
    case lowercase
    /// `StripAccents` (drops non-spacing marks; usually after `NFD`).
    case stripAccents
    /// `NFC`, `NFD`, `NFKC`, `NFKD`.
    case nfc, nfd, nfkc, nfkd
    /// `Replace` with a literal string pattern.
    case replace(pattern: String, content: String)
    /// `Replace` with a regular expression (CLIP's `\s+` → space).
    case replaceRegex(RegexPattern, content: String)
    /// `Prepend`: adds a prefix to non-empty text.
    case prepend(String)
    /// `Strip`: trims whitespace on the chosen sides.
    case strip(left: Bool, right: Bool)
    /// `Sequence`: the normalizers in order.
    case sequence([Normalizer])

    /// Reads a `normalizer` object of tokenizer.json.
    public init(json: JSONValue) throws {
        guard let type = json["type"]?.string else { throw TokenizerError.invalidFile("normalizer without a type") }
        switch type {
        case "BertNormalizer":
            let lowercase = json["lowercase"]?.bool ?? true
            self = .bertNormalizer(
                cleanText: json["clean_text"]?.bool ?? true,
                handleChineseChars: json["handle_chinese_chars"]?.bool ?? true,
                // `strip_accents: null` means "same as lowercase".
                stripAccents: json["strip_accents"]?.bool ?? lowercase,
                lowercase: lowercase)
        case "Lowercase": self = .lowercase
        case "StripAccents": self = .stripAccents
        case "NFC": self = .nfc
        case "NFD": self = .nfd
        case "NFKC": self = .nfkc
        case "NFKD": self = .nfkd
        case "Prepend": self = .prepend(json["prepend"]?.string ?? "")
        case "Strip": self = .strip(left: json["strip_left"]?.bool ?? true, right: json["strip_right"]?.bool ?? true)
        case "Replace":
            guard let content = json["content"]?.string else {
                throw TokenizerError.invalidFile("Replace normalizer without content")
            }
            if let pattern = json["pattern"]?["String"]?.string {
                self = .replace(pattern: pattern, content: content)
            } else if let regex = json["pattern"]?["Regex"]?.string {
                self = .replaceRegex(try RegexPattern(regex), content: content)
            } else {
                throw TokenizerError.invalidFile("Replace normalizer without a String or Regex pattern")
            }
        case "Sequence":
            self = .sequence(try (json["normalizers"]?.array ?? []).map(Normalizer.init(json:)))
        default:
            throw TokenizerError.unsupportedStage(stage: "normalizer", type: type)
        }
    }

    /// Whether the stage maps text piece by piece, so that text split at spaces can be normalised
    /// one piece at a time with the same result.
    var isLocal: Bool {
        switch self {
        case .bertNormalizer, .lowercase, .stripAccents, .nfc, .nfd, .nfkc, .nfkd: return true
        case .replace, .replaceRegex, .prepend, .strip: return false
        case .sequence(let stages): return stages.allSatisfy(\.isLocal)
        }
    }

    /// Applies the stage.
    public func normalize(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        switch self {
        case .bertNormalizer(let cleanText, let handleChineseChars, let stripAccents, let lowercase):
            var out = text
            if cleanText {
                out = out.compactMap { s in
                    if s.value == 0 || s.value == 0xFFFD || UnicodeClasses.isControl(s) { return nil }
                    return UnicodeClasses.isWhitespace(s) ? " " : s
                }
            }
            if handleChineseChars {
                var spaced: [Unicode.Scalar] = []
                spaced.reserveCapacity(out.count)
                for s in out {
                    if UnicodeClasses.isChineseCharacter(s) {
                        spaced += [" ", s, " "]
                    } else {
                        spaced.append(s)
                    }
                }
                out = spaced
            }
            if stripAccents { out = Normalizer.stripAccents.normalize(Normalizer.nfd.normalize(out)) }
            if lowercase { out = Normalizer.lowercase.normalize(out) }
            return out
        case .lowercase:
            var out: [Unicode.Scalar] = []
            out.reserveCapacity(text.count)
            for s in text {
                if s.isASCII {
                    out.append(s.properties.isUppercase ? Unicode.Scalar(s.value + 32)! : s)
                } else {
                    out += s.properties.lowercaseMapping.unicodeScalars
                }
            }
            return out
        case .stripAccents:
            return text.filter { $0.properties.generalCategory != .nonspacingMark }
        case .nfc: return Self.transform(text) { $0.precomposedStringWithCanonicalMapping }
        case .nfd: return Self.transform(text) { $0.decomposedStringWithCanonicalMapping }
        case .nfkc: return Self.transform(text) { $0.precomposedStringWithCompatibilityMapping }
        case .nfkd: return Self.transform(text) { $0.decomposedStringWithCompatibilityMapping }
        case .replace(let pattern, let content):
            return Self.replaceLiteral(text, pattern: Array(pattern.unicodeScalars), content: Array(content.unicodeScalars))
        case .replaceRegex(let regex, let content):
            return regex.replacingMatches(in: text, with: Array(content.unicodeScalars))
        case .prepend(let prefix):
            return text.isEmpty ? text : Array(prefix.unicodeScalars) + text
        case .strip(let left, let right):
            var slice = text[...]
            while left, let first = slice.first, first.properties.isWhitespace { slice = slice.dropFirst() }
            while right, let last = slice.last, last.properties.isWhitespace { slice = slice.dropLast() }
            return Array(slice)
        case .sequence(let stages):
            return stages.reduce(text) { $1.normalize($0) }
        }
    }

    /// Replaces non-overlapping occurrences of `pattern`, left to right, comparing scalars (not
    /// grapheme clusters, as `String` would).
    private static func replaceLiteral(_ text: [Unicode.Scalar], pattern: [Unicode.Scalar],
                                       content: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard let first = pattern.first, pattern.count <= text.count else { return text }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            if text[i] == first, i + pattern.count <= text.count, text[i..<(i + pattern.count)].elementsEqual(pattern) {
                out += content
                i += pattern.count
            } else {
                out.append(text[i])
                i += 1
            }
        }
        return out
    }

    private static func string(_ scalars: [Unicode.Scalar]) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    private static func transform(_ text: [Unicode.Scalar], _ body: (NSString) -> String) -> [Unicode.Scalar] {
        // ASCII is invariant under every normal form: skip the round trip.
        if text.allSatisfy(\.isASCII) { return text }
        return Array(body(string(text) as NSString).unicodeScalars)
    }
}
