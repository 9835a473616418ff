import Testing

@testable import Encoders

/// `readsChinese` is a vocabulary check: many CJK tokens (Chinese or multilingual vocabularies)
/// versus the few hundred stray characters of an English one.
struct ChineseCoverageTests {
    @Test func countsTokensWithIdeographs() {
        var vocabulary: [String: Int] = ["[UNK]": 0, "chair": 1]
        for (i, value) in (0x4E00..<(0x4E00 + 1499)).enumerated() {
            vocabulary[String(Character(Unicode.Scalar(UInt32(value))!))] = i + 2
        }
        #expect(!SentenceEncoder.coversChinese(vocabulary))
        vocabulary["##椅子"] = 99_999
        #expect(SentenceEncoder.coversChinese(vocabulary))
    }
}
