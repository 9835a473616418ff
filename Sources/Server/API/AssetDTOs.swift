import AssetCatalog
import Foundation

/// `GET /assets/{id}`: everything the page shows about one asset.
struct AssetDetailDTO: Codable {
    struct CaptionDTO: Codable {
        var language: String
        var text: String
        var source: String
    }

    struct ViewDTO: Codable {
        var index: Int
        var url: String
        var azimuth: Double
        var elevation: Double
    }

    var assetID: String
    var name: String
    var nameZH: String?
    var category: String?
    var categoryZH: String?
    var library: String
    var tags: [String]
    var captions: [CaptionDTO]
    var license: String?
    var creator: String?
    var dimensions: Dimensions?
    var objaverseID: String?
    var modelURL: String?
    var modelFormat: String?
    var thumbnailURL: String?
    var views: [ViewDTO]

    enum CodingKeys: String, CodingKey {
        case name, category, library, tags, captions, license, creator, dimensions, views
        case assetID = "asset_id"
        case nameZH = "name_zh"
        case categoryZH = "category_zh"
        case objaverseID = "objaverse_id"
        case modelURL = "model_url"
        case modelFormat = "model_format"
        case thumbnailURL = "thumbnail_url"
    }

    init(_ asset: Asset) {
        let links = AssetLinks(asset.id)
        assetID = asset.id.rawValue
        name = asset.name
        nameZH = asset.nameZH
        category = asset.category
        categoryZH = asset.categoryZH
        library = asset.library
        tags = asset.tags
        captions = asset.captions.map { caption in
            let source: String =
                switch caption.origin {
                case .catalog(let locale): "catalog (\(locale))"
                case .dataset(let name): "dataset (\(name))"
                case .machineTranslated(let model): "machine translation (\(model))"
                }
            return CaptionDTO(language: caption.language == .en ? "en" : "cn", text: caption.text, source: source)
        }
        license = asset.license
        creator = asset.creator
        dimensions = asset.dimensions
        objaverseID = asset.objaverseID
        modelURL = asset.files.mesh == nil && asset.files.glb == nil ? nil : links.model
        modelFormat = asset.files.glb != nil ? "glb" : asset.files.mesh.map { ($0 as NSString).pathExtension.lowercased() }
        thumbnailURL =
            asset.files.icon == nil && asset.files.renderedThumbnail == nil && asset.views.isEmpty ? nil : links.thumbnail
        views = asset.views.map {
            ViewDTO(index: $0.index, url: links.view($0.index), azimuth: $0.azimuth, elevation: $0.elevation)
        }
    }
}

/// `GET /health`.
struct HealthDTO: Codable {
    var status: String
    var store: String
    var assets: Int?
    var algorithms: [String]
    var version: String
}

/// `GET /spaces`: one indexed embedding space.
struct SpaceDTO: Codable {
    var name: String
    var modelID: String
    var revision: String
    var dimension: Int
    /// Whether this server loaded the space's model (only loaded spaces answer queries).
    var loaded: Bool
    var languages: [String]
    var images: Bool
    var counts: [String: Int]

    enum CodingKeys: String, CodingKey {
        case name, revision, dimension, loaded, languages, images, counts
        case modelID = "model_id"
    }
}
