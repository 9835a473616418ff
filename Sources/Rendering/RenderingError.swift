/// Why a mesh could not be loaded, rendered or exported.
///
/// A corrupt or unsupported file fails only that asset with one of these; the message names the
/// file (by its last path component) and the defect, never anything outside the asset.
public struct RenderingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, for callers that branch on it.
    public enum Code: String, Sendable, Equatable {
        /// The file could not be read.
        case unreadable
        /// The file extension and content match no supported format.
        case unsupportedFormat
        /// The file uses a feature this loader cannot render (e.g. Draco compression).
        case unsupportedFeature
        /// The file is syntactically broken: truncated, bad numbers, bad JSON.
        case malformed
        /// An index, offset or length points outside the data it refers to.
        case outOfRange
        /// The file has no triangles to show.
        case emptyMesh
        /// A render or export parameter is unusable (size, supersampling, camera).
        case invalidParameter
        /// An image could not be decoded or encoded.
        case image
    }

    /// The kind of failure.
    public var code: Code
    /// A human-readable explanation.
    public var message: String

    /// Creates an error of `code` explained by `message`.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}

/// Something a loader noticed and worked around (a missing texture, an undefined material…).
///
/// Warnings never stop a load; the asset renders with the documented fallback.
public struct MeshWarning: Sendable, Equatable, CustomStringConvertible {
    /// The kind of defect, for counting and reporting.
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// The material library named in the OBJ was missing; another file or none was used.
        case materialLibrary
        /// A `usemtl` names a material that no library defines; a default grey was used.
        case undefinedMaterial
        /// A texture was missing, undecodable, or found only under another path.
        case texture
        /// A map or material feature was ignored (bump, specular, alpha map, unknown extension).
        case ignoredFeature
        /// Geometry was repaired or skipped (degenerate faces, points/lines, non-triangle modes).
        case geometry
    }

    /// The kind of defect.
    public var kind: Kind
    /// What happened and which fallback was used.
    public var message: String

    /// Creates a warning of `kind` explained by `message`.
    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// `kind: message`.
    public var description: String { "\(kind.rawValue): \(message)" }
}
