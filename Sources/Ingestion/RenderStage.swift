import AssetCatalog
import Foundation
import Logging
import Rendering
import Synchronization
import VectorStore

/// What the render stage did.
public struct RenderReport: Sendable {
    public var rendered = 0
    /// Assets already rendered with the same settings.
    public var alreadyDone = 0
    /// Assets without a mesh file.
    public var withoutMesh = 0
    /// Per-asset failures (typed rendering errors); the asset keeps no views.
    public var failures: [AssetID: String] = [:]
    /// Mesh warnings by kind (missing textures, undefined materials, …).
    public var warnings: [String: Int] = [:]
    /// CPU seconds per stage, summed over assets.
    public var loadSeconds = 0.0, rasterSeconds = 0.0, encodeSeconds = 0.0
    /// The assets as stored after the stage (with their views), in input order.
    public var assets: [Asset] = []
}

/// Renders views, a thumbnail and a GLB for every asset that lacks them, in parallel across cores, and
/// stores the file locations with the asset. Resumable: assets rendered with the same settings are
/// skipped; a batch is stored as soon as it is rendered.
public struct RenderStage: Sendable {
    let store: any AssetStore
    let derivedRoot: URL
    let renderer: AssetRenderer
    let jobs: Int
    let logger: Logger

    /// - Parameter derivedRoot: folder under which each asset gets its own folder (`<data dir>/derived`).
    public init(store: any AssetStore, derivedRoot: URL, settings: RenderSettings = RenderSettings(),
                jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                logger: Logger = Logger(label: "asset3d.render")) {
        self.store = store
        self.derivedRoot = derivedRoot
        self.renderer = AssetRenderer(settings: settings)
        self.jobs = max(1, jobs)
        self.logger = logger
    }

    /// The folder of an asset's generated files: a readable, file-system-safe name plus a hash of the id.
    public func folder(for id: AssetID) -> URL {
        let readable = String(id.rawValue.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }.prefix(80))
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in id.rawValue.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return derivedRoot.appendingPathComponent("\(readable)-\(String(hash, radix: 16))", isDirectory: true)
    }

    func isDone(_ asset: Asset) -> Bool {
        guard asset.extra["derived.render"] == renderer.settings.signature,
            asset.views.count == renderer.settings.views, let thumbnail = asset.files.renderedThumbnail
        else { return false }
        return asset.files.resolveDerived(thumbnail) != nil && asset.views.allSatisfy { asset.files.resolve($0) != nil }
    }

    public func run(_ assets: [Asset], progress: @Sendable (IngestProgress) -> Void = { _ in }) async throws
        -> RenderReport
    {
        var report = RenderReport()
        var output = assets
        var todo: [Int] = []
        for (index, asset) in assets.enumerated() {
            if asset.files.mesh == nil {
                report.withoutMesh += 1
            } else if isDone(asset) {
                report.alreadyDone += 1
            } else {
                todo.append(index)
            }
        }
        progress(IngestProgress(stage: "render", done: 0, total: todo.count))
        let batch = max(jobs * 8, 16)
        for start in stride(from: 0, to: todo.count, by: batch) {
            let indices = Array(todo[start..<min(start + batch, todo.count)])
            let results = await renderInParallel(indices.map { assets[$0] })
            var updated: [Asset] = []
            for (index, result) in zip(indices, results) {
                var asset = assets[index]
                switch result {
                case .success(let files):
                    asset.views = files.views
                    asset.files.derived = folder(for: asset.id).path
                    asset.files.renderedThumbnail = files.thumbnail
                    asset.files.glb = files.glb
                    asset.extra["derived.render"] = renderer.settings.signature
                    for warning in files.warnings { report.warnings[warning.kind.rawValue, default: 0] += 1 }
                    report.loadSeconds += files.loadSeconds
                    report.rasterSeconds += files.rasterSeconds
                    report.encodeSeconds += files.encodeSeconds
                    report.rendered += 1
                    updated.append(asset)
                case .failure(let error):
                    report.failures[asset.id] = "\(error)"
                    logger.warning("render failed", metadata: ["asset": "\(asset.id)", "error": "\(error)"])
                }
                output[index] = asset
            }
            try await store.upsert(updated)
            progress(IngestProgress(stage: "render", done: start + indices.count, total: todo.count))
        }
        report.assets = output
        return report
    }

    /// Renders assets on `jobs` threads (one asset per thread at a time).
    func renderInParallel(_ assets: [Asset]) async -> [Result<RenderedFiles, any Error>] {
        let renderer = self.renderer
        let folders = assets.map { folder(for: $0.id) }
        return await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                let next = Mutex(0)
                let results = Mutex([Result<RenderedFiles, any Error>?](repeating: nil, count: assets.count))
                DispatchQueue.concurrentPerform(iterations: min(jobs, assets.count)) { _ in
                    while true {
                        let index = next.withLock { value -> Int in
                            defer { value += 1 }
                            return value
                        }
                        guard index < assets.count else { return }
                        let asset = assets[index]
                        let result = Result { () throws -> RenderedFiles in
                            guard let mesh = asset.files.mesh, let url = asset.files.resolve(mesh) else {
                                throw RenderStageError("mesh file \(asset.files.mesh ?? "-") is missing")
                            }
                            return try renderer.render(
                                meshURL: url, rotation: AssetRenderer.rotation(of: asset), into: folders[index])
                        }
                        results.withLock { $0[index] = result }
                    }
                }
                continuation.resume(returning: results.withLock { $0.map { $0 ?? .failure(RenderStageError("not rendered")) } })
            }
        }
    }
}

/// A render-stage problem that is not a mesh error.
struct RenderStageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
