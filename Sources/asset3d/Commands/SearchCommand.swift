import ArgumentParser
import AssetCatalog
import Foundation
import Retrieval
import Settings

/// `asset3d search "text"`: one query against the store, printed as a table or JSON.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Search the store from the terminal.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Query text (English, Chinese or mixed).")
    var query: String

    @Option(help: "en, cn or auto.")
    var lang: String = "auto"

    @Option(help: "Algorithm: lexical, a space name, auto or hybrid.")
    var algorithm: String = "auto"

    @Option(name: .customLong("top-k"), help: "Number of results.")
    var topK: Int?

    @Option(help: "embedded or postgres.")
    var store: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() async throws {
        var extra: [SettingKey: String] = [:]
        if let store { extra[.store] = store }
        let settings = try await global.settings(extra)
        let logger = settings.logger("asset3d.search")
        try await StoreFactory.withStore(settings, logger: logger) { store in
            var language: Language?
            if lang.lowercased() != "auto" {
                guard let parsed = Language(flexible: lang) else { throw CLIError("--lang must be en, cn or auto") }
                language = parsed
            }
            let engine = try await store.searchEngine(settings: settings, logger: logger)
            let response = try await engine.search(
                TextSearchRequest(
                    query: query, algorithm: algorithm, language: language,
                    topK: topK ?? settings.int(.defaultTopK) ?? 10))
            if json {
                let rows = response.hits.map {
                    ["asset_id": $0.asset.id.rawValue, "name": $0.asset.name, "name_zh": $0.asset.nameZH ?? "",
                     "similarity": String(format: "%.4f", $0.similarity)]
                }
                let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("\(response.hits.count) results (\(response.algorithm), query language \(response.language?.rawValue ?? "-"))")
            for (rank, hit) in response.hits.enumerated() {
                let zh = hit.asset.nameZH.map { " / \($0)" } ?? ""
                print(String(format: "%2d. %.3f  %@  %@%@", rank + 1, hit.similarity, hit.asset.id.rawValue, hit.asset.name, zh))
            }
        }    }
}
