import ArgumentParser
import AssetCatalog
import Foundation
import Ingestion
import Retrieval
import Settings
import VectorStore

/// `asset3d ingest`: read a catalog, make its files available, store the assets (and embed them per space).
struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest", abstract: "Read a catalog into the store (resumable: rerun after a crash).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "sh3d (Debian's Sweet Home 3D libraries), sh3d:DIR or folder:PATH.")
    var catalog: String = "sh3d"

    @Option(help: "Comma-separated spaces to build: lexical (always), minilm, siglip, clip, qwen.")
    var spaces: String = "lexical"

    @Option(help: "embedded or postgres (ASSET3D_STORE; postgres when DATABASE_URL is set).")
    var store: String?

    @Option(help: "Ingest at most this many assets (MAX_ASSETS).")
    var maxAssets: Int?

    @Flag(help: "Render views, a thumbnail and a GLB per asset (automatic when a space embeds images).")
    var render = false

    @Option(help: "Rendered views per asset.")
    var views = 8

    @Option(help: "Rendered view size in pixels.")
    var viewSize = 512

    func run() async throws {
        var extra: [SettingKey: String] = [:]
        if let store { extra[.store] = store }
        if let maxAssets { extra[.maxAssets] = String(maxAssets) }
        let settings = try await global.settings(extra)
        let logger = settings.logger("asset3d.ingest")
        // Load every model first: a missing model should fail before minutes of work, not after.
        let embedders = try Spaces.load(try Spaces.requested(spaces), settings: settings, logger: logger)
        let spec = try CatalogSpec(parsing: catalog)
        let source = try spec.open(dataDirectory: settings.dataDirectory)
        try await StoreFactory.withStore(settings, logger: logger) { store in
            let assetStore = store.assets
            FileHandle.standardError.write(Data("ingesting \(source.label) into the \(store.name) store\n".utf8))
            let bar = ProgressBar("assets")
            let report = try await IngestionPipeline(catalog: source, store: assetStore, logger: logger).run(
                IngestOptions(maxAssets: settings.int(.maxAssets))
            ) { progress in bar.update(done: progress.done, total: progress.total) }
            var assets = report.storedAssets
            var renderLines: [String] = []
            if render || embedders.contains(where: \.readsImages) {
                let bar = ProgressBar("render")
                let stage = RenderStage(
                    store: assetStore, derivedRoot: settings.dataDirectory.appendingPathComponent("derived"),
                    settings: RenderSettings(views: views, size: viewSize), logger: logger)
                let rendered = try await stage.run(assets) { bar.update(done: $0.done, total: $0.total) }
                assets = rendered.assets
                renderLines.append(
                    "rendered \(rendered.rendered) assets (\(rendered.alreadyDone) already rendered, \(rendered.withoutMesh) without a mesh); "
                        + String(format: "CPU load %.1f s, raster %.1f s, encode %.1f s", rendered.loadSeconds,
                                 rendered.rasterSeconds, rendered.encodeSeconds))
                if !rendered.warnings.isEmpty {
                    renderLines.append("  mesh warnings: " + rendered.warnings.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
                        .joined(separator: ", "))
                }
                if !rendered.failures.isEmpty {
                    renderLines.append("  \(rendered.failures.count) assets failed to render:")
                    renderLines += rendered.failures.sorted { $0.key < $1.key }.prefix(10).map { "    \($0.key): \($0.value)" }
                }
            }
            var embeddingLines: [String] = []
            for embedder in embedders {
                let bars = StageBars()
                let stage = EmbeddingStage(
                    embedder: embedder, vectors: store.vectors, batchSize: settings.int(.embeddingBatchSize) ?? 32,
                    fusedViews: settings.int(.qwenNumImages) ?? 8, logger: logger)
                let result = try await stage.run(assets) { bars.update($0) }
                let written = result.written.sorted { $0.key.rawValue < $1.key.rawValue }
                    .map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
                let skipped = result.alreadyDone.values.reduce(0, +)
                embeddingLines.append(
                    "\(embedder.space.name) (\(embedder.space.modelID), \(embedder.space.dimension)-d): wrote "
                        + (written.isEmpty ? "nothing" : written) + (skipped > 0 ? "; \(skipped) already embedded" : ""))
                if let usage = embedder.usageSummary { embeddingLines.append("  usage: \(usage)") }
                if !result.failures.isEmpty {
                    embeddingLines.append("  \(result.failures.count) assets failed (rerun to retry):")
                    embeddingLines += result.failures.sorted { $0.key < $1.key }.prefix(10).map { "    \($0.key): \($0.value)" }
                }
            }
            let withoutChinese = report.notes.filter { $0.message.hasPrefix("no Chinese name") }.count
            var lines = ["stored \(report.stored) of \(report.read) assets (\(try await assetStore.assetCount()) in the store)"]
            lines += renderLines + embeddingLines
            if !report.skippedEntries.isEmpty {
                lines.append("skipped \(report.skippedEntries.count) catalog entries:")
                lines += report.skippedEntries.prefix(20).map { "  \($0)" }
            }
            if report.failed > 0 {
                lines.append("\(report.failed) assets failed:")
                lines += report.failures.sorted { $0.key < $1.key }.prefix(20).map { "  \($0.key): \($0.value)" }
            }
            if withoutChinese > 0 {
                lines.append("\(withoutChinese) assets have no Chinese name in the catalog (asset3d translate fills them)")
            }
            print(lines.joined(separator: "\n"))
        }    }
}
