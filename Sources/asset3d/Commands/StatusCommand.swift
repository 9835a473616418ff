import ArgumentParser
import Foundation
import Settings
import VectorStore

/// `asset3d status`: what the store holds — assets and, per space, vectors by kind.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the store: asset count and every embedding space with its vector counts.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "embedded or postgres.")
    var store: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        var extra: [SettingKey: String] = [:]
        if let store { extra[.store] = store }
        let settings = try await global.settings(extra)
        try await StoreFactory.withStore(settings, logger: settings.logger("asset3d.status")) { handle in
            let assets = try await handle.assets.assetCount()
            let spaces = try await handle.vectors.spaces()
            if json {
                let object: [String: Any] = [
                    "store": handle.name, "assets": assets,
                    "spaces": spaces.map { summary in
                        [
                            "name": summary.space.name, "model_id": summary.space.modelID,
                            "dimension": summary.space.dimension,
                            "counts": Dictionary(summary.counts.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: +),
                        ] as [String: Any]
                    },
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
                print(String(decoding: data, as: UTF8.self))
                return
            }
            print("\(handle.name) store: \(assets) assets")
            for summary in spaces {
                let counts = summary.counts.sorted { $0.key.rawValue < $1.key.rawValue }
                    .map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
                print("  \(summary.space.name): \(summary.space.modelID), \(summary.space.dimension)-d — \(counts.isEmpty ? "empty" : counts)")
            }
        }    }
}
