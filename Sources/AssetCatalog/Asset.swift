/// One searchable 3D asset, as read from a catalog and stored by the asset store.
///
/// Files are addressed relative to `files.root`; every path is checked to stay inside it
/// (see ``AssetFiles/resolve(_:)``), so a hostile catalog cannot make the server read elsewhere.
public struct Asset: Sendable, Codable, Hashable, Identifiable {
    /// Stable id (DESIGN.md, Contracts).
    public var id: AssetID
    /// Which catalog/library the asset comes from, e.g. `sh3d/Scopia`, `gobjaverse`, `folder/mylib`.
    public var library: String
    /// Display name in English (Sweet Home 3D `name#N`; Objaverse name; folder `name`).
    public var name: String
    /// Display name in Chinese when the source has a real one.
    public var nameZH: String?
    /// Category in English (e.g. `Living room`).
    public var category: String?
    /// Category in Chinese when the source has a real one.
    public var categoryZH: String?
    /// Free-form tags from the source.
    public var tags: [String]
    /// Captions per language (at most one per language).
    public var captions: [Caption]
    /// License text or SPDX-like name.
    public var license: String?
    /// Author of the model.
    public var creator: String?
    /// Width × depth × height in centimetres when known.
    public var dimensions: Dimensions?
    /// Objaverse uid for gobjaverse/Cap3D assets.
    public var objaverseID: String?
    /// Mesh, icon and views on disk.
    public var files: AssetFiles
    /// Rendered or provided views (empty until rendered).
    public var views: [ViewInfo]
    /// Anything else the source offers, kept as strings.
    public var extra: [String: String]

    public init(
        id: AssetID, library: String, name: String, nameZH: String? = nil, category: String? = nil,
        categoryZH: String? = nil, tags: [String] = [], captions: [Caption] = [], license: String? = nil,
        creator: String? = nil, dimensions: Dimensions? = nil, objaverseID: String? = nil,
        files: AssetFiles, views: [ViewInfo] = [], extra: [String: String] = [:]
    ) {
        self.id = id
        self.library = library
        self.name = name
        self.nameZH = nameZH
        self.category = category
        self.categoryZH = categoryZH
        self.tags = tags
        self.captions = captions
        self.license = license
        self.creator = creator
        self.dimensions = dimensions
        self.objaverseID = objaverseID
        self.files = files
        self.views = views
        self.extra = extra
    }

    /// The caption in `language`, if any.
    public func caption(_ language: Language) -> Caption? {
        captions.first { $0.language == language }
    }

    /// Replaces (or adds) the caption for its language.
    public mutating func setCaption(_ caption: Caption) {
        captions.removeAll { $0.language == caption.language }
        captions.append(caption)
        captions.sort { $0.language.rawValue < $1.language.rawValue }
    }
}

/// Physical size of an asset in centimetres.
public struct Dimensions: Sendable, Codable, Hashable {
    public var width: Double
    public var depth: Double
    public var height: Double

    public init(width: Double, depth: Double, height: Double) {
        self.width = width
        self.depth = depth
        self.height = height
    }

    /// The largest of the three sides.
    public var largestSide: Double { max(width, depth, height) }
}

/// One image of an asset seen from a known camera.
public struct ViewInfo: Sendable, Codable, Hashable {
    /// Index of the view within the asset's view set (0-based).
    public var index: Int
    /// Image path relative to ``AssetFiles/derived`` when `rendered`, else to ``AssetFiles/root``.
    public var path: String
    /// Camera azimuth in degrees (0 = front, counter-clockwise seen from above).
    public var azimuth: Double
    /// Camera elevation in degrees above the horizon.
    public var elevation: Double
    /// True for views the product rendered; false for views the catalog provides.
    public var rendered: Bool

    public init(index: Int, path: String, azimuth: Double, elevation: Double, rendered: Bool = false) {
        self.index = index
        self.path = path
        self.azimuth = azimuth
        self.elevation = elevation
        self.rendered = rendered
    }

    enum CodingKeys: String, CodingKey { case index, path, azimuth, elevation, rendered }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        index = try container.decode(Int.self, forKey: .index)
        path = try container.decode(String.self, forKey: .path)
        azimuth = try container.decodeIfPresent(Double.self, forKey: .azimuth) ?? 0
        elevation = try container.decodeIfPresent(Double.self, forKey: .elevation) ?? 0
        rendered = try container.decodeIfPresent(Bool.self, forKey: .rendered) ?? false
    }
}

extension Asset {
    /// Keeps what the product derived for an asset (machine translations, rendered views) when the
    /// catalog is read again: a re-ingest must not throw away paid translations or minutes of rendering.
    public func keepingDerivedData(of stored: Asset) -> Asset {
        var merged = self
        if merged.caption(.zh) == nil, let translated = stored.caption(.zh),
            case .machineTranslated = translated.origin
        {
            merged.setCaption(translated)
            if merged.nameZH == nil { merged.nameZH = stored.nameZH }
        }
        if merged.views.isEmpty { merged.views = stored.views }
        if merged.files.derived == nil {
            merged.files.derived = stored.files.derived
            merged.files.renderedThumbnail = stored.files.renderedThumbnail
            merged.files.glb = stored.files.glb
        }
        for (key, value) in stored.extra where key.hasPrefix("derived.") && merged.extra[key] == nil {
            merged.extra[key] = value
        }
        return merged
    }
}
