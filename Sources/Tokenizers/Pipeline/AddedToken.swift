/// A token matched in the text before the model runs (`added_tokens` of tokenizer.json), such as
/// `[CLS]` or `[MASK]` typed by a user.
public struct AddedToken: Sendable, Equatable {
    /// The text that is matched.
    public let content: [Unicode.Scalar]
    /// Its id.
    public let id: Int
    /// Matched in the normalised text (true) or in the raw text (false).
    public let normalized: Bool
    /// Swallows whitespace on its left / right.
    public let lstrip: Bool, rstrip: Bool
    /// Only matches a whole word.
    public let singleWord: Bool

    /// A token matched as a whole before the model runs.
    public init(content: String, id: Int, normalized: Bool = false, lstrip: Bool = false, rstrip: Bool = false,
                singleWord: Bool = false) {
        self.content = Array(content.unicodeScalars)
        self.id = id
        self.normalized = normalized
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.singleWord = singleWord
    }

    init(json: JSONValue) throws {
        guard let content = json["content"]?.string, let id = json["id"]?.int else {
            throw TokenizerError.invalidFile("added token without content or id")
        }
        self.content = Array(content.unicodeScalars)
        self.id = id
        self.normalized = json["normalized"]?.bool ?? !(json["special"]?.bool ?? false)
        self.lstrip = json["lstrip"]?.bool ?? false
        self.rstrip = json["rstrip"]?.bool ?? false
        self.singleWord = json["single_word"]?.bool ?? false
    }

    var token: Token {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: content)
        return Token(id: id, text: String(view))
    }
}

/// A stretch of text, or an added token found in it.
enum Segment {
    case text([Unicode.Scalar])
    case added(Token)
}

enum AddedTokenMatcher {
    /// Splits `text` at every occurrence of `tokens` (leftmost, then longest match).
    static func split(_ text: [Unicode.Scalar], tokens: [AddedToken]) -> [Segment] {
        guard !tokens.isEmpty, !text.isEmpty else { return [.text(text)] }
        let firsts = Set(tokens.compactMap(\.content.first))
        var segments: [Segment] = []
        var pending: [Unicode.Scalar] = []
        var i = 0
        while i < text.count {
            if firsts.contains(text[i]), let match = longestMatch(in: text, at: i, tokens: tokens) {
                if match.lstrip {
                    while let last = pending.last, UnicodeClasses.isWhitespace(last) { pending.removeLast() }
                }
                if !pending.isEmpty { segments.append(.text(pending)) }
                pending = []
                segments.append(.added(match.token))
                i += match.content.count
                if match.rstrip {
                    while i < text.count, UnicodeClasses.isWhitespace(text[i]) { i += 1 }
                }
                continue
            }
            pending.append(text[i])
            i += 1
        }
        if !pending.isEmpty { segments.append(.text(pending)) }
        return segments
    }

    private static func longestMatch(in text: [Unicode.Scalar], at start: Int, tokens: [AddedToken]) -> AddedToken? {
        var best: AddedToken?
        for token in tokens where !token.content.isEmpty && start + token.content.count <= text.count {
            guard text[start..<(start + token.content.count)].elementsEqual(token.content) else { continue }
            if token.singleWord {
                let end = start + token.content.count
                if start > 0, UnicodeClasses.isWordCharacter(text[start - 1]) { continue }
                if end < text.count, UnicodeClasses.isWordCharacter(text[end]) { continue }
            }
            if token.content.count > (best?.content.count ?? 0) { best = token }
        }
        return best
    }
}
