/// Everything the pixel loop needs about one triangle.
struct TriangleSetup {
    let minX: Int, maxX: Int, minY: Int, maxY: Int
    let edges: (Edge, Edge, Edge)
    /// 1/depth, light, and (divided by depth) texture coordinates and vertex colour.
    let iw: Plane, light: Plane, u: Plane, v: Plane
    let colors: (Plane, Plane, Plane, Plane)
}

/// Compile-time switches for the specialised pixel loops: generic parameters are specialised
/// by the optimiser, so each combination gets a loop without the branches it does not need.
protocol StaticFlag { static var isOn: Bool { get } }
enum Yes: StaticFlag { static var isOn: Bool { true } }
enum No: StaticFlag { static var isOn: Bool { false } }

protocol FragmentMode { static var mode: SurfaceShader.Mode { get } }
enum OpaqueFragments: FragmentMode { static var mode: SurfaceShader.Mode { .opaque } }
enum MaskedFragments: FragmentMode { static var mode: SurfaceShader.Mode { .mask } }
enum BlendedFragments: FragmentMode { static var mode: SurfaceShader.Mode { .blend } }

extension TriangleRasterizer {
    /// Shades the covered samples of one triangle, row span by row span.
    static func fill<Textured: StaticFlag, Colored: StaticFlag, Mode: FragmentMode>(
        _: Textured.Type, _: Colored.Type, _: Mode.Type, _ t: TriangleSetup, _ shader: SurfaceShader, _ fb: FrameBuffer
    ) {
        let depth = fb.depth, color = fb.color, width = fb.width
        let base = shader.base, cutoff = shader.cutoff
        let texture = shader.texture
        let colorStep = SIMD4(t.colors.0.dx, t.colors.1.dx, t.colors.2.dx, t.colors.3.dx)
        let sx0 = Int64(t.minX) &* 16 &+ 8
        // Ordered-dither thresholds of a 2×2 sample block (Bayer), used for alpha-to-coverage.
        let dither = shader.alphaToCoverage
        let evenRow: (Float, Float) = dither ? (0.125, 0.625) : (cutoff, cutoff)
        let oddRow: (Float, Float) = dither ? (0.875, 0.375) : (cutoff, cutoff)
        for py in t.minY...t.maxY {
            var first = 0, last = t.maxX - t.minX
            let sy = Int64(py) &* 16 &+ 8
            t.edges.0.clip(sx0, sy, &first, &last)
            t.edges.1.clip(sx0, sy, &first, &last)
            t.edges.2.clip(sx0, sy, &first, &last)
            if first > last { continue }
            let fx = Float(t.minX + first) + 0.5, fy = Float(py) + 0.5
            var iw = t.iw.at(fx, fy), light = t.light.at(fx, fy)
            var u: Float = 0, v: Float = 0, vertexColor = SIMD4<Float>.zero
            if Textured.isOn {
                u = t.u.at(fx, fy)
                v = t.v.at(fx, fy)
            }
            if Colored.isOn {
                vertexColor = SIMD4(
                    t.colors.0.at(fx, fy), t.colors.1.at(fx, fy), t.colors.2.at(fx, fy), t.colors.3.at(fx, fy))
            }
            let rowBase = py &* width &+ t.minX
            let thresholds = py & 1 == 0 ? evenRow : oddRow
            let rowStart = py &* width
            var index = rowBase &+ first
            let end = rowBase &+ last
            while index <= end {
                if iw > depth[index] {
                    var fragment = base
                    if Textured.isOn || Colored.isOn {
                        let w = 1 / iw
                        if Textured.isOn, let texture { fragment *= texture.sample(u * w, v * w) }
                        if Colored.isOn { fragment *= vertexColor * w }
                    }
                    switch Mode.mode {
                    case .opaque:
                        depth[index] = iw
                        color[index] = pack(fragment * light, alpha: 1)
                    case .mask:
                        if fragment.w >= ((index &- rowStart) & 1 == 0 ? thresholds.0 : thresholds.1) {
                            depth[index] = iw
                            color[index] = pack(fragment * light, alpha: 1)
                        }
                    case .blend:
                        color[index] = blend(fragment * light, alpha: clamp01(fragment.w), over: color[index])
                    }
                }
                index &+= 1
                iw += t.iw.dx
                light += t.light.dx
                if Textured.isOn {
                    u += t.u.dx
                    v += t.v.dx
                }
                if Colored.isOn { vertexColor += colorStep }
            }
        }
    }
}
