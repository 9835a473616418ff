import AssetCatalog
import Foundation
import Hummingbird
import Retrieval
import VectorStore

/// `POST /search/text` body: the original demo's fields, plus additive ones.
struct TextSearchBody: Decodable {
    var query: String
    var algorithm: String?
    var language: String?
    var crossModal: Bool?
    var mode: String?
    var topK: Int?
    var page: Int?
    var filters: FiltersBody?

    enum CodingKeys: String, CodingKey {
        case query, algorithm, language, page, filters, mode
        case crossModal = "cross_modal"
        case topK = "top_k"
    }
}

/// Optional metadata filters.
struct FiltersBody: Codable {
    var library: [String]?
    var category: [String]?
    var license: [String]?
    var minSize: Double?
    var maxSize: Double?

    enum CodingKeys: String, CodingKey {
        case library, category, license
        case minSize = "min_size"
        case maxSize = "max_size"
    }

    var filter: AssetFilter {
        AssetFilter(
            libraries: Set(library ?? []), categories: Set(category ?? []), licenses: Set(license ?? []),
            minSize: minSize, maxSize: maxSize)
    }
}

/// The view that matched an image-side query.
struct MatchedViewDTO: Codable {
    var index: Int
    var url: String
    var azimuth: Double
    var elevation: Double
}

/// One result, exactly the original demo's fields first, then additive ones.
struct SearchResultDTO: Codable {
    var assetID: String
    var similarity: Float
    var captionEN: String?
    var captionCN: String?
    var objaverseID: String?
    var modelURL: String?
    var name: String
    var nameZH: String?
    var category: String?
    var categoryZH: String?
    var library: String
    var license: String?
    var thumbnailURL: String?
    var matchedView: MatchedViewDTO?
    var scores: [String: Float]

    enum CodingKeys: String, CodingKey {
        case similarity, name, category, library, license, scores
        case assetID = "asset_id"
        case captionEN = "caption_en"
        case captionCN = "caption_cn"
        case objaverseID = "objaverse_id"
        case modelURL = "model_url"
        case nameZH = "name_zh"
        case categoryZH = "category_zh"
        case thumbnailURL = "thumbnail_url"
        case matchedView = "matched_view"
    }

    init(_ hit: SearchHit) {
        let asset = hit.asset
        let links = AssetLinks(asset.id)
        assetID = asset.id.rawValue
        similarity = hit.similarity
        captionEN = asset.caption(.en)?.text
        captionCN = asset.caption(.zh)?.text
        objaverseID = asset.objaverseID
        modelURL = asset.files.mesh == nil && asset.files.glb == nil ? nil : links.model
        name = asset.name
        nameZH = asset.nameZH
        category = asset.category
        categoryZH = asset.categoryZH
        library = asset.library
        license = asset.license
        thumbnailURL =
            asset.files.icon == nil && asset.files.renderedThumbnail == nil && asset.views.isEmpty ? nil : links.thumbnail
        matchedView = hit.matchedView.map {
            MatchedViewDTO(index: $0.index, url: links.view($0.index), azimuth: $0.azimuth, elevation: $0.elevation)
        }
        scores = hit.scores
    }
}

/// A search response: the original demo's object (`results`, `query`, `algorithm`, `language`,
/// `cross_modal` for text; `results`, `algorithm`, `cross_modal` for images), plus additive fields.
struct SearchResponseDTO: Codable {
    var results: [SearchResultDTO]
    /// The query text (text searches).
    var query: String?
    /// The algorithm as requested (`auto`, `lexical`, `minilm`, …).
    var algorithm: String
    /// The language as requested (`english`, `chinese`, `en`, `cn`, `auto`; text searches).
    var language: String?
    var crossModal: Bool
    /// What actually answered: `lexical`, `minilm`, `hybrid(lexical+minilm)`, `siglip:image`, ….
    var answeredBy: String
    /// Detected or requested query language: `en`, `zh` or `mixed` (text searches).
    var queryLanguage: String?
    var mode: String?
    var page: Int
    var hasMore: Bool
    /// Spaces that could not serve the request, with the reason.
    var skipped: [String: String]

    enum CodingKeys: String, CodingKey {
        case results, query, algorithm, language, mode, page, skipped
        case crossModal = "cross_modal"
        case answeredBy = "answered_by"
        case queryLanguage = "query_language"
        case hasMore = "has_more"
    }
}

/// URL paths of an asset's resources; ids are percent-encoded (they may contain `/`).
struct AssetLinks {
    let base: String

    init(_ id: AssetID) {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        base = "/assets/" + (id.rawValue.addingPercentEncoding(withAllowedCharacters: allowed) ?? id.rawValue)
    }

    var model: String { base + "/model" }
    var thumbnail: String { base + "/thumbnail" }
    func view(_ index: Int) -> String { base + "/views/\(index)" }
}
