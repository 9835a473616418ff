/// A triangle mesh in memory: one shared vertex pool and one index list per material.
///
/// Conventions: y is up and the object's front faces +z (Sweet Home 3D and glTF); texture
/// coordinates follow glTF (v = 0 is the top row of the image); colours are display (sRGB) values
/// in 0…1. Every attribute array is either empty or has `positions.count` elements.
public struct Mesh: Sendable, Equatable {
    /// Vertex positions in model units.
    public var positions: [SIMD3<Float>]
    /// Unit vertex normals; loaders always fill them (computing them when the file has none).
    public var normals: [SIMD3<Float>]
    /// Texture coordinates, or empty.
    public var texcoords: [SIMD2<Float>]
    /// RGBA vertex colours multiplying the material colour, or empty.
    public var colors: [SIMD4<Float>]
    /// Triangle lists, one per material.
    public var submeshes: [Submesh]
    /// Materials referenced by ``Submesh/material``.
    public var materials: [Material]

    /// Creates a mesh; ``validate()`` checks the invariants.
    public init(
        positions: [SIMD3<Float>], normals: [SIMD3<Float>] = [], texcoords: [SIMD2<Float>] = [],
        colors: [SIMD4<Float>] = [], submeshes: [Submesh], materials: [Material]
    ) {
        self.positions = positions
        self.normals = normals
        self.texcoords = texcoords
        self.colors = colors
        self.submeshes = submeshes
        self.materials = materials
    }

    /// Number of triangles over all submeshes.
    public var triangleCount: Int { submeshes.reduce(0) { $0 + $1.indices.count / 3 } }

    /// Throws unless attribute counts match, indices are in range, material indices exist and
    /// positions are finite. Loaders call it before returning a mesh.
    public func validate() throws(RenderingError) {
        let n = positions.count
        guard normals.isEmpty || normals.count == n, texcoords.isEmpty || texcoords.count == n,
            colors.isEmpty || colors.count == n
        else { throw RenderingError(.malformed, "vertex attribute counts differ from the position count") }
        guard positions.allSatisfy({ $0.x.isFinite && $0.y.isFinite && $0.z.isFinite }) else {
            throw RenderingError(.malformed, "a vertex position is not a finite number")
        }
        for submesh in submeshes {
            guard submesh.indices.count % 3 == 0 else {
                throw RenderingError(.malformed, "an index list is not a whole number of triangles")
            }
            guard submesh.material >= 0, submesh.material < materials.count else {
                throw RenderingError(.outOfRange, "a submesh names material \(submesh.material) of \(materials.count)")
            }
            if let bad = submesh.indices.first(where: { Int($0) >= n }) {
                throw RenderingError(.outOfRange, "vertex index \(bad) is out of range (\(n) vertices)")
            }
        }
    }
}

/// Triangles drawn with one material.
public struct Submesh: Sendable, Equatable {
    /// Vertex indices, three per triangle, counter-clockwise for the front face.
    public var indices: [UInt32]
    /// Index into ``Mesh/materials``.
    public var material: Int

    /// Creates a triangle list for `material`.
    public init(indices: [UInt32], material: Int) {
        self.indices = indices
        self.material = material
    }
}

/// How a material's alpha is used.
public enum AlphaMode: Sendable, Equatable {
    /// Alpha is ignored.
    case opaque
    /// Fragments with alpha below the cut-off are discarded; the rest are opaque.
    case mask(cutoff: Float)
    /// Fragments are blended over what is behind them (drawn after opaque geometry, back to front).
    case blend
}

/// A surface's appearance: base colour (× texture × vertex colour), opacity and sidedness.
public struct Material: Sendable, Equatable {
    /// Name from the source file (for messages and export).
    public var name: String
    /// RGBA base colour, display (sRGB) values in 0…1; alpha is opacity.
    public var baseColor: SIMD4<Float>
    /// Base colour texture multiplying ``baseColor``, if any.
    public var texture: Texture?
    /// How alpha is used.
    public var alphaMode: AlphaMode
    /// Whether back faces are drawn (and lit from their own side).
    public var doubleSided: Bool

    /// Creates a material.
    public init(
        name: String, baseColor: SIMD4<Float> = SIMD4(0.8, 0.8, 0.8, 1), texture: Texture? = nil,
        alphaMode: AlphaMode = .opaque, doubleSided: Bool = true
    ) {
        self.name = name
        self.baseColor = baseColor
        self.texture = texture
        self.alphaMode = alphaMode
        self.doubleSided = doubleSided
    }
}
