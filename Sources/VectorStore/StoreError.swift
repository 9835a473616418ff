/// The one error type of the stores. Callers switch on ``code``; ``description`` is safe to show to users
/// (it never contains connection strings, passwords or SQL), while ``underlying`` keeps the original error
/// for logs.
///
/// The HTTP layer maps codes once: ``Code/unavailable`` → 503, the caller's mistakes
/// (``Code/invalidArgument``, ``Code/dimensionMismatch``, ``Code/invalidVector``, ``Code/unknownSpace``,
/// ``Code/unknownAsset``, ``Code/spaceConflict``) → 4xx, everything else → 500.
public struct StoreError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong. An extensible set of values rather than an enum, so new codes do not break
    /// exhaustive switches in callers.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// Stable machine-readable name, e.g. `unavailable`.
        public let name: String

        private init(_ name: String) { self.name = name }

        /// The database cannot be reached (connection refused or lost, server shutting down).
        /// Transient: the store reconnects by itself once the database is back.
        public static let unavailable = Code("unavailable")
        /// A vector's length differs from its space's dimension.
        public static let dimensionMismatch = Code("dimension_mismatch")
        /// A vector holds NaN or ±infinity, or is all zeros (it has no direction).
        public static let invalidVector = Code("invalid_vector")
        /// The named embedding space does not exist.
        public static let unknownSpace = Code("unknown_space")
        /// A space of that name exists with another model, revision or dimension.
        public static let spaceConflict = Code("space_conflict")
        /// Vectors were written for an asset the store does not hold.
        public static let unknownAsset = Code("unknown_asset")
        /// An argument is out of range or malformed (empty id, `k` < 1, bad space name, …).
        public static let invalidArgument = Code("invalid_argument")
        /// The database was written by a newer version of this program, or its content is damaged.
        public static let incompatibleData = Code("incompatible_data")
        /// Any other failure of the storage engine (disk full, constraint violations we did not expect, …).
        public static let storageFailure = Code("storage_failure")

        public var description: String { name }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence for users and logs; never contains secrets or SQL.
    public var message: String
    /// The error reported by the database driver, for logs only (may mention SQL, never passwords).
    public var underlying: (any Error)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlying = underlying
    }

    public var description: String { "\(code): \(message)" }

    public var debugDescription: String {
        guard let underlying else { return description }
        return "\(description) (underlying: \(String(reflecting: underlying)))"
    }
}

extension StoreError {
    static func invalidArgument(_ message: String) -> StoreError { StoreError(.invalidArgument, message) }

    static func unknownSpace(_ name: String) -> StoreError {
        StoreError(.unknownSpace, "no embedding space named '\(name)'; create it by ingesting vectors into it first")
    }

    static func dimensionMismatch(space: String, expected: Int, actual: Int) -> StoreError {
        StoreError(
            .dimensionMismatch, "space '\(space)' holds \(expected)-dimensional vectors, got \(actual) components")
    }
}
