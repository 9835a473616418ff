import ArgumentParser
import Foundation
import Settings
import VectorStore

extension DBCommand {
    /// `asset3d db recall --space S [--queries N] [--k 10] [--ef-search E]`: the recall monitor. Measures, per
    /// vector kind of a space, how many of the exact top-k assets the HNSW-backed search finds on the live data.
    struct Recall: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure HNSW recall@k against exact search on the live PostgreSQL data, per vector kind.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Embedding space to measure.")
        var space: String

        @Option(help: "Queries per kind (stored vectors drawn at random, moved off their point by noise).")
        var queries: Int = 100

        @Option(help: "Assets compared per query (recall@k).")
        var k: Int = 10

        @Option(help: "hnsw.ef_search of the approximate searches (default: the store's setting).")
        var efSearch: Int?

        @Option(help: "embedded or postgres (default: postgres when DATABASE_URL is set).")
        var store: String?

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            guard queries >= 1, k >= 1 else { throw ValidationError("--queries and --k must be at least 1") }
            if let efSearch, !(1...1_000).contains(efSearch) { throw ValidationError("--ef-search must be in 1…1000") }
        }

        func run() async throws {
            var extra: [SettingKey: String] = [:]
            if let store { extra[.store] = store }
            let settings = try await global.settings(extra)
            try await StoreFactory.withStore(settings, logger: settings.logger("asset3d.db.recall")) { handle in
                let known = try await handle.vectors.spaces().map(\.space.name)
                guard known.contains(space) else {
                    let list = known.isEmpty ? "none" : known.sorted().joined(separator: ", ")
                    throw CLIError("unknown space \"\(space)\" in the \(handle.name) store (spaces: \(list))")
                }
                guard let postgres = handle.vectors as? PostgresStore else {
                    print(
                        "The \(handle.name) store searches exactly: recall@\(k) is 1 by construction. "
                            + "Recall is measured on PostgreSQL (--store postgres or DATABASE_URL).")
                    return
                }
                let reports = try await postgres.recallReports(space: space, queries: queries, k: k, efSearch: efSearch)
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    print(String(decoding: try encoder.encode(reports), as: UTF8.self))
                } else if reports.isEmpty {
                    print("Space \"\(space)\" holds no vectors: nothing to measure.")
                } else {
                    print(Self.table(reports))
                }
            }
        }

        /// A text table: one row per kind, then the query-weighted mean.
        static func table(_ reports: [RecallReport]) -> String {
            let k = reports.first?.k ?? 10
            var lines = [
                "space \(reports.first?.space ?? ""): HNSW (ef_search \(reports.first?.efSearch ?? 0)) against exact search",
                "kind          queries  recall@\(k)  HNSW p50 ms  exact p50 ms",
            ]
            for report in reports {
                lines.append(
                    report.kind.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)
                        + String(format: "  %7d  %9.3f  %11.1f  %12.1f", report.queries, report.recall,
                                 report.approximateMedianMilliseconds, report.exactMedianMilliseconds))
            }
            let total = reports.reduce(0) { $0 + $1.queries }
            let mean = reports.reduce(0) { $0 + $1.recall * Double($1.queries) } / Double(max(total, 1))
            lines.append("all".padding(toLength: 12, withPad: " ", startingAt: 0) + String(format: "  %7d  %9.3f", total, mean))
            return lines.joined(separator: "\n")
        }
    }
}
