import Foundation
import ImageCodec

/// Renders meshes to images with a software rasterizer (no GPU, no display).
///
/// The object is normalised to the unit sphere (bounding-box centre at the origin, farthest
/// vertex at distance 1), so cameras from ``ViewSet`` frame it whatever its units. Thread-safe:
/// a `Renderer` holds only options, and calls share nothing mutable.
public struct Renderer: Sendable {
    /// Largest image side accepted.
    public static let maxSize = 4096

    /// Drawing options.
    public var options: RenderOptions

    /// Creates a renderer with `options`.
    public init(options: RenderOptions = RenderOptions()) {
        self.options = options
    }

    /// Renders one `size`×`size` image of `mesh` seen from `camera`.
    public func render(_ mesh: Mesh, camera: CameraParameters, size: Int) throws(RenderingError) -> Image {
        try validate(size: size, cameras: [camera])
        return ViewRenderer(mesh: PreparedMesh(mesh), options: options).render(camera: camera, size: size)
    }

    /// Renders every view of `viewSet`, in order. The mesh is prepared once; with
    /// ``RenderOptions/parallel`` the views are spread over all cores.
    public func renderViews(_ mesh: Mesh, _ viewSet: ViewSet) throws(RenderingError) -> [RenderedView] {
        try validate(size: viewSet.size, cameras: viewSet.cameras)
        let renderer = ViewRenderer(mesh: PreparedMesh(mesh), options: options)
        let cameras = viewSet.cameras, size = viewSet.size
        let images = ImageSlots(count: cameras.count)
        if options.parallel, cameras.count > 1 {
            DispatchQueue.concurrentPerform(iterations: cameras.count) { i in
                images.store(renderer.render(camera: cameras[i], size: size), at: i)
            }
        } else {
            for i in cameras.indices { images.store(renderer.render(camera: cameras[i], size: size), at: i) }
        }
        return cameras.indices.compactMap { i in
            images.image(at: i).map { RenderedView(index: i, camera: cameras[i], image: $0) }
        }
    }

    /// The result-grid thumbnail: ``ViewSet/thumbnail(size:fieldOfView:)`` rendered.
    public func thumbnail(_ mesh: Mesh, size: Int = 256) throws(RenderingError) -> RenderedView {
        let viewSet = ViewSet.thumbnail(size: size)
        let image = try render(mesh, camera: viewSet.cameras[0], size: size)
        return RenderedView(index: 0, camera: viewSet.cameras[0], image: image)
    }

    private func validate(size: Int, cameras: [CameraParameters]) throws(RenderingError) {
        guard size >= 1, size <= Renderer.maxSize else {
            throw RenderingError(.invalidParameter, "image size \(size) is outside 1…\(Renderer.maxSize)")
        }
        guard (1...4).contains(options.supersampling) else {
            throw RenderingError(.invalidParameter, "supersampling \(options.supersampling) is outside 1…4")
        }
        guard [options.ambient, options.keyLight, options.fillLight, options.wrap].allSatisfy(\.isFinite) else {
            throw RenderingError(.invalidParameter, "lighting parameters must be finite")
        }
        for camera in cameras { try camera.validate() }
    }
}

/// One slot per view, each written by exactly one thread.
private final class ImageSlots: @unchecked Sendable {
    private var images: [Image?]
    private let lock = NSLock()

    init(count: Int) {
        images = Array(repeating: nil, count: count)
    }

    func store(_ image: Image, at index: Int) {
        lock.lock()
        images[index] = image
        lock.unlock()
    }

    func image(at index: Int) -> Image? {
        lock.lock()
        defer { lock.unlock() }
        return images[index]
    }
}
