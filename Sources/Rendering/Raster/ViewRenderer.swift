import Foundation
import ImageCodec

/// Draws one view of a ``PreparedMesh``: vertex stage, near-plane clipping, back-face handling,
/// opaque and cut-out triangles, then blended triangles back to front.
struct ViewRenderer {
    let mesh: PreparedMesh
    let options: RenderOptions
    /// View-space depth below which geometry is clipped.
    static let near: Float = 0.01

    /// A vertex in view space with its attributes, for clipping.
    private struct ClipVertex {
        var position: SIMD3<Float>
        var u: Float, v: Float, light: Float
        var color: SIMD4<Float>
    }

    /// A deferred translucent triangle.
    private struct Deferred {
        var submesh: Int32
        var offset: Int32
        var depth: Float
    }

    func render(camera: CameraParameters, size: Int) -> Image {
        let factor = options.supersampling
        let side = size * factor
        let fb = FrameBuffer(width: side, height: side)
        let view = camera.viewMatrix
        let focal = Float(1 / tan(camera.fieldOfView * .pi / 360))
        let half = Float(side) / 2

        // Vertex stage: view-space positions, projected positions, light for both sides.
        let count = mesh.positions.count
        var viewPositions = [SIMD3<Float>](repeating: .zero, count: count)
        var screen = [SIMD3<Float>](repeating: .zero, count: count)  // x, y, 1/depth
        var lightFront = [Float](repeating: 0, count: count), lightBack = [Float](repeating: 0, count: count)
        let key = normalized(options.keyDirection), wrap = max(0, options.wrap)
        func light(_ n: SIMD3<Float>) -> Float {
            let keyTerm = max(0, (dot(n, key) + wrap) / (1 + wrap))
            return options.ambient + options.keyLight * keyTerm + options.fillLight * max(0, n.z)
        }
        for i in 0..<count {
            let p = view.transformPoint(mesh.positions[i])
            viewPositions[i] = p
            let depth = -p.z
            let iw = 1 / max(depth, ViewRenderer.near)
            screen[i] = SIMD3(half + p.x * focal * iw * half, half - p.y * focal * iw * half, iw)
            let n = view.transformDirection(mesh.normals[i])
            lightFront[i] = light(n)
            lightBack[i] = light(-n)
        }

        var deferred: [Deferred] = []
        // Back faces of opaque double-sided surfaces wait until every front face is drawn: on
        // closed meshes they are then hidden, and the depth test rejects them before shading.
        var backFaces: [Deferred] = []
        for (s, submesh) in mesh.submeshes.enumerated() {
            let material = mesh.materials[submesh.material]
            let doubleSided: Bool
            switch options.backFaces {
            case .material: doubleSided = material.doubleSided
            case .twoSided: doubleSided = true
            case .cull: doubleSided = false
            }
            let texture = mesh.textures.entries[submesh.material]
            let indices = submesh.indices
            for t in stride(from: 0, to: indices.count, by: 3) {
                let (i0, i1, i2) = (Int(indices[t]), Int(indices[t + 1]), Int(indices[t + 2]))
                let (p0, p1, p2) = (viewPositions[i0], viewPositions[i1], viewPositions[i2])
                let d0 = -p0.z, d1 = -p1.z, d2 = -p2.z
                if d0 < ViewRenderer.near && d1 < ViewRenderer.near && d2 < ViewRenderer.near { continue }
                // Facing in view space (the camera is at the origin): robust for clipped triangles too.
                let front = dot(cross(p1 - p0, p2 - p0), p0) < 0
                if !front && !doubleSided { continue }
                if material.mode == .blend {
                    deferred.append(Deferred(submesh: Int32(s), offset: Int32(t), depth: d0 + d1 + d2))
                    continue
                }
                if !front {
                    backFaces.append(Deferred(submesh: Int32(s), offset: Int32(t), depth: 0))
                    continue
                }
                drawTriangle(
                    (i0, i1, i2), front: front, material: material, texture: texture, screen: screen,
                    viewPositions: viewPositions, lights: front ? lightFront : lightBack, focal: focal, half: half,
                    into: fb)
            }
        }
        // Then hidden-side triangles, then translucent ones, farthest first.
        deferred.sort { $0.depth > $1.depth }
        for item in backFaces + deferred {
            let submesh = mesh.submeshes[Int(item.submesh)]
            let indices = submesh.indices, t = Int(item.offset)
            let (i0, i1, i2) = (Int(indices[t]), Int(indices[t + 1]), Int(indices[t + 2]))
            let (p0, p1, p2) = (viewPositions[i0], viewPositions[i1], viewPositions[i2])
            let front = dot(cross(p1 - p0, p2 - p0), p0) < 0
            drawTriangle(
                (i0, i1, i2), front: front, material: mesh.materials[submesh.material],
                texture: mesh.textures.entries[submesh.material], screen: screen, viewPositions: viewPositions,
                lights: front ? lightFront : lightBack, focal: focal, half: half, into: fb)
        }
        return fb.resolve(factor: factor, background: options.background)
    }

    private func drawTriangle(
        _ corners: (Int, Int, Int), front: Bool, material: PreparedMesh.PreparedMaterial, texture: TextureTable.Entry?,
        screen: [SIMD3<Float>], viewPositions: [SIMD3<Float>], lights: [Float], focal: Float, half: Float,
        into fb: FrameBuffer
    ) {
        let (a, b, c) = corners
        let hasUV = !mesh.texcoords.isEmpty, hasColors = !mesh.colors.isEmpty
        var shader = SurfaceShader(
            base: material.base, texture: nil, hasColors: hasColors, mode: material.mode, cutoff: material.cutoff,
            alphaToCoverage: options.supersampling > 1)
        let near = ViewRenderer.near
        let clipped = -viewPositions[a].z < near || -viewPositions[b].z < near || -viewPositions[c].z < near
        if let texture, hasUV {
            // One mip level per triangle: texels per covered sample, from the two areas.
            let (ta, tb, tc) = (mesh.texcoords[a], mesh.texcoords[b], mesh.texcoords[c])
            let (sa, sb, sc) = (screen[a], screen[b], screen[c])
            let uvArea = abs((tb.x - ta.x) * (tc.y - ta.y) - (tc.x - ta.x) * (tb.y - ta.y))
            let screenArea = abs((sb.x - sa.x) * (sc.y - sa.y) - (sc.x - sa.x) * (sb.y - sa.y))
            let base = texture.levels[0]
            let ratio = uvArea * Float(base.width * base.height) / max(screenArea, 1e-6)
            let lod = clipped || !(ratio > 1) ? 0 : Int(min(0.5 * log2(ratio), 30))
            shader.texture = texture.level(lod)
        }
        func vertex(_ i: Int) -> ScreenVertex {
            let s = screen[i]
            let uv = hasUV ? mesh.texcoords[i] : .zero
            return ScreenVertex(
                x: s.x, y: s.y, iw: s.z, u: uv.x, v: uv.y, light: lights[i],
                color: hasColors ? mesh.colors[i] : SIMD4(repeating: 1))
        }
        guard clipped else {
            TriangleRasterizer.draw(vertex(corners.0), vertex(corners.1), vertex(corners.2), shader, into: fb)
            return
        }
        // Sutherland–Hodgman against depth ≥ near, then fan the polygon.
        let input = [a, b, c].map { i -> ClipVertex in
            let uv = hasUV ? mesh.texcoords[i] : .zero
            return ClipVertex(
                position: viewPositions[i], u: uv.x, v: uv.y, light: lights[i],
                color: hasColors ? mesh.colors[i] : SIMD4(repeating: 1))
        }
        var polygon: [ClipVertex] = []
        for k in 0..<3 {
            let a = input[k], b = input[(k + 1) % 3]
            let da = -a.position.z - ViewRenderer.near, db = -b.position.z - ViewRenderer.near
            if da >= 0 { polygon.append(a) }
            if (da >= 0) != (db >= 0) {
                let t = da / (da - db)
                polygon.append(
                    ClipVertex(
                        position: a.position + (b.position - a.position) * t, u: a.u + (b.u - a.u) * t,
                        v: a.v + (b.v - a.v) * t, light: a.light + (b.light - a.light) * t,
                        color: a.color + (b.color - a.color) * t))
            }
        }
        guard polygon.count >= 3 else { return }
        let projected = polygon.map { c -> ScreenVertex in
            let iw = 1 / max(-c.position.z, ViewRenderer.near)
            return ScreenVertex(
                x: half + c.position.x * focal * iw * half, y: half - c.position.y * focal * iw * half, iw: iw,
                u: c.u, v: c.v, light: c.light, color: c.color)
        }
        for k in 1..<(projected.count - 1) {
            TriangleRasterizer.draw(projected[0], projected[k], projected[k + 1], shader, into: fb)
        }
    }
}
