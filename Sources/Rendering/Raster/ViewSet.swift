import ImageCodec

/// A list of cameras rendered at one resolution.
public struct ViewSet: Sendable, Equatable, Codable {
    /// The cameras, in view-index order.
    public var cameras: [CameraParameters]
    /// Width and height of every image in pixels.
    public var size: Int

    /// Creates a view set from explicit cameras.
    public init(cameras: [CameraParameters], size: Int) {
        self.cameras = cameras
        self.size = size
    }

    /// The default field of view in degrees.
    public static let defaultFieldOfView = 40.0

    /// `count` views evenly spaced in azimuth starting at the front (0°, 45°, … for 8), all at
    /// `elevation` degrees, framing the unit sphere; `size`×`size` pixels.
    /// The default count matches the original demo's `QWEN_NUM_IMAGES` (8).
    public static func standard(
        count: Int = 8, elevation: Double = 20, size: Int = 512, fieldOfView: Double = defaultFieldOfView
    ) -> ViewSet {
        let distance = CameraParameters.framingDistance(fieldOfView: fieldOfView)
        let cameras = (0..<max(0, count)).map { i in
            CameraParameters(
                azimuth: 360 * Double(i) / Double(count), elevation: elevation, distance: distance,
                fieldOfView: fieldOfView)
        }
        return ViewSet(cameras: cameras, size: size)
    }

    /// One three-quarter view from the front left and slightly above (like catalog icons), for
    /// result grids.
    public static func thumbnail(size: Int = 256, fieldOfView: Double = defaultFieldOfView) -> ViewSet {
        let camera = CameraParameters(
            azimuth: -35, elevation: 25, distance: CameraParameters.framingDistance(fieldOfView: fieldOfView),
            fieldOfView: fieldOfView)
        return ViewSet(cameras: [camera], size: size)
    }
}

/// One rendered image and the camera it was taken with.
public struct RenderedView: Sendable, Equatable {
    /// Position in the view set.
    public var index: Int
    /// The camera (object normalised to the unit sphere).
    public var camera: CameraParameters
    /// The image: RGB on a white background, RGBA on a transparent one.
    public var image: Image

    /// Creates a rendered view.
    public init(index: Int, camera: CameraParameters, image: Image) {
        self.index = index
        self.camera = camera
        self.image = image
    }
}
