/// An axis-aligned box.
public struct BoundingBox: Sendable, Equatable {
    /// Smallest coordinates.
    public var min: SIMD3<Float>
    /// Largest coordinates.
    public var max: SIMD3<Float>

    /// Creates a box from its corners.
    public init(min: SIMD3<Float>, max: SIMD3<Float>) {
        self.min = min
        self.max = max
    }

    /// Centre of the box.
    public var center: SIMD3<Float> { (min + max) * 0.5 }
    /// Edge lengths.
    public var size: SIMD3<Float> { max - min }
}

extension Mesh {
    /// Bounding box of the vertices used by some triangle, or nil when there are none.
    public var boundingBox: BoundingBox? {
        var lo = SIMD3<Float>(repeating: .infinity), hi = SIMD3<Float>(repeating: -.infinity)
        var used = [Bool](repeating: false, count: positions.count)
        for submesh in submeshes {
            for index in submesh.indices where Int(index) < used.count { used[Int(index)] = true }
        }
        var any = false
        for (i, p) in positions.enumerated() where used[i] {
            lo = pointwiseMin(lo, p)
            hi = pointwiseMax(hi, p)
            any = true
        }
        return any ? BoundingBox(min: lo, max: hi) : nil
    }

    /// The transform that maps the mesh into the unit sphere: the bounding box centre goes to the
    /// origin and the farthest used vertex to distance 1. Identity for an empty mesh; a point-like
    /// mesh is only centred.
    public var unitSphereTransform: Matrix4 {
        guard let box = boundingBox else { return .identity }
        let center = box.center
        var radiusSquared: Float = 0
        for submesh in submeshes {
            for index in submesh.indices where Int(index) < positions.count {
                let d = positions[Int(index)] - center
                radiusSquared = Swift.max(radiusSquared, (d * d).sum())
            }
        }
        let scale: Float = radiusSquared > 1e-30 ? 1 / radiusSquared.squareRoot() : 1
        return .scaleThenTranslate(scale: scale, translation: -center * scale)
    }

    /// The mesh with every position and normal mapped by `matrix` (normals by its inverse
    /// transpose). A mirroring matrix also flips triangle winding so front faces stay front.
    public func transformed(by matrix: Matrix4) -> Mesh {
        var copy = self
        copy.positions = positions.map { matrix.transformPoint($0) }
        let normalMatrix = matrix.normalMatrix
        copy.normals = normals.map { normalized(normalMatrix.transformDirection($0)) }
        if matrix.determinant3x3 < 0 {
            for s in copy.submeshes.indices { copy.submeshes[s].indices.reverseTriangleWinding() }
        }
        return copy
    }

    /// The mesh scaled and centred into the unit sphere (see ``unitSphereTransform``).
    public func normalizedToUnitSphere() -> Mesh {
        transformed(by: unitSphereTransform)
    }

    /// Replaces normals with area-weighted averages of the faces around each vertex.
    public mutating func computeSmoothNormals() {
        var sums = [SIMD3<Float>](repeating: .zero, count: positions.count)
        for submesh in submeshes {
            let idx = submesh.indices
            for t in stride(from: 0, to: idx.count - 2, by: 3) {
                let (a, b, c) = (Int(idx[t]), Int(idx[t + 1]), Int(idx[t + 2]))
                guard a < sums.count, b < sums.count, c < sums.count else { continue }
                let n = cross(positions[b] - positions[a], positions[c] - positions[a])
                sums[a] += n
                sums[b] += n
                sums[c] += n
            }
        }
        normals = sums.map { normalized($0) }
    }
}

extension Array where Element == UInt32 {
    /// Swaps the second and third index of every triangle.
    mutating func reverseTriangleWinding() {
        var t = 0
        while t + 2 < count {
            swapAt(t + 1, t + 2)
            t += 3
        }
    }
}
