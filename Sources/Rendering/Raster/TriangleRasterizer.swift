/// A projected vertex: supersampled pixel position, 1/depth, and the attributes to interpolate.
struct ScreenVertex {
    var x: Float
    var y: Float
    /// 1 / view-space depth.
    var iw: Float
    var u: Float
    var v: Float
    var light: Float
    var color: SIMD4<Float>
}

/// Per-triangle shading constants.
struct SurfaceShader {
    /// How fragments are written.
    enum Mode { case opaque, mask, blend }

    var base: SIMD4<Float>
    var texture: TextureLevel?
    var hasColors: Bool
    var mode: Mode
    var cutoff: Float
}

/// Fills triangles into a ``FrameBuffer`` with a z-test.
///
/// Edges use 4-bit sub-pixel fixed point and integer edge functions with a tie-breaking rule,
/// so triangles sharing an edge cover each sample exactly once (no cracks, no double blending).
/// Each row's covered span is solved exactly from the edge equations; attributes are plane
/// equations over the samples, divided by interpolated 1/depth where perspective matters
/// (texture coordinates, vertex colours).
enum TriangleRasterizer {
    static let subpixel: Float = 16
    /// Keeps fixed-point products well inside Int64 for vertices far off screen.
    static let coordinateLimit: Float = 1_048_576

    static func draw(_ v0: ScreenVertex, _ v1: ScreenVertex, _ v2: ScreenVertex, _ shader: SurfaceShader, into fb: FrameBuffer) {
        guard v0.x.isFinite, v0.y.isFinite, v1.x.isFinite, v1.y.isFinite, v2.x.isFinite, v2.y.isFinite else { return }
        func fixed(_ f: Float) -> Int64 {
            Int64((min(max(f, -coordinateLimit), coordinateLimit) * subpixel).rounded())
        }
        var (a, b, c) = (v0, v1, v2)
        var (ax, ay, bx, by, cx, cy) = (fixed(a.x), fixed(a.y), fixed(b.x), fixed(b.y), fixed(c.x), fixed(c.y))
        var area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
        if area == 0 { return }
        if area < 0 {
            swap(&b, &c)
            swap(&bx, &cx)
            swap(&by, &cy)
            area = -area
        }
        // Pixel bounds (sample centres at integer + 0.5).
        let minX = max(0, Int((min(ax, bx, cx) - 8) >> 4)), maxX = min(fb.width - 1, Int((max(ax, bx, cx) + 8) >> 4))
        let minY = max(0, Int((min(ay, by, cy) - 8) >> 4)), maxY = min(fb.height - 1, Int((max(ay, by, cy) + 8) >> 4))
        guard minX <= maxX, minY <= maxY else { return }

        // Edge i is opposite vertex i: E(p) = (Q − P) × (p − P), positive inside.
        let edges = (Edge(bx, by, cx, cy), Edge(cx, cy, ax, ay), Edge(ax, ay, bx, by))

        // Attribute planes in float pixel units from the snapped positions.
        let fa = SIMD2(Float(ax), Float(ay)) / subpixel
        let d1 = SIMD2(Float(bx), Float(by)) / subpixel - fa, d2 = SIMD2(Float(cx), Float(cy)) / subpixel - fa
        let invArea = 1 / (d1.x * d2.y - d1.y * d2.x)
        @inline(__always) func plane(_ f0: Float, _ f1: Float, _ f2: Float) -> Plane {
            let dx = ((f1 - f0) * d2.y - (f2 - f0) * d1.y) * invArea
            let dy = ((f2 - f0) * d1.x - (f1 - f0) * d2.x) * invArea
            return Plane(dx: dx, dy: dy, c: f0 - dx * fa.x - dy * fa.y)
        }
        let iwPlane = plane(a.iw, b.iw, c.iw)
        let lightPlane = plane(a.light, b.light, c.light)
        let textured = shader.texture != nil
        let uPlane = plane(a.u * a.iw, b.u * b.iw, c.u * c.iw), vPlane = plane(a.v * a.iw, b.v * b.iw, c.v * c.iw)
        let ac = a.color * a.iw, bc = b.color * b.iw, cc = c.color * c.iw
        let cr = plane(ac.x, bc.x, cc.x), cg = plane(ac.y, bc.y, cc.y)
        let cb = plane(ac.z, bc.z, cc.z), ca = plane(ac.w, bc.w, cc.w)

        let width = fb.width
        for py in minY...maxY {
            // Solve each edge for the samples of this row it keeps.
            let sy = Int64(py) * 16 + 8, sx0 = Int64(minX) * 16 + 8
            var first = 0, last = maxX - minX
            edges.0.clip(sx0, sy, &first, &last)
            edges.1.clip(sx0, sy, &first, &last)
            edges.2.clip(sx0, sy, &first, &last)
            if first > last { continue }
            let fy = Float(py) + 0.5
            let rowBase = py * width
            for px in (minX + first)...(minX + last) {
                let fx = Float(px) + 0.5
                let iw = iwPlane.at(fx, fy)
                let index = rowBase + px
                if !(iw > fb.depth[index]) { continue }
                var color = shader.base
                if textured || shader.hasColors {
                    let w = 1 / iw
                    if let texture = shader.texture { color *= texture.sample(uPlane.at(fx, fy) * w, vPlane.at(fx, fy) * w) }
                    if shader.hasColors {
                        color *= SIMD4(cr.at(fx, fy), cg.at(fx, fy), cb.at(fx, fy), ca.at(fx, fy)) * w
                    }
                }
                let light = lightPlane.at(fx, fy)
                switch shader.mode {
                case .opaque:
                    fb.color[index] = pack(color * light, alpha: 1)
                    fb.depth[index] = iw
                case .mask:
                    if !(color.w >= shader.cutoff) { continue }
                    fb.color[index] = pack(color * light, alpha: 1)
                    fb.depth[index] = iw
                case .blend:
                    let alpha = clamp01(color.w)
                    fb.color[index] = blend(color * light, alpha: alpha, over: fb.color[index])
                }
            }
        }
    }

    /// Clamps to 0…1; NaN becomes 0.
    @inline(__always) static func clamp01(_ x: Float) -> Float {
        x > 0 ? (x < 1 ? x : 1) : 0
    }

    /// Premultiplied RGBA8 from straight colour `c` (rgb used) and `alpha`.
    @inline(__always) static func pack(_ c: SIMD4<Float>, alpha: Float) -> UInt32 {
        let r = UInt32(clamp01(c.x) * alpha * 255 + 0.5), g = UInt32(clamp01(c.y) * alpha * 255 + 0.5)
        let b = UInt32(clamp01(c.z) * alpha * 255 + 0.5), a = UInt32(alpha * 255 + 0.5)
        return r | g << 8 | b << 16 | a << 24
    }

    /// Source-over of straight colour `c` with `alpha` on premultiplied `dst`.
    @inline(__always) static func blend(_ c: SIMD4<Float>, alpha: Float, over dst: UInt32) -> UInt32 {
        let keep = 1 - alpha
        let r = clamp01(c.x) * alpha * 255 + Float(dst & 0xFF) * keep
        let g = clamp01(c.y) * alpha * 255 + Float((dst >> 8) & 0xFF) * keep
        let b = clamp01(c.z) * alpha * 255 + Float((dst >> 16) & 0xFF) * keep
        let a = alpha * 255 + Float(dst >> 24) * keep
        return UInt32(min(r + 0.5, 255)) | UInt32(min(g + 0.5, 255)) << 8 | UInt32(min(b + 0.5, 255)) << 16
            | UInt32(min(a + 0.5, 255)) << 24
    }
}

/// f(x, y) = dx·x + dy·y + c.
struct Plane {
    var dx: Float
    var dy: Float
    var c: Float

    @inline(__always) func at(_ x: Float, _ y: Float) -> Float { dx * x + dy * y + c }
}

/// An integer edge function with the tie-breaking bias applied.
struct Edge {
    let px: Int64, py: Int64, dx: Int64, dy: Int64, bias: Int64

    init(_ px: Int64, _ py: Int64, _ qx: Int64, _ qy: Int64) {
        self.px = px
        self.py = py
        dx = qx - px
        dy = qy - py
        // A sample exactly on an edge belongs to one of the two triangles sharing it: the edges
        // run in opposite directions there, so a direction test picks exactly one.
        bias = (dy > 0 || (dy == 0 && dx < 0)) ? 0 : -1
    }

    /// E at sample (x, y), both in 1/16 pixel.
    @inline(__always) func value(_ x: Int64, _ y: Int64) -> Int64 { dx * (y - py) - dy * (x - px) + bias }

    /// Narrows the pixel range `first…last` (offsets from the sample at `x`) of row `y` to the
    /// samples this edge keeps: E + step·j ≥ 0, solved exactly in integers.
    @inline(__always) func clip(_ x: Int64, _ y: Int64, _ first: inout Int, _ last: inout Int) {
        let e = value(x, y)
        let step = -dy * 16
        if step > 0 {
            if e < 0 { first = max(first, Int((-e + step - 1) / step)) }
        } else if step < 0 {
            if e < 0 { last = -1 } else { last = min(last, Int(e / -step)) }
        } else if e < 0 {
            last = -1
        }
    }
}
