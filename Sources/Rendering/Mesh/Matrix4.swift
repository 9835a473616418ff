/// A 4×4 single-precision matrix, column-major like glTF (`columns[c][r]`).
///
/// Points are column vectors: `m * p` applies `m` to `p`.
public struct Matrix4: Sendable, Equatable {
    /// The four columns.
    public var columns: (SIMD4<Float>, SIMD4<Float>, SIMD4<Float>, SIMD4<Float>)

    /// Creates a matrix from its four columns.
    public init(columns c0: SIMD4<Float>, _ c1: SIMD4<Float>, _ c2: SIMD4<Float>, _ c3: SIMD4<Float>) {
        columns = (c0, c1, c2, c3)
    }

    /// Whether all sixteen entries are equal.
    public static func == (a: Matrix4, b: Matrix4) -> Bool {
        a.columns.0 == b.columns.0 && a.columns.1 == b.columns.1 && a.columns.2 == b.columns.2
            && a.columns.3 == b.columns.3
    }

    /// The identity.
    public static let identity = Matrix4(
        columns: SIMD4(1, 0, 0, 0), SIMD4(0, 1, 0, 0), SIMD4(0, 0, 1, 0), SIMD4(0, 0, 0, 1))

    /// Creates a matrix from 16 numbers in column-major order (glTF `node.matrix`).
    /// Returns nil unless there are exactly 16 finite numbers.
    public init?(columnMajor m: [Float]) {
        guard m.count == 16, m.allSatisfy(\.isFinite) else { return nil }
        self.init(
            columns: SIMD4(m[0], m[1], m[2], m[3]), SIMD4(m[4], m[5], m[6], m[7]),
            SIMD4(m[8], m[9], m[10], m[11]), SIMD4(m[12], m[13], m[14], m[15]))
    }

    /// A rotation/linear map given as a 3×3 matrix in row-major order (Sweet Home 3D's
    /// `modelRotation`: `m00 m01 m02 m10 m11 m12 m20 m21 m22`). Returns nil unless 9 finite numbers.
    public init?(rowMajor3x3 m: [Float]) {
        guard m.count == 9, m.allSatisfy(\.isFinite) else { return nil }
        self.init(
            columns: SIMD4(m[0], m[3], m[6], 0), SIMD4(m[1], m[4], m[7], 0),
            SIMD4(m[2], m[5], m[8], 0), SIMD4(0, 0, 0, 1))
    }

    /// Translation, rotation (unit quaternion x, y, z, w) and scale composed as T·R·S (glTF nodes).
    public init(translation t: SIMD3<Float>, rotation q: SIMD4<Float>, scale s: SIMD3<Float>) {
        let length = (q * q).sum().squareRoot()
        let n = length > 0 ? q / length : SIMD4<Float>(0, 0, 0, 1)
        let (x, y, z, w) = (n.x, n.y, n.z, n.w)
        let c0 = SIMD4<Float>(1 - 2 * (y * y + z * z), 2 * (x * y + z * w), 2 * (x * z - y * w), 0) * s.x
        let c1 = SIMD4<Float>(2 * (x * y - z * w), 1 - 2 * (x * x + z * z), 2 * (y * z + x * w), 0) * s.y
        let c2 = SIMD4<Float>(2 * (x * z + y * w), 2 * (y * z - x * w), 1 - 2 * (x * x + y * y), 0) * s.z
        self.init(columns: c0, c1, c2, SIMD4(t.x, t.y, t.z, 1))
    }

    /// A uniform scale by `s` followed by a translation by `t`: p ↦ s·p + t.
    public static func scaleThenTranslate(scale s: Float, translation t: SIMD3<Float>) -> Matrix4 {
        Matrix4(columns: SIMD4(s, 0, 0, 0), SIMD4(0, s, 0, 0), SIMD4(0, 0, s, 0), SIMD4(t.x, t.y, t.z, 1))
    }

    /// Row `r` as a vector.
    @inline(__always) func row(_ r: Int) -> SIMD4<Float> {
        SIMD4(columns.0[r], columns.1[r], columns.2[r], columns.3[r])
    }

    /// The product `self * other`.
    public static func * (a: Matrix4, b: Matrix4) -> Matrix4 {
        Matrix4(columns: a * b.columns.0, a * b.columns.1, a * b.columns.2, a * b.columns.3)
    }

    /// `self` applied to a homogeneous vector.
    public static func * (m: Matrix4, v: SIMD4<Float>) -> SIMD4<Float> {
        m.columns.0 * v.x + m.columns.1 * v.y + m.columns.2 * v.z + m.columns.3 * v.w
    }

    /// Applies the matrix to a point (w = 1, no projective divide).
    @inline(__always) public func transformPoint(_ p: SIMD3<Float>) -> SIMD3<Float> {
        let r = columns.0 * p.x + columns.1 * p.y + columns.2 * p.z + columns.3
        return SIMD3(r.x, r.y, r.z)
    }

    /// Applies the upper-left 3×3 part to a direction.
    @inline(__always) public func transformDirection(_ d: SIMD3<Float>) -> SIMD3<Float> {
        let r = columns.0 * d.x + columns.1 * d.y + columns.2 * d.z
        return SIMD3(r.x, r.y, r.z)
    }

    /// Determinant of the upper-left 3×3 part (negative when the map mirrors).
    public var determinant3x3: Float {
        let a = SIMD3(columns.0.x, columns.0.y, columns.0.z)
        let b = SIMD3(columns.1.x, columns.1.y, columns.1.z)
        let c = SIMD3(columns.2.x, columns.2.y, columns.2.z)
        return (a * cross(b, c)).sum()
    }

    /// The matrix that maps normals: inverse transpose of the upper-left 3×3 (as a 4×4 with no
    /// translation). Degenerate matrices return the 3×3 part unchanged.
    public var normalMatrix: Matrix4 {
        let a = SIMD3(columns.0.x, columns.0.y, columns.0.z)
        let b = SIMD3(columns.1.x, columns.1.y, columns.1.z)
        let c = SIMD3(columns.2.x, columns.2.y, columns.2.z)
        let det = (a * cross(b, c)).sum()
        guard abs(det) > 1e-20, det.isFinite else {
            return Matrix4(columns: SIMD4(a, 0), SIMD4(b, 0), SIMD4(c, 0), SIMD4(0, 0, 0, 1))
        }
        // Columns of the inverse transpose are the cofactor vectors divided by the determinant.
        let x = cross(b, c) / det, y = cross(c, a) / det, z = cross(a, b) / det
        return Matrix4(columns: SIMD4(x, 0), SIMD4(y, 0), SIMD4(z, 0), SIMD4(0, 0, 0, 1))
    }
}

/// Cross product of two 3-vectors.
@inline(__always) func cross(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> SIMD3<Float> {
    SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
}

/// Dot product of two 3-vectors.
@inline(__always) func dot(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Float {
    (a * b).sum()
}

/// `v` scaled to unit length, or `fallback` when `v` is zero or not finite.
@inline(__always) func normalized(_ v: SIMD3<Float>, fallback: SIMD3<Float> = SIMD3(0, 1, 0)) -> SIMD3<Float> {
    let lengthSquared = (v * v).sum()
    guard lengthSquared > 1e-30, lengthSquared.isFinite else { return fallback }
    return v / lengthSquared.squareRoot()
}
