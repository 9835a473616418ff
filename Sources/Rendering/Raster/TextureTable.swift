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
                Entry(
                    levels: texture.mipLevels, base: UnsafePointer(storage + offset), wrapS: texture.wrapS,
                    wrapT: texture.wrapT))
            offset += texture.mipData.count
        }
        self.entries = entries
    }

    deinit {
        storage.deallocate()
    }
}

/// One mip level, sampled bilinearly with wrap modes.
///
/// Hot path: texel coordinates in 24.8 fixed point, one 32-bit load per texel and the bilinear
/// blend on two 16-bit lanes per word (r|b and g|a), so a sample costs a few dozen instructions.
struct TextureLevel {
    let data: UnsafePointer<UInt8>
    let width: Int
    let height: Int
    let wrapS: WrapMode
    let wrapT: WrapMode

    /// Coordinates up to this many texels take the fast fixed-point path.
    static let fastRange: Float = 16_384

    /// `i` wrapped into 0..<n: the common in-range case inline, the rest out of line.
    @inline(__always) static func wrap(_ i: Int, _ n: Int, _ mode: WrapMode) -> Int {
        UInt(bitPattern: i) < UInt(bitPattern: n) ? i : wrapOutside(i, n, mode)  // 0 ≤ i < n in one compare
    }

    @inline(never) static func wrapOutside(_ i: Int, _ n: Int, _ mode: WrapMode) -> Int {
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

    /// A texel coordinate in 24.8 fixed point (rounded to 1/256 texel).
    @inline(__always) static func fixedPoint(_ f: Float) -> Int {
        // Adding 1.5·2²³ rounds to an integer held in the low mantissa bits: no checked
        // conversion, no libm call. Valid while |f·256| < 2²²; NaN and far tiling go out of line.
        guard abs(f) < fastRange else { return fixedPointOutside(f) }
        let magic: Float = 12_582_912
        return Int(Int32(bitPattern: (f * 256 + magic).bitPattern) &- Int32(bitPattern: magic.bitPattern))
    }

    @inline(never) static func fixedPointOutside(_ f: Float) -> Int {
        guard f == f else { return 0 }  // NaN
        let clamped = Double(min(max(f, -1e9), 1e9))
        return Int((clamped * 256).rounded(.down))
    }

    /// a + (b − a)·t/256 on each byte of two packed RGBA texels.
    @inline(__always) static func lerp(_ a: UInt32, _ b: UInt32, _ t: UInt32) -> UInt32 {
        let s = 256 &- t
        let low = (((a & 0x00FF_00FF) &* s &+ (b & 0x00FF_00FF) &* t) >> 8) & 0x00FF_00FF
        let high = ((((a >> 8) & 0x00FF_00FF) &* s &+ ((b >> 8) & 0x00FF_00FF) &* t) >> 8) & 0x00FF_00FF
        return low | high << 8
    }

    /// Bilinear sample at texture coordinates (u, v) (v = 0 at the top row), RGBA in 0…1.
    @inline(__always) func sample(_ u: Float, _ v: Float) -> SIMD4<Float> {
        // Texel centres sit at (i + 0.5) / size.
        let fx = TextureLevel.fixedPoint(u * Float(width) - 0.5), fy = TextureLevel.fixedPoint(v * Float(height) - 0.5)
        let x0 = fx >> 8, y0 = fy >> 8
        let tx = UInt32(truncatingIfNeeded: fx & 255), ty = UInt32(truncatingIfNeeded: fy & 255)
        let xa = TextureLevel.wrap(x0, width, wrapS), xb = TextureLevel.wrap(x0 &+ 1, width, wrapS)
        let ya = TextureLevel.wrap(y0, height, wrapT), yb = TextureLevel.wrap(y0 &+ 1, height, wrapT)
        let words = UnsafeRawPointer(data)
        let rowA = ya &* width, rowB = yb &* width
        let p00 = words.load(fromByteOffset: (rowA &+ xa) &* 4, as: UInt32.self)
        let p10 = words.load(fromByteOffset: (rowA &+ xb) &* 4, as: UInt32.self)
        let p01 = words.load(fromByteOffset: (rowB &+ xa) &* 4, as: UInt32.self)
        let p11 = words.load(fromByteOffset: (rowB &+ xb) &* 4, as: UInt32.self)
        let c = TextureLevel.lerp(TextureLevel.lerp(p00, p10, tx), TextureLevel.lerp(p01, p11, tx), ty)
        return SIMD4(Float(c & 0xFF), Float((c >> 8) & 0xFF), Float((c >> 16) & 0xFF), Float(c >> 24)) * (1 / 255)
    }
}
