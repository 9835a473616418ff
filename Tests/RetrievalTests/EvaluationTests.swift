import AssetCatalog
import Foundation
import Testing

@testable import Retrieval

@Suite struct EvaluationTests {
    @Test func metricsOfKnownRankings() {
        let relevant = ["a": 2, "b": 1, "x": 0]
        let perfect = Evaluation.score(ranking: ["a", "b", "c"], relevant: relevant)
        #expect(perfect.recallAt1 == 0.5)
        #expect(perfect.recallAt10 == 1)
        #expect(perfect.successAt1 == 1)
        #expect(perfect.reciprocalRank == 1)
        #expect(abs(perfect.ndcgAt10 - 1) < 1e-12)

        let late = Evaluation.score(ranking: ["c", "x", "b"], relevant: relevant)
        #expect(late.recallAt1 == 0)
        #expect(late.recallAt10 == 0.5)
        #expect(abs(late.reciprocalRank - 1.0 / 3) < 1e-12)
        // DCG = (2^1-1)/log2(4) = 0.5; IDCG = 3/1 + 1/log2(3).
        #expect(abs(late.ndcgAt10 - 0.5 / (3 + 1 / log2(3))) < 1e-12)

        let none = Evaluation.score(ranking: [], relevant: relevant)
        #expect(none.reciprocalRank == 0 && none.ndcgAt10 == 0)
    }

    @Test func reportAveragesPerLanguageAndEncodesTheContractKeys() async throws {
        let queries = [
            EvaluationQuery(qid: "1", text: "sofa", lang: "en", relevant: ["s": 1]),
            EvaluationQuery(qid: "2", text: "沙发", lang: "zh", relevant: ["s": 1]),
        ]
        let report = try await Evaluation.evaluate(queries, k: 10) { query, _ in
            query.lang == "en" ? ["s"] : ["t", "s"]
        }
        #expect(report.overall.queries == 2)
        #expect(report.overall.mrr == 0.75)
        #expect(report.byLanguage["en"]?.mrr == 1)
        #expect(report.byLanguage["zh"]?.mrr == 0.5)
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        for key in ["\"queries\"", "\"recall@1\"", "\"recall@10\"", "\"mrr\"", "\"ndcg@10\"", "\"by_lang\""] {
            #expect(json.contains(key), "missing \(key) in \(json)")
        }
        #expect(try JSONDecoder().decode(EvaluationReport.self, from: Data(json.utf8)) == report)
    }

    @Test func loadsJSONLAndNamesBadLines() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("q-\(UUID().uuidString).jsonl")
        try Data(
            """
            {"qid":"q1","text":"armchair","lang":"en","relevant":{"sh3d-Scopia-1":2}}

            {"qid":"q2","text":"扶手椅","lang":"zh","relevant":{}}
            """.utf8
        ).write(to: url)
        #expect(try EvaluationQuery.load(url).map(\.qid) == ["q1", "q2"])
        try Data("{\"qid\":1}\n".utf8).write(to: url)
        #expect { try EvaluationQuery.load(url) } throws: { "\($0)".contains(":1:") }
    }
}
