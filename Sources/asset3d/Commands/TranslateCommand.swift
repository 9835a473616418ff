import ArgumentParser
import AssetCatalog
import Foundation
import Logging
import Providers
import Settings
import VectorStore

/// `asset3d translate`: fills missing Chinese captions by machine translation (EN → CN), through the
/// Batch API (resumable, half price) or direct chat calls.
struct TranslateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translate",
        abstract: "Translate English captions of assets without a real Chinese caption (marked machine-translated).")

    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case batch, direct
    }

    @OptionGroup var global: GlobalOptions

    @Option(help: "batch (Batch API, resumable) or direct (concurrent chat calls).")
    var mode: Mode = .batch

    @Option(help: "embedded or postgres.")
    var store: String?

    @Option(help: "Batch mode: seconds between status checks.")
    var poll: Int = 30

    @Option(help: "Batch mode: return after this many seconds; unfinished items resume on the next run.")
    var maxWait: Int?

    @Flag(help: "List what would be translated and exit.")
    var dryRun = false

    func run() async throws {
        var extra: [SettingKey: String] = [:]
        if let store { extra[.store] = store }
        let settings = try await global.settings(extra)
        let logger = settings.logger("asset3d.translate")
        try await StoreFactory.withStore(settings, logger: logger) { handle in
            let assets = try await handle.assets.allAssets()
            let items = TranslationItem.needingTranslation(assets)
            guard !items.isEmpty else {
                print("all \(assets.count) assets have a Chinese caption; nothing to translate")
                return
            }
            if dryRun {
                for item in items { print("\(item.id)\t\(item.text)") }
                print("\(items.count) of \(assets.count) assets need a translation")
                return
            }
            let configuration = translationConfiguration(settings)
            let environment = ProviderEnvironment(logger: logger)
            let announce = {
                FileHandle.standardError.write(
                    Data("translating \(items.count) captions with \(configuration.model) (\(mode.rawValue) mode)\n".utf8))
            }
            let run: TranslationRun
            switch mode {
            case .batch:
                let translator = try BatchTranslator(
                    configuration: configuration,
                    stateDirectory: settings.dataDirectory.appendingPathComponent("translate"), environment: environment)
                announce()
                run = try await translator.run(
                    items,
                    options: BatchRunOptions(pollInterval: .seconds(max(1, poll)), maxWait: maxWait.map { .seconds($0) }))
            case .direct:
                let translator = try ChatTranslator(configuration: configuration, environment: environment)
                announce()
                run = await translator.translate(items)
            }
            var updated: [Asset] = []
            for var asset in assets {
                guard let caption = run.caption(for: asset.id.rawValue) else { continue }
                asset.setCaption(caption)
                if asset.nameZH == nil { asset.nameZH = caption.text }
                updated.append(asset)
            }
            try await handle.assets.upsert(updated)
            var lines = ["translated \(updated.count) of \(items.count) captions; usage: \(run.usage.summary)"]
            if !run.pending.isEmpty {
                lines.append("\(run.pending.count) still running in a batch; run `asset3d translate` again later to collect them")
            }
            if !run.failures.isEmpty {
                lines.append("\(run.failures.count) failed (a later run retries them):")
                lines += run.failures.prefix(20).map { "  \($0)" }
            }
            if !updated.isEmpty {
                lines.append("embed the new captions with `asset3d ingest --spaces <spaces that read Chinese>`")
            }
            print(lines.joined(separator: "\n"))
            if !run.failures.isEmpty { throw ExitCode(2) }
        }    }

    func translationConfiguration(_ settings: Settings) -> TranslationConfiguration {
        let base = settings.string(.translationBaseURL) ?? "https://dashscope.aliyuncs.com/compatible-mode/v1"
        let usesDashScope = URL(string: base)?.host?.hasSuffix("aliyuncs.com") ?? false
        let ownKey = settings.string(.translationAPIKey)
        return TranslationConfiguration(
            baseURL: base, apiKey: ownKey ?? settings.string(.dashscopeAPIKey),
            apiKeyVariable: ownKey == nil && usesDashScope ? "DASHSCOPE_API_KEY" : "TRANSLATION_API_KEY",
            requiresAPIKey: usesDashScope, model: settings.string(.translationModel) ?? "qwen-plus",
            batchSize: settings.int(.translationBatchSize) ?? 5000)
    }
}
