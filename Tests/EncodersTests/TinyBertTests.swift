import Foundation
import Neural
import Testing
import Tokenizers

@testable import Encoders

/// Random tiny BERTs saved by sentence-transformers, against sentence-transformers' own outputs.
struct TinyBertTests {
    struct Expected: Decodable {
        var inputs: [String]
        var input_ids: [[Int]]
        var embeddings: [[Double]]
        var first_hidden_state: [Float]
    }

    static func expected(_ model: String) throws -> Expected {
        let all = try JSONDecoder().decode([String: Expected].self,
                                           from: Data(contentsOf: try resource("tiny_bert_expected.json")))
        return try #require(all[model])
    }

    @Test(arguments: ["tiny-bert-mean", "tiny-bert-cls"])
    func embeddingsMatchSentenceTransformers(model: String) throws {
        let expected = try Self.expected(model)
        let encoder = try EncoderRegistry.loadSentenceEncoder(folder: try resource(model), modelID: model)
        #expect(encoder.dimension == 32)
        #expect(encoder.maxLength == 32)
        #expect(encoder.modelID == model)
        #expect(encoder.tokenize(expected.inputs).map(\.ids) == expected.input_ids)
        // One call with the whole unequal-length batch, then texts one by one: same vectors.
        let batch = try encoder.embedText(expected.inputs)
        #expect(batch.count == expected.inputs.count)
        for (index, (got, want)) in zip(batch, expected.embeddings).enumerated() {
            let reference = normalized(want)
            #expect(cosine(got, reference) >= 0.99999, "input \(index)")
            #expect(maxAbsDifference(got, reference) <= 1e-4, "input \(index)")
            let alone = try encoder.embedText([expected.inputs[index]])[0]
            #expect(maxAbsDifference(alone, got) <= 1e-5, "input \(index) alone")
        }
    }

    @Test func tokenStatesMatchTransformers() throws {
        let expected = try Self.expected("tiny-bert-mean")
        let encoder = try EncoderRegistry.loadSentenceEncoder(folder: try resource("tiny-bert-mean"))
        let ids = expected.input_ids[0]
        let (states, layout) = try encoder.backbone.forward(ids: [ids], typeIDs: [[Int](repeating: 0, count: ids.count)])
        #expect(layout.lengths == [ids.count])
        #expect(maxAbsDifference(states.scalars, expected.first_hidden_state) <= 1e-4)
    }

    @Test func emptyInputListGivesNoVectors() throws {
        let encoder = try EncoderRegistry.loadTextEncoder(folder: try resource("tiny-bert-mean"))
        #expect(try encoder.embedText([]).isEmpty)
    }

    @Test func oneMegabyteTextIsTruncatedCleanly() throws {
        let encoder = try EncoderRegistry.loadSentenceEncoder(folder: try resource("tiny-bert-mean"))
        let huge = String(repeating: "lamp chair 桌子 ", count: 1_000_000 / 16)
        #expect(huge.utf8.count >= 1_000_000)
        let encoding = encoder.tokenize([huge])[0]
        #expect(encoding.ids.count == encoder.maxLength)
        let vectors = try encoder.embedText([huge, "lamp"])
        #expect(vectors.count == 2)
        #expect(abs(vectors[0].reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
    }

    @Test func concurrentCallsGiveTheSameVectors() async throws {
        let encoder = try EncoderRegistry.loadTextEncoder(folder: try resource("tiny-bert-mean"))
        let texts = try Self.expected("tiny-bert-mean").inputs
        let serial = try encoder.embedText(texts)
        let results = try await withThrowingTaskGroup(of: [[Float]].self) { group in
            for _ in 0..<6 { group.addTask { try encoder.embedText(texts) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for result in results { #expect(result == serial) }
    }
}
