import AssetCatalog
import Foundation

/// One evaluation query: a JSONL line `{"qid","text","lang","relevant":{"<asset id>":grade}}`
/// (DESIGN.md, Contracts). Grades are integers; 0 or absent means not relevant.
public struct EvaluationQuery: Codable, Sendable, Hashable {
    public var qid: String
    public var text: String
    public var lang: String
    public var relevant: [String: Int]

    public init(qid: String, text: String, lang: String, relevant: [String: Int]) {
        self.qid = qid
        self.text = text
        self.lang = lang
        self.relevant = relevant
    }

    /// Reads a JSONL file; blank lines are skipped, a malformed line is an error naming its number.
    public static func load(_ url: URL) throws -> [EvaluationQuery] {
        let data = try Data(contentsOf: url)
        var queries: [EvaluationQuery] = []
        for (number, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
        where line.contains(where: { !($0 == 32 || $0 == 9 || $0 == 13) }) {
            do {
                queries.append(try JSONDecoder().decode(EvaluationQuery.self, from: Data(line)))
            } catch {
                throw EvaluationError("\(url.lastPathComponent):\(number + 1): not a query line (\(error))")
            }
        }
        return queries
    }
}

/// An evaluation input problem.
public struct EvaluationError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Ranking metrics averaged over queries.
///
/// - `recall@k`: relevant assets in the top k divided by all relevant assets of the query;
/// - `success@1`: share of queries whose first result is relevant;
/// - `mrr`: mean reciprocal rank of the first relevant result (0 when none in the ranking);
/// - `ndcg@k`: DCG with gain 2^grade − 1 and log2 discount, divided by the ideal DCG.
public struct EvaluationMetrics: Codable, Sendable, Equatable {
    public var queries: Int
    /// Queries the algorithm could not answer (e.g. Chinese on an English-only model); they score 0.
    public var unsupported: Int
    public var recallAt1: Double
    public var recallAt10: Double
    public var successAt1: Double
    public var mrr: Double
    public var ndcgAt10: Double

    enum CodingKeys: String, CodingKey {
        case queries, unsupported
        case recallAt1 = "recall@1"
        case recallAt10 = "recall@10"
        case successAt1 = "success@1"
        case mrr
        case ndcgAt10 = "ndcg@10"
    }
}

/// The report `asset3d eval` prints: overall metrics plus the same per query language.
public struct EvaluationReport: Codable, Sendable, Equatable {
    public var overall: EvaluationMetrics
    public var byLanguage: [String: EvaluationMetrics]

    public func encode(to encoder: any Encoder) throws {
        try overall.encode(to: encoder)
        var container = encoder.container(keyedBy: ExtraKeys.self)
        try container.encode(byLanguage, forKey: .byLang)
    }

    public init(from decoder: any Decoder) throws {
        overall = try EvaluationMetrics(from: decoder)
        byLanguage = try decoder.container(keyedBy: ExtraKeys.self).decode([String: EvaluationMetrics].self, forKey: .byLang)
    }

    public init(overall: EvaluationMetrics, byLanguage: [String: EvaluationMetrics]) {
        self.overall = overall
        self.byLanguage = byLanguage
    }

    enum ExtraKeys: String, CodingKey { case byLang = "by_lang" }
}

/// Computes ranking metrics.
public enum Evaluation {
    /// Per-query metric values.
    struct Scores {
        var recallAt1 = 0.0, recallAt10 = 0.0, successAt1 = 0.0, reciprocalRank = 0.0, ndcgAt10 = 0.0
        var unsupported = false
    }

    /// Scores one ranking against graded judgements.
    static func score(ranking: [AssetID], relevant: [String: Int]) -> Scores {
        let grades = relevant.filter { $0.value > 0 }
        guard !grades.isEmpty else { return Scores() }
        var scores = Scores()
        let top1 = ranking.prefix(1).filter { grades[$0.rawValue] != nil }.count
        let top10 = ranking.prefix(10).filter { grades[$0.rawValue] != nil }.count
        scores.recallAt1 = Double(top1) / Double(grades.count)
        scores.recallAt10 = Double(top10) / Double(grades.count)
        scores.successAt1 = top1 > 0 ? 1 : 0
        if let first = ranking.firstIndex(where: { grades[$0.rawValue] != nil }) {
            scores.reciprocalRank = 1 / Double(first + 1)
        }
        func dcg(_ gains: [Int]) -> Double {
            gains.enumerated().reduce(0) { $0 + (pow(2, Double($1.element)) - 1) / log2(Double($1.offset + 2)) }
        }
        let actual = dcg(ranking.prefix(10).map { grades[$0.rawValue] ?? 0 })
        let ideal = dcg(Array(grades.values.sorted(by: >).prefix(10)))
        scores.ndcgAt10 = ideal > 0 ? actual / ideal : 0
        return scores
    }

    static func average(_ all: [Scores]) -> EvaluationMetrics {
        let n = Double(max(all.count, 1))
        return EvaluationMetrics(
            queries: all.count, unsupported: all.filter(\.unsupported).count,
            recallAt1: all.map(\.recallAt1).reduce(0, +) / n,
            recallAt10: all.map(\.recallAt10).reduce(0, +) / n,
            successAt1: all.map(\.successAt1).reduce(0, +) / n,
            mrr: all.map(\.reciprocalRank).reduce(0, +) / n,
            ndcgAt10: all.map(\.ndcgAt10).reduce(0, +) / n)
    }

    /// Runs `search` for every query (asking for `k` results) and averages the metrics. `search` returns
    /// nil for a query the algorithm cannot answer; it scores 0 and is counted as unsupported.
    public static func evaluate(
        _ queries: [EvaluationQuery], k: Int, search: (EvaluationQuery, Int) async throws -> [AssetID]?
    ) async throws -> EvaluationReport {
        var perLanguage: [String: [Scores]] = [:]
        var all: [Scores] = []
        for query in queries {
            var scores = Scores()
            if let ranking = try await search(query, max(k, 10)) {
                scores = score(ranking: Array(ranking.prefix(max(k, 10))), relevant: query.relevant)
            } else {
                scores.unsupported = true
            }
            all.append(scores)
            perLanguage[query.lang, default: []].append(scores)
        }
        return EvaluationReport(overall: average(all), byLanguage: perLanguage.mapValues(average))
    }
}
