import AssetCatalog

/// Every asset of the database as a small integer (its ordinal, the row owner in ``VectorMatrix``), with the
/// metadata filters read, interned so a filter becomes a few integer comparisons per asset.
/// Not thread-safe: ``MemoryIndex`` guards it.
struct AssetDirectory {
    private(set) var ids: [AssetID] = []
    private var ordinals: [AssetID: Int32] = [:]
    /// False once an asset is deleted (its ordinal is kept, so it is reused if the id comes back).
    private(set) var live: [Bool] = []
    private(set) var library: [Int32] = []
    private(set) var category: [Int32] = []
    private(set) var license: [Int32] = []
    private(set) var largestSide: [Double] = []
    private var strings: [String: Int32] = [:]

    /// Code of strings that never occurred, and of missing values.
    static let absent: Int32 = -1

    var count: Int { ids.count }

    func ordinal(of id: AssetID) -> Int32? { ordinals[id] }

    /// Adds or refreshes an asset and returns its ordinal.
    @discardableResult
    mutating func upsert(_ row: AssetRow) -> Int32 {
        upsert(id: AssetID(row.id), library: row.library, categoryKey: row.categoryKey, license: row.license,
               largestSide: row.largestSide)
    }

    /// Adds or refreshes an asset from its filter columns and returns its ordinal.
    @discardableResult
    mutating func upsert(id: AssetID, library libraryName: String, categoryKey: String?, license licenseName: String?,
                         largestSide side: Double?) -> Int32 {
        let libraryCode = intern(libraryName)
        let categoryCode = categoryKey.map { intern($0) } ?? Self.absent
        let licenseCode = licenseName.map { intern($0) } ?? Self.absent
        let side = side ?? .nan
        if let ordinal = ordinals[id] {
            let index = Int(ordinal)
            live[index] = true
            library[index] = libraryCode
            category[index] = categoryCode
            license[index] = licenseCode
            largestSide[index] = side
            return ordinal
        }
        let ordinal = Int32(ids.count)
        ids.append(id)
        ordinals[id] = ordinal
        live.append(true)
        library.append(libraryCode)
        category.append(categoryCode)
        license.append(licenseCode)
        largestSide.append(side)
        return ordinal
    }

    mutating func markDeleted(_ id: AssetID) -> Int32? {
        guard let ordinal = ordinals[id] else { return nil }
        live[Int(ordinal)] = false
        return ordinal
    }

    /// Per ordinal: may the asset be returned? Nil when everything live may (no filter, no exclusions).
    func admissionMask(filter: AssetFilter, excluding: Set<AssetID>) -> [Bool]? {
        guard !filter.isEmpty || !excluding.isEmpty else { return nil }
        var mask = live
        if !filter.libraries.isEmpty {
            let allowed = Set(filter.libraries.compactMap { strings[$0] })
            for index in mask.indices where mask[index] { mask[index] = allowed.contains(library[index]) }
        }
        if !filter.categories.isEmpty {
            let allowed = Set(filter.categories.compactMap { strings[AssetFilter.categoryKey($0)] })
            for index in mask.indices where mask[index] { mask[index] = allowed.contains(category[index]) }
        }
        if !filter.licenses.isEmpty {
            let allowed = Set(filter.licenses.compactMap { strings[$0] })
            for index in mask.indices where mask[index] { mask[index] = allowed.contains(license[index]) }
        }
        if filter.minSize != nil || filter.maxSize != nil {
            let low = filter.minSize ?? -.infinity
            let high = filter.maxSize ?? .infinity
            for index in mask.indices where mask[index] {
                let side = largestSide[index]
                mask[index] = !side.isNaN && side >= low && side <= high
            }
        }
        for id in excluding {
            if let ordinal = ordinals[id] { mask[Int(ordinal)] = false }
        }
        return mask
    }

    private mutating func intern(_ string: String) -> Int32 {
        if let code = strings[string] { return code }
        let code = Int32(strings.count)
        strings[string] = code
        return code
    }
}
