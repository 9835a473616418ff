import AssetCatalog
import Foundation

/// Turns text into index terms for BM25: English words with light normalisation, Chinese folded to
/// simplified characters and cut into overlapping bigrams plus unigrams (so one-character queries such
/// as 床 still match, and 沙發 finds 沙发).
///
/// Terms carry a prefix so an English word never collides with a Chinese n-gram:
/// `w:chair`, `b:沙发`, `u:床`.
public struct LexicalAnalyzer: Sendable {
    /// English words dropped from queries and documents.
    public static let stopWords: Set<String> = [
        "a", "an", "and", "the", "of", "with", "for", "in", "on", "to", "or", "by", "at", "from", "is", "it",
        "its", "this", "that", "as", "be", "are",
    ]

    public init() {}

    /// Terms of an indexed document field.
    public func documentTerms(_ text: String) -> [String] {
        var terms: [String] = []
        for segment in segments(text) {
            switch segment {
            case .word(let word):
                terms.append("w:" + word)
            case .han(let chars):
                terms += chars.map { "u:" + String($0) }
                if chars.count >= 2 {
                    for i in 0..<(chars.count - 1) { terms.append("b:" + String(chars[i]) + String(chars[i + 1])) }
                }
            }
        }
        return terms
    }

    /// Terms of a query: Chinese runs of two or more characters become bigrams only (precise),
    /// a single Chinese character becomes its unigram.
    public func queryTerms(_ text: String) -> [String] {
        var terms: [String] = []
        for segment in segments(text) {
            switch segment {
            case .word(let word):
                terms.append("w:" + word)
            case .han(let chars):
                if chars.count == 1 {
                    terms.append("u:" + String(chars[0]))
                } else {
                    for i in 0..<(chars.count - 1) { terms.append("b:" + String(chars[i]) + String(chars[i + 1])) }
                }
            }
        }
        return terms
    }

    enum Segment: Equatable {
        case word(String)
        case han([Character])
    }

    /// Splits text into normalised English words and runs of Han characters.
    func segments(_ text: String) -> [Segment] {
        var result: [Segment] = []
        var word = ""
        var han: [Character] = []
        func flushWord() {
            if !word.isEmpty {
                let normalized = Self.normalize(word)
                if !normalized.isEmpty && !Self.stopWords.contains(normalized) { result.append(.word(normalized)) }
                word = ""
            }
        }
        func flushHan() {
            if !han.isEmpty {
                result.append(.han(han))
                han = []
            }
        }
        for character in ChineseText.simplified(text).lowercased() {
            if let scalar = character.unicodeScalars.first, ChineseText.isHan(scalar) {
                flushWord()
                han.append(character)
            } else if character.isLetter || character.isNumber {
                flushHan()
                word.append(character)
            } else {
                flushWord()
                flushHan()
            }
        }
        flushWord()
        flushHan()
        return result
    }

    /// "-ves" plurals whose singular ends in f/fe; other "-ves" words ("stoves") just lose the "s".
    static let irregularPlurals: [String: String] = [
        "shelves": "shelf", "knives": "knife", "leaves": "leaf", "halves": "half", "wolves": "wolf",
        "calves": "calf", "scarves": "scarf", "loaves": "loaf", "wives": "wife", "lives": "life",
    ]

    /// Folds accents and reduces regular plurals: "chairs" → "chair", "libraries" → "library", "boxes" → "box".
    static func normalize(_ word: String) -> String {
        let folded = word.folding(options: .diacriticInsensitive, locale: nil)
        guard folded.count > 3, folded.allSatisfy(\.isASCII), folded.last == "s" else { return folded }
        if let singular = irregularPlurals[folded] { return singular }
        if folded.hasSuffix("ies") && folded.count > 4 { return String(folded.dropLast(3)) + "y" }
        for suffix in ["sses", "xes", "ches", "shes", "zes"] where folded.hasSuffix(suffix) {
            return String(folded.dropLast(2))
        }
        if folded.hasSuffix("ss") || folded.hasSuffix("us") || folded.hasSuffix("is") { return folded }
        return String(folded.dropLast())
    }
}
