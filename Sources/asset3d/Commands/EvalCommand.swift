import ArgumentParser
import AssetCatalog
import Foundation
import Retrieval
import Settings

/// `asset3d eval --queries FILE`: ranking metrics of an algorithm on judged queries, as JSON.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval", abstract: "Evaluate search quality on a JSONL file of judged queries.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "JSONL file: {\"qid\",\"text\",\"lang\",\"relevant\":{\"<asset id>\":grade}} per line.")
    var queries: String

    @Option(help: "Ranking depth (at least 10).")
    var k: Int = 10

    @Option(help: "Algorithm: lexical, a space name, auto or hybrid.")
    var algorithm: String = "auto"

    @Option(help: "embedded or postgres.")
    var store: String?

    func run() async throws {
        var extra: [SettingKey: String] = [:]
        if let store { extra[.store] = store }
        let settings = try await global.settings(extra)
        let logger = settings.logger("asset3d.eval")
        let judged = try EvaluationQuery.load(URL(fileURLWithPath: queries))
        guard !judged.isEmpty else { throw CLIError("\(queries) has no queries") }
        try await StoreFactory.withStore(settings, logger: logger) { store in
            let engine = try await store.searchEngine(settings: settings, logger: logger)
            let depth = min(max(k, 10), SearchLimits.maxTopK)
            let report = try await Evaluation.evaluate(judged, k: depth) { query, depth in
                let language = Language(flexible: query.lang)
                do {
                    let response = try await engine.search(
                        TextSearchRequest(query: query.text, algorithm: algorithm, language: language, topK: depth))
                    return response.hits.map(\.asset.id)
                } catch let error as SearchError where error.code == .unsupported {
                    return nil
                }
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        }    }
}
