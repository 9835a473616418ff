import Foundation
import Testing

@testable import Tokenizers

/// The vision-language models' tokenizers against what transformers 4.57.1 and `tokenizers` produce
/// for the same texts (scripts/fixtures/vision_models.py): SigLIP's SentencePiece unigram
/// tokenizer, a Gemma-style BPE tokenizer.json (SigLIP 2) and CLIP's byte-level BPE.
struct VisionTokenizerTests {
    struct Case: Decodable {
        var ids: [Int]
        var tokens: [String]
    }

    struct Cases: Decodable {
        var texts: [String]
        var siglip: [Case]
        var siglip_truncated64: [[Int]]
        var gemma: [Case]
        var gemma_truncated64: [[Int]]
        var clip: [Case]
        var clip_truncated77: [[Int]]
        var clip_real: [[Int]]
    }

    static func folder(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Resources/vision/\(name)", withExtension: nil), "missing fixture \(name)")
    }

    static func cases() throws -> Cases {
        try JSONDecoder().decode(Cases.self, from: Data(contentsOf: try folder("cases.json")))
    }

    @Test func siglipSentencePieceMatchesTransformers() throws {
        let cases = try Self.cases()
        let untruncated = try SiglipTokenizer(folder: try Self.folder("spm-unigram"), maxLength: nil)
        let truncated = try SiglipTokenizer(folder: try Self.folder("spm-unigram"), maxLength: 64)
        for (index, text) in cases.texts.enumerated() {
            let encoding = untruncated.encode(text: text)
            #expect(encoding.ids == cases.siglip[index].ids, "text \(index): \(text.debugDescription)")
            #expect(Array(encoding.tokens.dropLast()) == cases.siglip[index].tokens, "text \(index)")
            #expect(truncated.encode(text: text).ids == cases.siglip_truncated64[index], "text \(index) truncated")
        }
    }

    @Test func gemmaStyleBPEMatchesTokenizers() throws {
        let cases = try Self.cases()
        var tokenizer = try Tokenizer(url: try Self.folder("gemma-bpe/tokenizer.json"))
        for (index, text) in cases.texts.enumerated() {
            let encoding = tokenizer.encode(text)
            #expect(encoding.ids == cases.gemma[index].ids, "text \(index): \(text.debugDescription)")
            #expect(Array(encoding.tokens.dropLast()) == cases.gemma[index].tokens, "text \(index)")
        }
        tokenizer.truncation = Truncation(maxLength: 64)
        for (index, text) in cases.texts.enumerated() {
            #expect(tokenizer.encode(text).ids == cases.gemma_truncated64[index], "text \(index) truncated")
        }
    }

    @Test func clipByteLevelBPEMatchesTokenizers() throws {
        let cases = try Self.cases()
        var fromJSON = try Tokenizer(url: try Self.folder("clip-bpe/tokenizer.json"))
        // The same vocabulary built from a merges file, numbered as CLIP numbers its own.
        let fromMerges = try CLIPVocabulary.tokenizer(mergesFile: try Self.folder("clip-bpe/bpe_merges.txt"), maxLength: 77)
        for (index, text) in cases.texts.enumerated() {
            let encoding = fromJSON.encode(text)
            #expect(encoding.ids == cases.clip[index].ids, "text \(index): \(text.debugDescription)")
            #expect(Array(encoding.tokens.dropFirst().dropLast()) == cases.clip[index].tokens, "text \(index)")
            #expect(fromMerges.encode(text).ids == cases.clip_truncated77[index], "text \(index), merges file")
        }
        fromJSON.truncation = Truncation(maxLength: 77)
        for (index, text) in cases.texts.enumerated() {
            #expect(fromJSON.encode(text).ids == cases.clip_truncated77[index], "text \(index) truncated")
        }
    }

    /// CLIP's real vocabulary (49,408 entries), from the open_clip_torch wheel via the set-up script.
    @Test func clipRealVocabularyMatchesTransformers() throws {
        let tokenizer = try CLIPVocabulary.tokenizer(mergesFile: try CLIPVocabularyFile.url())
        #expect(tokenizer.vocabulary.count == 49408)
        #expect(tokenizer.encode("a photo of a cat").ids == [49406, 320, 1125, 539, 320, 2368, 49407])
        let cases = try Self.cases()
        for (index, text) in cases.texts.enumerated() {
            #expect(tokenizer.encode(text).ids == cases.clip_real[index], "text \(index): \(text.debugDescription)")
        }
    }

    @Test func megabyteTextIsTruncatedQuickly() throws {
        let text = String(repeating: "a wooden chair, ", count: 65_536)  // 1 MiB
        var clip = try Tokenizer(url: try Self.folder("clip-bpe/tokenizer.json"))
        clip.truncation = Truncation(maxLength: 77)
        #expect(clip.encode(text).ids.count == 77)
        let siglip = try SiglipTokenizer(folder: try Self.folder("spm-unigram"), maxLength: 64)
        #expect(siglip.encode(text: text).ids.count == 64)
        var gemma = try Tokenizer(url: try Self.folder("gemma-bpe/tokenizer.json"))
        gemma.truncation = Truncation(maxLength: 64)
        #expect(gemma.encode(text).ids.count == 64)
    }

    @Test func damagedSentencePieceFilesAreTypedErrors() throws {
        let data = try [UInt8](Data(contentsOf: try Self.folder("spm-unigram/spiece.model")))
        #expect(throws: TokenizerError.self) { try SentencePieceModel(bytes: Array(data.prefix(data.count / 3))) }
        #expect(throws: TokenizerError.self) { try SentencePieceModel(bytes: [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) }
        #expect(throws: TokenizerError.self) { try SentencePieceModel(bytes: Array("not a model".utf8)) }
        #expect(throws: TokenizerError.self) { try SentencePieceModel(bytes: []) }
    }
}

/// Where CLIP's real merges file is: `ASSET3D_CLIP_BPE`, else where the set-up script puts it
/// (`.venv/share/clip/bpe_simple_vocab_16e6.txt`, unzipped from the open_clip_torch wheel).
enum CLIPVocabularyFile {
    static func url(filePath: String = #filePath) throws -> URL {
        let root = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = ProcessInfo.processInfo.environment["ASSET3D_CLIP_BPE"].map { URL(fileURLWithPath: $0) }
            ?? root.appendingPathComponent(".venv/share/clip/bpe_simple_vocab_16e6.txt")
        try #require(FileManager.default.fileExists(atPath: file.path), """
            CLIP's BPE vocabulary not found at \(file.path). Run the set-up script (scripts/setup.sh), which \
            unzips it from the open_clip_torch wheel, or set ASSET3D_CLIP_BPE to bpe_simple_vocab_16e6.txt.
            """)
        return file
    }
}
