/// A mesh made ready for drawing many views: normalised to the unit sphere, attributes
/// sanitised (no NaN reaches the rasterizer), textures in stable memory. Immutable, shared by
/// the threads rendering the views of one call.
struct PreparedMesh: Sendable {
    struct PreparedMaterial: Sendable {
        var base: SIMD4<Float>
        var mode: SurfaceShader.Mode
        var cutoff: Float
        var doubleSided: Bool
    }

    let positions: [SIMD3<Float>]
    let normals: [SIMD3<Float>]
    let texcoords: [SIMD2<Float>]
    let colors: [SIMD4<Float>]
    let submeshes: [Submesh]
    let materials: [PreparedMaterial]
    let textures: TextureTable

    init(_ mesh: Mesh) {
        let transform = mesh.unitSphereTransform
        positions = mesh.positions.map { transform.transformPoint($0) }
        var normals = mesh.normals.map { normalized($0) }
        if normals.count != positions.count {
            var copy = mesh
            copy.computeSmoothNormals()
            normals = copy.normals
        }
        self.normals = normals
        texcoords =
            mesh.texcoords.count == positions.count
            ? mesh.texcoords.map { $0.x.isFinite && $0.y.isFinite ? $0 : .zero } : []
        colors =
            mesh.colors.count == positions.count
            ? mesh.colors.map(PreparedMesh.clamp01) : []
        // Only triangles whose indices are valid; a bad submesh is dropped, not trusted.
        submeshes = mesh.submeshes.filter { submesh in
            submesh.material >= 0 && submesh.material < mesh.materials.count && submesh.indices.count % 3 == 0
                && !submesh.indices.contains { Int($0) >= mesh.positions.count }
        }
        materials = mesh.materials.map { material in
            let base = PreparedMesh.clamp01(material.baseColor)
            var mode = SurfaceShader.Mode.opaque
            var cutoff: Float = 0
            switch material.alphaMode {
            case .opaque: mode = .opaque
            case .mask(let c):
                mode = .mask
                cutoff = c.isFinite ? c : 0.5
            case .blend:
                // Fully opaque "blend" materials (common in exports) skip the sorted pass.
                let translucent = base.w < 0.999 || (material.texture?.hasAlpha ?? false) || !mesh.colors.isEmpty
                mode = translucent ? .blend : .opaque
            }
            return PreparedMaterial(base: base, mode: mode, cutoff: cutoff, doubleSided: material.doubleSided)
        }
        textures = TextureTable(materials: mesh.materials)
    }

    static func clamp01(_ c: SIMD4<Float>) -> SIMD4<Float> {
        SIMD4(
            TriangleRasterizer.clamp01(c.x), TriangleRasterizer.clamp01(c.y), TriangleRasterizer.clamp01(c.z),
            TriangleRasterizer.clamp01(c.w))
    }
}
