import Foundation
import Testing
import Tokenizers

/// Token ids must equal those of Hugging Face's `tokenizers` exactly (fixtures made by
/// scripts/fixtures/text_models.py).
struct WordPieceFixtureTests {
    struct Case: Decodable {
        var text: String
        var ids: [Int]
        var tokens: [String]
        var type_ids: [Int]?
        var attention_mask: [Int]?
    }

    struct Cases: Decodable {
        var tiny: [Case]
        var minilm: [Case]
        var tiny_truncated_padded: [Case]
    }

    static func cases() throws -> Cases {
        let url = try #require(Bundle.module.url(forResource: "Resources/wordpiece_cases", withExtension: "json"))
        return try JSONDecoder().decode(Cases.self, from: Data(contentsOf: url))
    }

    static func tinyTokenizer() throws -> Tokenizer {
        let url = try #require(Bundle.module.url(forResource: "Resources/tiny-wordpiece/tokenizer", withExtension: "json"))
        return try Tokenizer(url: url)
    }

    @Test func tinyVocabularyMatchesTokenizersExactly() throws {
        let tokenizer = try Self.tinyTokenizer()
        for expected in try Self.cases().tiny {
            let encoding = tokenizer.encode(expected.text)
            #expect(encoding.ids == expected.ids, "\(expected.text.debugDescription)")
            #expect(encoding.tokens == expected.tokens, "\(expected.text.debugDescription)")
            #expect(encoding.typeIDs == expected.type_ids, "\(expected.text.debugDescription)")
        }
    }

    @Test func truncationAndBatchPaddingMatchTokenizers() throws {
        var tokenizer = try Self.tinyTokenizer()
        tokenizer.truncation = Truncation(maxLength: 8)
        tokenizer.padding = Padding(padToken: "[PAD]", padID: try #require(tokenizer.id(of: "[PAD]")))
        let expected = try Self.cases().tiny_truncated_padded
        let batch = tokenizer.encodeBatch(expected.map(\.text))
        for (encoding, want) in zip(batch, expected) {
            #expect(encoding.ids == want.ids, "\(want.text.debugDescription)")
            #expect(encoding.attentionMask == want.attention_mask, "\(want.text.debugDescription)")
            #expect(encoding.tokens == want.tokens)
        }
    }

    @Test func realMiniLMVocabularyMatchesTokenizersExactly() throws {
        let tokenizer = try Tokenizer(url: MiniLMFolder.url().appendingPathComponent("tokenizer.json"))
            .withoutLimits()
        let cases = try Self.cases().minilm
        #expect(cases.count >= 30)
        for expected in cases {
            let encoding = tokenizer.encode(expected.text)
            #expect(encoding.ids == expected.ids, "\(expected.text.debugDescription)")
            #expect(encoding.tokens == expected.tokens, "\(expected.text.debugDescription)")
        }
    }
}

extension Tokenizer {
    /// The tokenizer with truncation and padding switched off (the fixtures record whole texts).
    func withoutLimits() -> Tokenizer {
        var copy = self
        copy.truncation = nil
        copy.padding = nil
        return copy
    }
}
