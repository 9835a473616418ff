import ImageCodec

/// How texture coordinates outside 0…1 are mapped (glTF sampler `wrapS`/`wrapT`).
public enum WrapMode: Sendable, Equatable {
    /// Tile the image (glTF 10497, the default).
    case repeating
    /// Use the edge texel (glTF 33071).
    case clampToEdge
    /// Tile, mirroring every other copy (glTF 33648).
    case mirroredRepeat
}

/// The encoded bytes a texture was decoded from, kept so export can embed them unchanged.
public struct EncodedImage: Sendable, Equatable {
    /// The file's bytes.
    public var data: [UInt8]
    /// `image/png` or `image/jpeg` (glTF only allows these two without extensions).
    public var mimeType: String

    /// Wraps already-encoded bytes of `mimeType`.
    public init(data: [UInt8], mimeType: String) {
        self.data = data
        self.mimeType = mimeType
    }
}

/// A base-colour texture: the decoded image, its wrap modes, and a mip chain for rendering.
public struct Texture: Sendable, Equatable {
    /// The decoded image as given (1–4 channels, top row first).
    public let image: Image
    /// Wrap mode along u.
    public var wrapS: WrapMode
    /// Wrap mode along v.
    public var wrapT: WrapMode
    /// The original encoded file when it is PNG or JPEG (embedded as-is by ``GLBExporter``).
    public var encoded: EncodedImage?
    /// Whether some texel has alpha below 255.
    public let hasAlpha: Bool
    /// Whether the alpha channel is mostly fully transparent or fully opaque, i.e. a cut-out
    /// (leaves, grilles) better drawn with ``AlphaMode/mask(cutoff:)`` than blended.
    public let alphaIsBinary: Bool

    /// RGBA8 texels of every mip level, level 0 first.
    let mipData: [UInt8]
    /// Size and offset of each level in ``mipData``.
    let mipLevels: [MipLevel]

    /// Creates a texture from a decoded image; builds the RGBA mip chain used for sampling.
    public init(image: Image, wrapS: WrapMode = .repeating, wrapT: WrapMode = .repeating, encoded: EncodedImage? = nil)
    {
        self.image = image
        self.wrapS = wrapS
        self.wrapT = wrapT
        self.encoded = encoded
        // An empty image samples as white rather than dividing by zero.
        let usable = image.width > 0 && image.height > 0
        let (rgba, alphaStats) = usable ? Texture.expandToRGBA(image) : ([255, 255, 255, 255], AlphaStats())
        hasAlpha = alphaStats.partial + alphaStats.zero > 0
        // A cut-out (leaves, grilles, unused atlas areas) has few intermediate texels, only soft
        // edges: up to a quarter of the non-opaque ones (measured on the Sweet Home 3D textures:
        // branches 22 %, vehicle atlases 6–20 %; flames, eyelashes and shadow decals 30–100 %).
        alphaIsBinary = alphaStats.partial * 4 <= (alphaStats.partial + alphaStats.zero)
        (mipData, mipLevels) = Texture.buildMipChain(
            rgba, width: usable ? image.width : 1, height: usable ? image.height : 1)
    }

    /// One level of the mip chain.
    struct MipLevel: Sendable, Equatable {
        var width: Int
        var height: Int
        var offset: Int
    }

    /// Counts of texels by alpha class.
    struct AlphaStats {
        var zero = 0
        var partial = 0
    }

    /// Expands 1–4 channel pixels to RGBA and counts alpha classes.
    static func expandToRGBA(_ image: Image) -> ([UInt8], AlphaStats) {
        let count = image.width * image.height
        var stats = AlphaStats()
        if image.channels == 4 {
            for i in stride(from: 3, to: image.pixels.count, by: 4) {
                let a = image.pixels[i]
                if a == 0 { stats.zero += 1 } else if a < 250 { stats.partial += 1 }
            }
            return (image.pixels, stats)
        }
        var out = [UInt8](repeating: 255, count: count * 4)
        image.pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for i in 0..<count {
                    switch image.channels {
                    case 1:
                        let g = src[i]
                        dst[4 * i] = g; dst[4 * i + 1] = g; dst[4 * i + 2] = g
                    case 2:
                        let g = src[2 * i], a = src[2 * i + 1]
                        dst[4 * i] = g; dst[4 * i + 1] = g; dst[4 * i + 2] = g; dst[4 * i + 3] = a
                        if a == 0 { stats.zero += 1 } else if a < 250 { stats.partial += 1 }
                    default:
                        dst[4 * i] = src[3 * i]; dst[4 * i + 1] = src[3 * i + 1]; dst[4 * i + 2] = src[3 * i + 2]
                    }
                }
            }
        }
        return (out, stats)
    }

    /// Box-filters level after level down to 1×1; all levels in one array.
    static func buildMipChain(_ base: [UInt8], width: Int, height: Int) -> ([UInt8], [MipLevel]) {
        var levels = [MipLevel(width: width, height: height, offset: 0)]
        var total = width * height * 4
        var (w, h) = (width, height)
        while w > 1 || h > 1 {
            (w, h) = (max(1, w / 2), max(1, h / 2))
            levels.append(MipLevel(width: w, height: h, offset: total))
            total += w * h * 4
        }
        var data = [UInt8](repeating: 0, count: total)
        data.withUnsafeMutableBufferPointer { out in
            base.withUnsafeBufferPointer { src in
                for i in 0..<src.count { out[i] = src[i] }
            }
            for l in 1..<levels.count {
                let p = levels[l - 1], c = levels[l]
                // Each child texel averages the (up to) 2×2 parent texels it covers.
                for y in 0..<c.height {
                    let y0 = min(2 * y, p.height - 1), y1 = min(2 * y + 1, p.height - 1)
                    for x in 0..<c.width {
                        let x0 = min(2 * x, p.width - 1), x1 = min(2 * x + 1, p.width - 1)
                        let a = p.offset + (y0 * p.width + x0) * 4, b = p.offset + (y0 * p.width + x1) * 4
                        let d = p.offset + (y1 * p.width + x0) * 4, e = p.offset + (y1 * p.width + x1) * 4
                        let o = c.offset + (y * c.width + x) * 4
                        for k in 0..<4 {
                            let sum = Int(out[a + k]) + Int(out[b + k]) + Int(out[d + k]) + Int(out[e + k])
                            out[o + k] = UInt8((sum + 2) >> 2)
                        }
                    }
                }
            }
        }
        return (data, levels)
    }
}
