/// What is behind the object.
public enum Background: Sendable, Equatable {
    /// Opaque white; images have 3 channels (RGB).
    case white
    /// Transparent; images have 4 channels (RGBA, straight alpha).
    case transparent
}

/// Which triangles are drawn from behind.
public enum BackFaceMode: Sendable, Equatable {
    /// Follow each material's ``Material/doubleSided``.
    case material
    /// Draw every back face, lit from its own side (safe for open or inconsistently wound meshes).
    case twoSided
    /// Never draw back faces.
    case cull
}

/// How the ``Renderer`` draws: resolution-independent settings.
public struct RenderOptions: Sendable, Equatable {
    /// Samples per pixel along each axis (2 = 2×2 supersampling); 1…4.
    public var supersampling: Int
    /// Background.
    public var background: Background
    /// Back-face handling.
    public var backFaces: BackFaceMode
    /// Light that reaches every surface (0…1).
    public var ambient: Float
    /// Strength of the key light (upper left, in front of the object).
    public var keyLight: Float
    /// Strength of the fill light coming from the camera.
    public var fillLight: Float
    /// Key light direction in camera space (x right, y up, z towards the viewer); normalised on use.
    public var keyDirection: SIMD3<Float>
    /// How far the key light wraps around the terminator (0 = hard Lambert, 1 = half-Lambert);
    /// the "soft" in soft key light.
    public var wrap: Float
    /// Render the views of one call on several threads.
    public var parallel: Bool

    /// Defaults: 2×2 supersampling, white background, per-material back faces, ambient 0.35,
    /// key 0.55 from the upper left, fill 0.25, wrap 0.3, parallel.
    public init(
        supersampling: Int = 2, background: Background = .white, backFaces: BackFaceMode = .material,
        ambient: Float = 0.35, keyLight: Float = 0.55, fillLight: Float = 0.25,
        keyDirection: SIMD3<Float> = SIMD3(-0.5, 0.75, 0.45), wrap: Float = 0.3, parallel: Bool = true
    ) {
        self.supersampling = supersampling
        self.background = background
        self.backFaces = backFaces
        self.ambient = ambient
        self.keyLight = keyLight
        self.fillLight = fillLight
        self.keyDirection = keyDirection
        self.wrap = wrap
        self.parallel = parallel
    }

    /// Lighting of flat colour only: ambient 1, no lights (used by golden tests: exact colours).
    public static var unlit: RenderOptions {
        RenderOptions(ambient: 1, keyLight: 0, fillLight: 0)
    }
}
