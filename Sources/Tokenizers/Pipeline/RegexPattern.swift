import Foundation

/// A regular expression from a tokenizer.json `{"Regex": …}` pattern, run with ICU
/// (`NSRegularExpression`).
///
/// The `tokenizers` library runs these patterns with Oniguruma, whose `\s` also matches U+000B and
/// U+0085 (ICU's does not); `\s` is rewritten to Oniguruma's class before compiling, so the CLIP
/// and GPT-2 patterns split alike. Equality is by pattern text.
public struct RegexPattern: @unchecked Sendable, Equatable {
    /// The pattern as written in the file.
    public let pattern: String
    // NSRegularExpression is immutable and documented as safe to share between threads.
    private let expression: NSRegularExpression

    /// Compiles `pattern`; an invalid pattern is a typed error.
    public init(_ pattern: String) throws {
        self.pattern = pattern
        do {
            expression = try NSRegularExpression(pattern: Self.onigurumaWhitespace(pattern))
        } catch {
            throw TokenizerError.invalidFile("regular expression '\(pattern)' does not compile")
        }
    }

    public static func == (lhs: RegexPattern, rhs: RegexPattern) -> Bool { lhs.pattern == rhs.pattern }

    /// The ranges (in scalar offsets) of every non-overlapping match, left to right.
    func matches(in text: [Unicode.Scalar]) -> [Range<Int>] {
        guard !text.isEmpty else { return [] }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text)
        let string = String(view)
        let found = expression.matches(in: string, range: NSRange(location: 0, length: string.utf16.count))
        guard !found.isEmpty else { return [] }
        // UTF-16 offset → scalar offset, one pass over the text.
        var scalarAt = [Int](repeating: 0, count: string.utf16.count + 1)
        var utf16 = 0
        for (index, scalar) in text.enumerated() {
            let width = scalar.value > 0xFFFF ? 2 : 1
            for k in 0..<width { scalarAt[utf16 + k] = index }
            utf16 += width
        }
        scalarAt[utf16] = text.count
        return found.compactMap { match in
            let r = match.range
            guard r.location != NSNotFound, r.length > 0 else { return nil }
            return scalarAt[r.location]..<scalarAt[r.location + r.length]
        }
    }

    /// Replaces every match with `replacement` (taken literally).
    func replacingMatches(in text: [Unicode.Scalar], with replacement: [Unicode.Scalar]) -> [Unicode.Scalar] {
        let ranges = matches(in: text)
        guard !ranges.isEmpty else { return text }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        var last = 0
        for range in ranges {
            out += text[last..<range.lowerBound]
            out += replacement
            last = range.upperBound
        }
        out += text[last...]
        return out
    }

    /// Oniguruma's `\s` (U+0009–000D, U+0085, and the Zs, Zl, Zp categories) in ICU syntax.
    private static let whitespaceClass = #"\t-\r\x{85}\p{Zs}\p{Zl}\p{Zp}"#

    /// Rewrites `\s` (and `\S`) outside and inside character classes.
    static func onigurumaWhitespace(_ pattern: String) -> String {
        var out = ""
        var inClass = 0
        var chars = Array(pattern)
        var i = 0
        chars.append("\0")
        while i < chars.count - 1 {
            let c = chars[i]
            if c == "\\" {
                let next = chars[i + 1]
                if next == "s" {
                    out += inClass > 0 ? whitespaceClass : "[\(whitespaceClass)]"
                } else if next == "S" && inClass == 0 {
                    out += "[^\(whitespaceClass)]"
                } else {
                    out.append(c)
                    out.append(next)
                }
                i += 2
                continue
            }
            if c == "[" { inClass += 1 } else if c == "]" && inClass > 0 { inClass -= 1 }
            out.append(c)
            i += 1
        }
        return out
    }
}
