import ArgumentParser
import Foundation
import ImageCodec
import Rendering

/// `asset3d render`: renders the standard view set (and a thumbnail) of one mesh or of every
/// model in a Sweet Home 3D catalog, with progress, a per-asset report and timings.
struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render multi-view images (and optionally GLB) of a mesh or a whole catalog.",
        discussion: """
            Examples:
              asset3d render --mesh chair.obj --out /tmp/chair
              asset3d render --catalog sh3d --views 8 --size 512 --out data/renders
              asset3d render --catalog sh3d:/path/to/sh3f-folder --no-write   (timing only)
            """)

    @Option(
        help: "Catalog: 'sh3d' (installed Sweet Home 3D furniture) or 'sh3d:DIR' (.sh3f files or extracted libraries).")
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

    @Option(help: "Output folder (default: $ASSET3D_DATA_DIR/renders, or ./data/renders).")
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

    func run() throws {
        let outDir = URL(
            fileURLWithPath: out ?? ((ProcessInfo.processInfo.environment["ASSET3D_DATA_DIR"] ?? "./data") + "/renders")
        )
        var items: [RenderItem]
        if let mesh {
            items = [
                RenderItem(
                    id: URL(fileURLWithPath: mesh).deletingPathExtension().lastPathComponent,
                    model: URL(fileURLWithPath: mesh), rotation: nil)
            ]
        } else {
            items = try SweetHome3DModels.list(catalog ?? "sh3d")
            if let maxAssets { items = Array(items.prefix(maxAssets)) }
        }
        let job = RenderJob(
            viewSet: .standard(count: views, elevation: elevation, size: size),
            options: RenderOptions(
                supersampling: supersampling, background: transparent ? .transparent : .white, parallel: false),
            jpeg: format != "png", glb: glb, outDir: noWrite ? nil : outDir)
        let results = job.run(items, jobs: min(jobs, items.count))
        try printSummary(results)
        if let report {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(results).write(to: URL(fileURLWithPath: report))
        }
        if items.count == 1, results.first?.error != nil { throw ExitCode.failure }
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
        let busy = total(\.load) + total(\.raster) + total(\.encode) + total(\.write)
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
            ("load", \RenderResult.load), ("raster", \.raster), ("encode", \.encode), ("write", \.write),
        ] {
            print(
                String(
                    format: "  %-6@ total %7.1f s (%4.1f%%), mean %6.1f ms, median %6.1f ms/asset", name as NSString,
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
    var vertices = 0
    var triangles = 0
    /// CPU seconds spent per stage (this thread), and when the asset finished (wall seconds since the start).
    var load = 0.0, raster = 0.0, encode = 0.0, write = 0.0, finished = 0.0
}

/// Renders items on `jobs` threads, each asset's views on one thread (parallel across assets is
/// cheaper than across views: loading is then parallel too).
struct RenderJob: Sendable {
    var viewSet: ViewSet
    var options: RenderOptions
    var jpeg: Bool
    var glb: Bool
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
        // Stage times are this thread's CPU time: on a shared machine wall time would also count
        // the time other processes held the core.
        func threadCPU() -> Double {
            var now = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
            return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        }
        var mark = threadCPU()
        func lap() -> Double {
            let now = threadCPU()
            defer { mark = now }
            return now - mark
        }
        do {
            var (mesh, warnings) = try MeshLoader.load(url: item.model)
            if let rotation = item.rotation, let matrix = Matrix4(rowMajor3x3: rotation) {
                mesh = mesh.transformed(by: matrix)
            }
            result.warnings = warnings.map { RenderResult.Warning(kind: $0.kind.rawValue, message: $0.message) }
            result.vertices = mesh.positions.count
            result.triangles = mesh.triangleCount
            result.load = lap()
            let renderer = Renderer(options: options)
            let views = try renderer.renderViews(mesh, viewSet)
            let thumbnail = try renderer.thumbnail(mesh)
            result.raster = lap()
            var files: [(String, Data)] = []
            let ext = jpeg ? "jpg" : "png"
            let named = views.map { ("view-\($0.index).\(ext)", $0.image) } + [("thumbnail.\(ext)", thumbnail.image)]
            for (name, image) in named {
                files.append((name, try jpeg ? JPEGEncoder.encode(image, quality: 90) : PNGEncoder.encode(image)))
            }
            if glb { files.append(("model.glb", try GLBExporter.export(mesh))) }
            let cameras = try JSONEncoder().encode(views.map(\.camera))
            files.append(("cameras.json", cameras))
            result.encode = lap()
            if let outDir {
                let folder = outDir.appendingPathComponent(item.id, isDirectory: true)
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                for (name, data) in files { try data.write(to: folder.appendingPathComponent(name)) }
            }
            result.write = lap()
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

/// The models of Sweet Home 3D furniture libraries, read from their `PluginFurnitureCatalog.properties`.
///
/// A stop-gap for this command until the catalog reader (AssetCatalog) offers the same list:
/// ids follow DESIGN.md (`sh3d-<library file stem>-<N>`).
enum SweetHome3DModels {
    static let installed = "/usr/share/sweethome3d/furniture"

    static func list(_ spec: String) throws -> [RenderItem] {
        guard spec == "sh3d" || spec.hasPrefix("sh3d:") else {
            throw ValidationError("--catalog must be 'sh3d' or 'sh3d:DIR'")
        }
        let folder = URL(fileURLWithPath: spec == "sh3d" ? installed : String(spec.dropFirst(5)), isDirectory: true)
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var items: [RenderItem] = []
        for entry in entries {
            let url = folder.appendingPathComponent(entry)
            var root = url
            if url.pathExtension.lowercased() == "sh3f" {
                root = try extract(url)
            } else if !FileManager.default.fileExists(
                atPath: url.appendingPathComponent("PluginFurnitureCatalog.properties").path)
            {
                continue
            }
            items += try models(in: root, library: url.deletingPathExtension().lastPathComponent)
        }
        return items
    }

    /// Unzips a `.sh3f` once into the temporary folder (`/usr/bin/unzip`).
    private static func extract(_ archive: URL) throws -> URL {
        let target = FileManager.default.temporaryDirectory
            .appendingPathComponent(
                "asset3d-sh3f/\(archive.deletingPathExtension().lastPathComponent)", isDirectory: true)
        let marker = target.appendingPathComponent(".extracted")
        if FileManager.default.fileExists(atPath: marker.path) { return target }
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let unzip = Process()
        unzip.executableURL = URL(fileURLWithPath: "/usr/bin/unzip")
        unzip.arguments = ["-q", "-o", archive.path, "-d", target.path]
        try unzip.run()
        unzip.waitUntilExit()
        guard unzip.terminationStatus == 0 else {
            throw ValidationError("unzip failed for \(archive.lastPathComponent)")
        }
        try Data().write(to: marker)
        return target
    }

    private static func models(in root: URL, library: String) throws -> [RenderItem] {
        let text = try String(
            contentsOf: root.appendingPathComponent("PluginFurnitureCatalog.properties"), encoding: .isoLatin1)
        var values: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
            values[line[..<equals].trimmingCharacters(in: .whitespaces)] = line[line.index(after: equals)...]
                .trimmingCharacters(in: .whitespaces)
        }
        let indices = values.keys.compactMap { $0.hasPrefix("model#") ? Int($0.dropFirst(6)) : nil }.sorted()
        return indices.compactMap { n in
            guard let path = values["model#\(n)"], !path.split(separator: "/").contains("..") else { return nil }
            let rotation = values["modelRotation#\(n)"]?.split(separator: " ").compactMap { Float($0) }
            return RenderItem(id: "sh3d-\(library)-\(n)", model: root.appendingPathComponent(path), rotation: rotation)
        }
    }
}
