import AssetCatalog
import Foundation
import ImageCodec
import Rendering

/// How an asset's views are rendered.
public struct RenderSettings: Sendable, Hashable {
    /// Views around the object (the original demo's `QWEN_NUM_IMAGES`).
    public var views: Int
    /// Side of each view in pixels.
    public var size: Int
    /// Camera elevation in degrees.
    public var elevation: Double
    /// Supersampling factor per axis.
    public var supersampling: Int
    /// Side of the thumbnail.
    public var thumbnailSize: Int
    /// Also export the mesh as GLB for the web viewer.
    public var exportGLB: Bool
    /// PNG instead of JPEG (quality 90); PNG costs ~19× more to encode.
    public var png: Bool
    /// Transparent background (PNG only) instead of white.
    public var transparent: Bool

    public init(views: Int = 8, size: Int = 512, elevation: Double = 20, supersampling: Int = 2,
                thumbnailSize: Int = 256, exportGLB: Bool = true, png: Bool = false, transparent: Bool = false) {
        self.views = views
        self.size = size
        self.elevation = elevation
        self.supersampling = supersampling
        self.thumbnailSize = thumbnailSize
        self.exportGLB = exportGLB
        self.png = png || transparent
        self.transparent = transparent
    }

    /// A short signature stored with the asset: views rendered with other settings are rendered again.
    public var signature: String {
        "\(views)x\(size)@\(elevation)/ss\(supersampling)/t\(thumbnailSize)" + (exportGLB ? "+glb" : "")
            + (png ? (transparent ? "+rgba" : "+png") : "")
    }
}

/// The files one render produced, relative to the asset's derived folder.
public struct RenderedFiles: Sendable {
    public var views: [ViewInfo]
    public var thumbnail: String
    public var glb: String?
    public var warnings: [MeshWarning]
    /// CPU seconds spent loading, rasterising and encoding (this thread).
    public var loadSeconds = 0.0, rasterSeconds = 0.0, encodeSeconds = 0.0
}

/// Renders one mesh into a folder: views (JPEG: PNG costs 19× more to encode and halves throughput),
/// a thumbnail, camera parameters and, optionally, the mesh as GLB. Blocking and CPU-bound: call it
/// from a plain thread, several assets in parallel.
public struct AssetRenderer: Sendable {
    public let settings: RenderSettings

    public init(settings: RenderSettings = RenderSettings()) { self.settings = settings }

    /// Sweet Home 3D's `modelRotation`: nine numbers, a row-major 3×3 matrix.
    public static func rotation(of asset: Asset) -> [Float]? {
        guard let text = asset.extra["modelRotation"] else { return nil }
        let values = text.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Float($0) }
        return values.count == 9 ? values : nil
    }

    /// Renders and encodes; writes the files into `folder` unless it is nil (benchmarks).
    public func render(meshURL: URL, rotation: [Float]?, into folder: URL?) throws -> RenderedFiles {
        var clock = ThreadClock()
        var (mesh, warnings) = try MeshLoader.load(url: meshURL)
        if let rotation, let matrix = Matrix4(rowMajor3x3: rotation) { mesh = mesh.transformed(by: matrix) }
        let load = clock.lap()
        var options = RenderOptions()
        options.supersampling = settings.supersampling
        options.background = settings.transparent ? .transparent : .white
        options.parallel = false  // assets run in parallel already; one thread per asset is faster
        let renderer = Renderer(options: options)
        let views = try renderer.renderViews(
            mesh, ViewSet.standard(count: settings.views, elevation: settings.elevation, size: settings.size))
        let thumbnail = try renderer.thumbnail(mesh, size: settings.thumbnailSize)
        let raster = clock.lap()
        let ext = settings.png ? "png" : "jpg"
        func encode(_ image: Image) throws -> Data {
            try settings.png ? PNGEncoder.encode(image) : JPEGEncoder.encode(image, quality: 90)
        }
        var files: [(String, Data)] = []
        var infos: [ViewInfo] = []
        for view in views {
            let name = "view-\(view.index).\(ext)"
            files.append((name, try encode(view.image)))
            infos.append(ViewInfo(
                index: view.index, path: name, azimuth: view.camera.azimuth, elevation: view.camera.elevation,
                rendered: true))
        }
        files.append(("thumbnail.\(ext)", try encode(thumbnail.image)))
        var glb: String?
        if settings.exportGLB {
            files.append(("model.glb", try GLBExporter.export(mesh)))
            glb = "model.glb"
        }
        files.append(("cameras.json", try JSONEncoder().encode(views.map(\.camera))))
        if let folder {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, data) in files { try data.write(to: folder.appendingPathComponent(name), options: .atomic) }
        }
        let encode = clock.lap()
        return RenderedFiles(
            views: infos, thumbnail: "thumbnail.\(ext)", glb: glb, warnings: warnings, loadSeconds: load,
            rasterSeconds: raster, encodeSeconds: encode)
    }
}

/// CPU time of the calling thread: on a shared machine wall time would also count other processes.
struct ThreadClock {
    private var mark = ThreadClock.now()

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Seconds since the previous lap.
    mutating func lap() -> Double {
        let now = Self.now()
        defer { mark = now }
        return now - mark
    }
}
