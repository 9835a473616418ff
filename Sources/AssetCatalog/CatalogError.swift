/// Errors raised while reading catalogs. `code` is extensible; `description` is safe to show users.
public struct CatalogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, coarsely.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A `.properties` file could not be parsed.
        public static let malformedProperties = Code("malformed_properties")
        /// A catalog archive or folder is missing or unreadable.
        public static let unreadable = Code("unreadable")
        /// A catalog line or entry is invalid.
        public static let invalidEntry = Code("invalid_entry")
        /// The catalog specification (`sh3d`, `folder:PATH`, …) is not understood.
        public static let unknownCatalog = Code("unknown_catalog")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}

/// A non-fatal problem found while reading a catalog: the entry is skipped or repaired, and reported.
public struct CatalogProblem: Sendable, Hashable, CustomStringConvertible {
    /// Where: a file and entry, e.g. `Scopia.sh3f #17`.
    public let location: String
    /// What, and what was done about it.
    public let message: String
    /// True when the entry was dropped; false for a repair or a note (e.g. a missing translation).
    public let skipped: Bool

    public init(location: String, message: String, skipped: Bool) {
        self.location = location
        self.message = message
        self.skipped = skipped
    }

    public var description: String { "\(location): \(message)" }
}
