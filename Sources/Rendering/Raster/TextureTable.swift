/// Texture texels of one mesh copied into memory that stays put while views render on several
/// threads (Swift arrays cannot lend a pointer beyond a closure). Read-only after init.
final class TextureTable: @unchecked Sendable {
    /// Per material: its texture's mip chain, or nil.
    let entries: [Entry?]
    private let storage: UnsafeMutablePointer<UInt8>

    struct Entry {
        var levels: [Texture.MipLevel]
        var base: UnsafePointer<UInt8>
        var wrapS: WrapMode
        var wrapT: WrapMode

        /// Level `l` (clamped) as a sampler.
        func level(_ l: Int) -> TextureLevel {
            let level = levels[min(max(0, l), levels.count - 1)]
            return TextureLevel(
                data: base + level.offset, width: level.width, height: level.height, wrapS: wrapS, wrapT: wrapT)
        }
    }

    init(materials: [Material]) {
        let total = materials.reduce(0) { $0 + ($1.texture?.mipData.count ?? 0) }
        let storage = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, total))
        self.storage = storage
        var offset = 0
        var entries: [Entry?] = []
        for material in materials {
            guard let texture = material.texture else {
                entries.append(nil)
                continue
            }
            texture.mipData.withUnsafeBufferPointer { src in
                guard let base = src.baseAddress else { return }
                (storage + offset).initialize(from: base, count: src.count)
            }
            entries.append(
                Entry(levels: texture.mipLevels, base: UnsafePointer(storage + offset), wrapS: texture.wrapS, wrapT: texture.wrapT))
            offset += texture.mipData.count
        }
        self.entries = entries
    }

    deinit {
        storage.deallocate()
    }
}

/// One mip level, sampled bilinearly with wrap modes.
struct TextureLevel {
    let data: UnsafePointer<UInt8>
    let width: Int
    let height: Int
    let wrapS: WrapMode
    let wrapT: WrapMode

    @inline(__always) private static func wrap(_ i: Int, _ n: Int, _ mode: WrapMode) -> Int {
        if i >= 0 && i < n { return i }
        switch mode {
        case .clampToEdge:
            return i < 0 ? 0 : n - 1
        case .repeating:
            let r = i % n
            return r < 0 ? r + n : r
        case .mirroredRepeat:
            let period = 2 * n
            var r = i % period
            if r < 0 { r += period }
            return r < n ? r : period - 1 - r
        }
    }

    /// Bilinear sample at texture coordinates (u, v) (v = 0 at the top row), RGBA in 0…1.
    @inline(__always) func sample(_ u: Float, _ v: Float) -> SIMD4<Float> {
        // Texel centres sit at (i + 0.5) / width. Clamp so garbage coordinates cannot overflow Int.
        let fx = min(max(u * Float(width) - 0.5, -1e7), 1e7)
        let fy = min(max(v * Float(height) - 0.5, -1e7), 1e7)
        guard fx == fx, fy == fy else { return SIMD4(repeating: 1) }  // NaN
        let x0f = fx.rounded(.down), y0f = fy.rounded(.down)
        let tx = fx - x0f, ty = fy - y0f
        let x0 = Int(x0f), y0 = Int(y0f)
        let xa = TextureLevel.wrap(x0, width, wrapS), xb = TextureLevel.wrap(x0 + 1, width, wrapS)
        let ya = TextureLevel.wrap(y0, height, wrapT), yb = TextureLevel.wrap(y0 + 1, height, wrapT)
        let p00 = texel(xa, ya), p10 = texel(xb, ya), p01 = texel(xa, yb), p11 = texel(xb, yb)
        let top = p00 + (p10 - p00) * tx
        let bottom = p01 + (p11 - p01) * tx
        return (top + (bottom - top) * ty) * (1 / 255)
    }

    @inline(__always) private func texel(_ x: Int, _ y: Int) -> SIMD4<Float> {
        let p = data + (y * width + x) * 4
        return SIMD4(Float(p[0]), Float(p[1]), Float(p[2]), Float(p[3]))
    }
}
