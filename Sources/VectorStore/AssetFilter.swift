import AssetCatalog

/// Restricts a search to assets whose metadata match. Empty sets mean "no restriction".
public struct AssetFilter: Sendable, Hashable, Codable {
    /// Libraries (``Asset/library``) to keep.
    public var libraries: Set<String>
    /// Categories (English, case-insensitive) to keep.
    public var categories: Set<String>
    /// Licenses to keep (exact text).
    public var licenses: Set<String>
    /// Largest side in centimetres, inclusive bounds.
    public var minSize: Double?
    public var maxSize: Double?

    public init(
        libraries: Set<String> = [], categories: Set<String> = [], licenses: Set<String> = [],
        minSize: Double? = nil, maxSize: Double? = nil
    ) {
        self.libraries = libraries
        self.categories = categories
        self.licenses = licenses
        self.minSize = minSize
        self.maxSize = maxSize
    }

    /// True when the filter restricts nothing.
    public var isEmpty: Bool {
        libraries.isEmpty && categories.isEmpty && licenses.isEmpty && minSize == nil && maxSize == nil
    }

    /// The form categories are compared in (case-insensitive: lowercased).
    public static func categoryKey(_ category: String) -> String { category.lowercased() }

    /// Whether `asset` passes the filter.
    public func matches(_ asset: Asset) -> Bool {
        matches(
            library: asset.library, category: asset.category, license: asset.license,
            largestSide: asset.dimensions?.largestSide)
    }

    /// Whether an asset with these fields passes the filter (for indexes that keep only these fields).
    public func matches(library: String, category: String?, license: String?, largestSide: Double?) -> Bool {
        if !libraries.isEmpty && !libraries.contains(library) { return false }
        if !categories.isEmpty {
            guard let category = category.map(AssetFilter.categoryKey),
                categories.contains(where: { AssetFilter.categoryKey($0) == category })
            else { return false }
        }
        if !licenses.isEmpty {
            guard let license, licenses.contains(license) else { return false }
        }
        if minSize != nil || maxSize != nil {
            guard let size = largestSide else { return false }
            if let minSize, size < minSize { return false }
            if let maxSize, size > maxSize { return false }
        }
        return true
    }
}
