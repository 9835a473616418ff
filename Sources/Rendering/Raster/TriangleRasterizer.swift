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
    /// Alpha-to-coverage for cut-outs when supersampling: instead of one cut-off, each sample of
    /// a 2×2 block compares alpha with its own threshold, so the resolved pixel keeps the
    /// texture's (mip-averaged) coverage. Without it, thin features such as nets and grilles
    /// vanish in the smaller mip levels, whose averaged alpha falls below the cut-off.
    var alphaToCoverage = false
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

    static func draw(
        _ v0: ScreenVertex, _ v1: ScreenVertex, _ v2: ScreenVertex, _ shader: SurfaceShader, into fb: FrameBuffer
    ) {
        guard v0.x.isFinite, v0.y.isFinite, v1.x.isFinite, v1.y.isFinite, v2.x.isFinite, v2.y.isFinite else { return }
        @inline(__always) func fixed(_ f: Float) -> Int64 {
            // Round half away from zero without calling roundf (no SSE4.1 on baseline x86-64).
            let scaled = min(max(f, -coordinateLimit), coordinateLimit) * subpixel
            return Int64(scaled + (scaled >= 0 ? 0.5 : -0.5))
        }
        var (a, b, c) = (v0, v1, v2)
        var (ax, ay, bx, by, cx, cy) = (fixed(a.x), fixed(a.y), fixed(b.x), fixed(b.y), fixed(c.x), fixed(c.y))
        let area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
        if area == 0 { return }
        if area < 0 {
            swap(&b, &c)
            swap(&bx, &cx)
            swap(&by, &cy)
        }
        // Exactly the pixels whose sample centre (16p + 8 in fixed point) lies in the bounding box:
        // sub-pixel triangles between sample centres end here, before any setup.
        let minX = max(0, Int((min(ax, bx, cx) + 7) >> 4)), maxX = min(fb.width - 1, Int((max(ax, bx, cx) - 8) >> 4))
        let minY = max(0, Int((min(ay, by, cy) + 7) >> 4)), maxY = min(fb.height - 1, Int((max(ay, by, cy) - 8) >> 4))
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
        let setup = TriangleSetup(
            minX: minX, maxX: maxX, minY: minY, maxY: maxY, edges: edges,
            iw: plane(a.iw, b.iw, c.iw), light: plane(a.light, b.light, c.light),
            u: plane(a.u * a.iw, b.u * b.iw, c.u * c.iw), v: plane(a.v * a.iw, b.v * b.iw, c.v * c.iw),
            colors: (
                plane(a.color.x * a.iw, b.color.x * b.iw, c.color.x * c.iw),
                plane(a.color.y * a.iw, b.color.y * b.iw, c.color.y * c.iw),
                plane(a.color.z * a.iw, b.color.z * b.iw, c.color.z * c.iw),
                plane(a.color.w * a.iw, b.color.w * b.iw, c.color.w * c.iw)
            ))
        var mode = shader.mode
        if shader.texture == nil, !shader.hasColors, mode == .mask {
            // Without texture or vertex colours the alpha test has the same answer everywhere.
            guard shader.base.w >= shader.cutoff else { return }
            mode = .opaque
        }
        // One specialised pixel loop per combination (see TriangleRasterizer+Fill.swift).
        switch (shader.texture != nil, shader.hasColors, mode) {
        case (false, false, .opaque): fill(No.self, No.self, OpaqueFragments.self, setup, shader, fb)
        case (false, false, .mask): fill(No.self, No.self, MaskedFragments.self, setup, shader, fb)
        case (false, false, .blend): fill(No.self, No.self, BlendedFragments.self, setup, shader, fb)
        case (true, false, .opaque): fill(Yes.self, No.self, OpaqueFragments.self, setup, shader, fb)
        case (true, false, .mask): fill(Yes.self, No.self, MaskedFragments.self, setup, shader, fb)
        case (true, false, .blend): fill(Yes.self, No.self, BlendedFragments.self, setup, shader, fb)
        case (false, true, .opaque): fill(No.self, Yes.self, OpaqueFragments.self, setup, shader, fb)
        case (false, true, .mask): fill(No.self, Yes.self, MaskedFragments.self, setup, shader, fb)
        case (false, true, .blend): fill(No.self, Yes.self, BlendedFragments.self, setup, shader, fb)
        case (true, true, .opaque): fill(Yes.self, Yes.self, OpaqueFragments.self, setup, shader, fb)
        case (true, true, .mask): fill(Yes.self, Yes.self, MaskedFragments.self, setup, shader, fb)
        case (true, true, .blend): fill(Yes.self, Yes.self, BlendedFragments.self, setup, shader, fb)
        }
    }

    /// Clamps to 0…1; NaN becomes 0.
    @inline(__always) static func clamp01(_ x: Float) -> Float {
        x > 0 ? (x < 1 ? x : 1) : 0
    }

    /// Premultiplied RGBA8 from straight colour `c` (rgb used) and `alpha` (0…1).
    @inline(__always) static func pack(_ c: SIMD4<Float>, alpha: Float) -> UInt32 {
        let k = alpha * 255
        return toByte(c.x * k) | toByte(c.y * k) << 8 | toByte(c.z * k) << 16 | toByte(k) << 24
    }

    /// Clamps to 0…255 (NaN → 0) and rounds without a checked conversion: adding 2²³ leaves
    /// the rounded value in the low mantissa bits.
    @inline(__always) static func toByte(_ x: Float) -> UInt32 {
        ((x > 0 ? (x < 255 ? x : 255) : 0) + 8_388_608).bitPattern & 0xFF
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
    /// Change of E per pixel to the right, and its reciprocal (0 when the edge is horizontal).
    let step: Int64
    let inverseStep: Float

    init(_ px: Int64, _ py: Int64, _ qx: Int64, _ qy: Int64) {
        self.px = px
        self.py = py
        dx = qx - px
        dy = qy - py
        // A sample exactly on an edge belongs to one of the two triangles sharing it: the edges
        // run in opposite directions there, so a direction test picks exactly one.
        bias = (dy > 0 || (dy == 0 && dx < 0)) ? 0 : -1
        step = -dy * 16
        inverseStep = step == 0 ? 0 : 1 / Float(step)
    }

    /// E at sample (x, y), both in 1/16 pixel.
    @inline(__always) func value(_ x: Int64, _ y: Int64) -> Int64 { dx &* (y &- py) &- dy &* (x &- px) &+ bias }

    /// Narrows the pixel range `first…last` (offsets from the sample at `x`) of row `y` to the
    /// samples this edge keeps: E + step·j ≥ 0. A float estimate of the bound is corrected with
    /// exact integer tests, so the result is exact without an integer division.
    @inline(__always) func clip(_ x: Int64, _ y: Int64, _ first: inout Int, _ last: inout Int) {
        let e = value(x, y)
        if step > 0 {
            guard e < 0 else { return }
            let estimate = Float(-e) * inverseStep
            guard estimate <= Float(last) + 2 else {
                first = last + 1
                return
            }
            var j = Int64(estimate)
            while e &+ step &* j < 0 { j &+= 1 }
            while j > 0, e &+ step &* (j &- 1) >= 0 { j &-= 1 }
            first = max(first, Int(j))
        } else if step < 0 {
            guard e >= 0 else {
                last = -1
                return
            }
            let estimate = -Float(e) * inverseStep
            guard estimate <= Float(last) + 2 else { return }
            var j = Int64(estimate)
            while j > 0, e &+ step &* j < 0 { j &-= 1 }
            while e &+ step &* (j &+ 1) >= 0 { j &+= 1 }
            last = min(last, Int(j))
        } else if e < 0 {
            last = -1
        }
    }
}
