import ArgumentParser
import AssetCatalog
import Foundation
import Ingestion
import Rendering
import Settings

/// `asset3d render`: renders the standard view set (and a thumbnail) of one mesh or of every
/// model in a Sweet Home 3D catalog, with progress, a per-asset report and timings.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render multi-view images (and optionally GLB) of a mesh or a whole catalog.",
        discussion: """
            Examples:
              asset3d render --mesh chair.obj --out /tmp/chair
              asset3d render --catalog sh3d --views 8 --size 512 --out data/renders
              asset3d render --catalog sh3d:/path/to/sh3f-folder --no-write   (timing only)
            `asset3d ingest --render` renders into the store instead (views, thumbnails, GLB for the page).
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Catalog: sh3d, sh3d:DIR or folder:PATH.")
    var catalog: String?

    @Option(help: "One mesh file (OBJ, glTF or GLB).")
    var mesh: String?

    @Option(help: "Views per asset, evenly spaced in azimuth.")
    var views = 8

    @Option(help: "Image width and height in pixels.")
    var size = 512

    @Option(help: "Camera elevation in degrees.")
    var elevation = 20.0

    @Option(help: "Supersampling factor per axis (1–4).")
    var supersampling = 2

    @Option(help: "Image format: jpeg (quality 90, ~20× faster to encode) or png.")
    var format = "jpeg"

    @Flag(help: "Transparent background (RGBA PNG) instead of white.")
    var transparent = false

    @Option(help: "Output folder (default: <data dir>/renders).")
    var out: String?

    @Flag(help: "Also export each asset as model.glb.")
    var glb = false

    @Flag(help: "Render and encode but write no files (benchmark).")
    var noWrite = false

    @Option(help: "Stop after this many catalog assets.")
    var maxAssets: Int?

    @Option(help: "Assets rendered at the same time (default: one per core).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Write a JSON report (status, warnings, timings per asset) to this file.")
    var report: String?

    func validate() throws {
        guard (catalog == nil) != (mesh == nil) else {
            throw ValidationError("give exactly one of --catalog or --mesh")
        }
        guard views >= 1, views <= 64 else { throw ValidationError("--views must be 1…64") }
        guard (16...Renderer.maxSize).contains(size) else {
            throw ValidationError("--size must be 16…\(Renderer.maxSize)")
        }
        guard (1...4).contains(supersampling) else { throw ValidationError("--supersampling must be 1…4") }
        guard ["png", "jpeg", "jpg"].contains(format) else { throw ValidationError("--format must be png or jpeg") }
        guard !transparent || format == "png" else { throw ValidationError("--transparent needs --format png") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
    }

    func run() async throws {
        let settings = try await global.settings()
        let outDir = out.map { URL(fileURLWithPath: $0) } ?? settings.dataDirectory.appendingPathComponent("renders")
        var items: [RenderItem]
        if let mesh {
            items = [
                RenderItem(
                    id: URL(fileURLWithPath: mesh).deletingPathExtension().lastPathComponent,
                    model: URL(fileURLWithPath: mesh), rotation: nil)
            ]
        } else {
            items = try Self.catalogItems(catalog ?? "sh3d", dataDirectory: settings.dataDirectory, limit: maxAssets)
        }
        let renderer = AssetRenderer(
            settings: RenderSettings(
                views: views, size: size, elevation: elevation, supersampling: supersampling, exportGLB: glb,
                png: format == "png", transparent: transparent))
        let results = RenderJob(renderer: renderer, outDir: noWrite ? nil : outDir).run(items, jobs: min(jobs, items.count))
        try printSummary(results)
        if let report {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(results).write(to: URL(fileURLWithPath: report))
        }
        if items.count == 1, results.first?.error != nil { throw ExitCode.failure }
    }

    /// The meshes of a catalog, its files made available (archives extracted under the data directory).
    static func catalogItems(_ spec: String, dataDirectory: URL, limit: Int?) throws -> [RenderItem] {
        let catalog = try CatalogSpec(parsing: spec).open(dataDirectory: dataDirectory)
        var assets = try catalog.read().assets.filter { $0.files.mesh != nil }
        if let limit { assets = Array(assets.prefix(limit)) }
        let failures = catalog.materialize(assets)
        for (id, error) in failures.sorted(by: { $0.key < $1.key }) {
            FileHandle.standardError.write(Data("skipped \(id): \(error)\n".utf8))
        }
        return assets.compactMap { asset in
            guard failures[asset.id] == nil, let mesh = asset.files.mesh, let url = asset.files.resolve(mesh) else {
                return nil
            }
            return RenderItem(id: asset.id.rawValue, model: url, rotation: AssetRenderer.rotation(of: asset))
        }
    }

    private func printSummary(_ results: [RenderResult]) throws {
        let ok = results.filter { $0.error == nil }
        let setting = "\(views) views at \(size)², supersampling \(supersampling)"
        print("rendered \(ok.count) of \(results.count) assets (\(setting))")
        for failed in results where failed.error != nil { print("  FAILED \(failed.id): \(failed.error ?? "")") }
        var kinds: [String: Int] = [:]
        for result in results { for kind in Set(result.warnings.map(\.kind)) { kinds[kind, default: 0] += 1 } }
        for (kind, count) in kinds.sorted(by: { $0.key < $1.key }) { print("  assets with \(kind) warnings: \(count)") }
        guard let wall = results.map(\.finished).max() else { return }
        func total(_ key: KeyPath<RenderResult, Double>) -> Double { ok.reduce(0) { $0 + $1[keyPath: key] } }
        func median(_ key: KeyPath<RenderResult, Double>) -> Double {
            let sorted = ok.map { $0[keyPath: key] }.sorted()
            return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
        }
        let busy = total(\.load) + total(\.raster) + total(\.encode)
        print(
            String(
                format: "wall %.1f s, %.2f assets/s, %d jobs", wall, Double(ok.count) / max(wall, 1e-9),
                min(jobs, results.count)))
        // On a shared machine wall time counts other people's work; CPU time does not.
        let cpu = Double(clock()) / Double(CLOCKS_PER_SEC)
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        print(
            String(
                format: "cpu %.1f s (%.1f ms/asset) → %.2f assets/s if all %.0f cores were ours",
                cpu, 1000 * cpu / Double(max(ok.count, 1)), cores * Double(ok.count) / max(cpu, 1e-9), cores))
        print("CPU time by stage (each asset on one thread):")
        for (name, key) in [
            ("load", \RenderResult.load), ("raster", \.raster), ("encode+write", \.encode),
        ] {
            print(
                String(
                    format: "  %-12@ total %7.1f s (%4.1f%%), mean %6.1f ms, median %6.1f ms/asset", name as NSString,
                    total(key), 100 * total(key) / max(busy, 1e-9), 1000 * total(key) / Double(max(ok.count, 1)),
                    1000 * median(key)))
        }
    }
}

/// One mesh to render.
struct RenderItem: Sendable {
    var id: String
    var model: URL
    /// Sweet Home 3D `modelRotation` (row-major 3×3), applied before rendering.
    var rotation: [Float]?
}

/// What happened to one asset (also the JSON report's rows).
struct RenderResult: Codable, Sendable {
    struct Warning: Codable, Sendable {
        var kind: String
        var message: String
    }

    var id: String
    var model: String
    var error: String?
    var warnings: [Warning] = []
    /// CPU seconds spent per stage (this thread), and when the asset finished (wall seconds since the start).
    var load = 0.0, raster = 0.0, encode = 0.0, finished = 0.0
}

/// Renders items on `jobs` threads, each asset's views on one thread (parallel across assets is
/// cheaper than across views: loading is then parallel too).
struct RenderJob: Sendable {
    var renderer: AssetRenderer
    var outDir: URL?

    func run(_ items: [RenderItem], jobs: Int) -> [RenderResult] {
        let start = Date()
        let state = ProgressState(count: items.count)
        DispatchQueue.concurrentPerform(iterations: max(1, jobs)) { _ in
            while let index = state.next() {
                var result = render(items[index])
                result.finished = Date().timeIntervalSince(start)
                state.finish(index, result)
            }
        }
        return state.results()
    }

    private func render(_ item: RenderItem) -> RenderResult {
        var result = RenderResult(id: item.id, model: item.model.path)
        do {
            let folder = outDir?.appendingPathComponent(
                item.id.replacingOccurrences(of: "/", with: "_"), isDirectory: true)
            let files = try renderer.render(meshURL: item.model, rotation: item.rotation, into: folder)
            result.warnings = files.warnings.map { RenderResult.Warning(kind: $0.kind.rawValue, message: $0.message) }
            result.load = files.loadSeconds
            result.raster = files.rasterSeconds
            result.encode = files.encodeSeconds
        } catch {
            result.error = "\(error)"
        }
        return result
    }
}

/// Work queue and results shared by the render threads.
private final class ProgressState: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private var done = 0
    private var slots: [RenderResult?]

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func next() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < slots.count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    func finish(_ index: Int, _ result: RenderResult) {
        lock.lock()
        slots[index] = result
        done += 1
        let line =
            "[\(done)/\(slots.count)] \(result.id) "
            + (result.error.map { "FAILED: \($0)" } ?? "ok (\(result.warnings.count) warnings)")
        lock.unlock()
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    func results() -> [RenderResult] {
        lock.lock()
        defer { lock.unlock() }
        return slots.compactMap { $0 }
    }
}
