import Foundation

/// An orbit camera around the origin of the unit-sphere-normalised object.
///
/// Azimuth 0 looks at the object's front (the camera sits on +z); azimuth grows counter-clockwise
/// seen from above (90° puts the camera on +x). Elevation is the angle above the horizontal plane.
/// Distance is in unit-sphere radii; `fieldOfView` is the vertical angle (images are square).
public struct CameraParameters: Sendable, Codable, Hashable {
    /// Degrees around the vertical axis, 0 = front.
    public var azimuth: Double
    /// Degrees above the horizon (negative looks from below).
    public var elevation: Double
    /// Distance from the object's centre in unit-sphere radii.
    public var distance: Double
    /// Vertical field of view in degrees.
    public var fieldOfView: Double

    /// Creates a camera. ``framingDistance(fieldOfView:)`` gives the distance at which the whole
    /// unit sphere just fits.
    public init(azimuth: Double, elevation: Double, distance: Double, fieldOfView: Double) {
        self.azimuth = azimuth
        self.elevation = elevation
        self.distance = distance
        self.fieldOfView = fieldOfView
    }

    /// The distance at which a unit sphere exactly fills a view of `fieldOfView` degrees.
    public static func framingDistance(fieldOfView: Double) -> Double {
        1 / sin(fieldOfView * .pi / 360)
    }

    /// Camera position in object space.
    public var eye: SIMD3<Float> {
        let a = azimuth * .pi / 180, e = elevation * .pi / 180
        return SIMD3(Float(sin(a) * cos(e) * distance), Float(sin(e) * distance), Float(cos(a) * cos(e) * distance))
    }

    /// Throws unless the parameters are finite and usable.
    func validate() throws(RenderingError) {
        guard azimuth.isFinite, elevation.isFinite, distance.isFinite, distance > 0,
            fieldOfView > 0.1, fieldOfView < 170
        else { throw RenderingError(.invalidParameter, "camera \(self) is not usable") }
    }

    /// World → view transform (camera looking down −z, y up on screen).
    var viewMatrix: Matrix4 {
        let eye = self.eye
        let forward = normalized(-eye, fallback: SIMD3(0, 0, -1))
        // Straight above or below, "up" on screen is the object's −z / +z (its back / front).
        var right = cross(forward, SIMD3(0, 1, 0))
        if (right * right).sum() < 1e-10 { right = cross(forward, SIMD3(0, 0, elevation > 0 ? -1 : 1)) }
        right = normalized(right)
        let up = cross(right, forward)
        let rotation = Matrix4(
            columns: SIMD4(right.x, up.x, -forward.x, 0), SIMD4(right.y, up.y, -forward.y, 0),
            SIMD4(right.z, up.z, -forward.z, 0), SIMD4(0, 0, 0, 1))
        let translation = Matrix4(
            columns: SIMD4(1, 0, 0, 0), SIMD4(0, 1, 0, 0), SIMD4(0, 0, 1, 0), SIMD4(-eye.x, -eye.y, -eye.z, 1))
        return rotation * translation
    }
}
