/// A stable asset identifier derived from the source's own ids (DESIGN.md, Contracts).
///
/// Examples: `sh3d-Scopia-17`, `0/10002` (gobjaverse key), or whatever a folder catalog's
/// `assets.jsonl` says. Ids are opaque strings; URLs carry them percent-encoded.
public struct AssetID: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        self.rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: AssetID, rhs: AssetID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Whether the id is usable: non-empty, at most 256 bytes, no control characters.
    public var isWellFormed: Bool {
        !rawValue.isEmpty && rawValue.utf8.count <= 256
            && !rawValue.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
