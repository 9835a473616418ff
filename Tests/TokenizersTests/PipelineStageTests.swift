import Foundation
import Testing

@testable import Tokenizers

/// Stages other than BERT's, checked against what the `tokenizers` library printed for the same
/// inputs, and the typed errors for stages this build does not have.
struct PipelineStageTests {
    func scalars(_ s: String) -> [Unicode.Scalar] { Array(s.unicodeScalars) }
    func strings(_ pieces: [[Unicode.Scalar]]) -> [String] {
        pieces.map { String(String.UnicodeScalarView($0)) }
    }
    func json(_ text: String) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) }

    @Test func preTokenizersSplitLikeTokenizers() throws {
        #expect(strings(try PreTokenizer(json: json(#"{"type":"Whitespace"}"#)).split([scalars("Hey friend!  How are_you 3.5?")]))
            == ["Hey", "friend", "!", "How", "are_you", "3", ".", "5", "?"])
        #expect(strings(try PreTokenizer(json: json(#"{"type":"Digits","individual_digits":true}"#)).split([scalars("ab123c4")]))
            == ["ab", "1", "2", "3", "c", "4"])
        #expect(strings(try PreTokenizer(json: json(#"{"type":"Digits","individual_digits":false}"#)).split([scalars("ab123c4")]))
            == ["ab", "123", "c", "4"])
        let sequence = try PreTokenizer(json: json(
            #"{"type":"Sequence","pretokenizers":[{"type":"WhitespaceSplit"},{"type":"Punctuation","behavior":"Isolated"}]}"#))
        #expect(strings(sequence.split([scalars("a,b  c!")])) == ["a", ",", "b", "c", "!"])
    }

    @Test func normalizersRewriteLikeTokenizers() throws {
        let sequence = try Normalizer(json: json("""
            {"type":"Sequence","normalizers":[{"type":"NFKC"},{"type":"Lowercase"},{"type":"Strip","strip_left":true,"strip_right":true},
            {"type":"Replace","pattern":{"String":"a"},"content":"b"},{"type":"Prepend","prepend":"_"}]}
            """))
        #expect(String(String.UnicodeScalarView(sequence.normalize(scalars("  ＡＢＣ ﬁ a ")))) == "_bbc fi b")
        let accents = try Normalizer(json: json(#"{"type":"Sequence","normalizers":[{"type":"NFD"},{"type":"StripAccents"}]}"#))
        #expect(String(String.UnicodeScalarView(accents.normalize(scalars("Crème Brûlée")))) == "Creme Brulee")
    }

    @Test func unsupportedStagesAreTypedErrors() throws {
        #expect(throws: TokenizerError.unsupportedStage(stage: "pre_tokenizer", type: "Metaspace")) {
            try PreTokenizer(json: json(#"{"type":"Metaspace","replacement":"▁"}"#))
        }
        #expect(throws: TokenizerError.unsupportedStage(stage: "model", type: "Unigram")) {
            try TokenizerModel(json: json(#"{"type":"Unigram","vocab":[]}"#))
        }
        #expect(throws: TokenizerError.unsupportedStage(stage: "normalizer", type: "Precompiled")) {
            try Normalizer(json: json(#"{"type":"Precompiled","precompiled_charsmap":""}"#))
        }
        #expect(throws: TokenizerError.self) { try Tokenizer(data: Data("not json".utf8)) }
        #expect(throws: TokenizerError.self) { try Tokenizer(data: Data(#"{"model":{"type":"WordPiece","vocab":{"a":0}}}"#.utf8)) }
    }

    @Test func longTextsAreTokenisedPiecewiseWithTheSameResult() throws {
        let url = try #require(Bundle.module.url(forResource: "Resources/tiny-wordpiece/tokenizer", withExtension: "json"))
        let tokenizer = try Tokenizer(url: url).withoutLimits()
        let sentence = "A red wooden chair, 中文测试; café naïve! "
        let long = String(repeating: sentence, count: 400)  // > 4096 scalars: cut into pieces
        let once = tokenizer.encode(sentence, addSpecialTokens: false).ids
        let all = tokenizer.encode(long, addSpecialTokens: false).ids
        #expect(all.count == once.count * 400)
        #expect(Array(all.prefix(once.count)) == once)
        #expect(Array(all.suffix(once.count)) == once)
        var truncated = tokenizer
        truncated.truncation = Truncation(maxLength: 10)
        let ids = truncated.encode(long).ids
        #expect(ids.count == 10)
        #expect(Array(ids[1..<9]) == Array(once.prefix(8)))
        let left = Truncation(maxLength: 10, direction: .left)
        truncated.truncation = left
        #expect(Array(truncated.encode(long).ids[1..<9]) == Array(once.suffix(8)))
    }
}
