import AssetCatalog
import Foundation
import HTTPTypes
import Hummingbird
import ImageCodec
import Logging
import NIOCore
import Retrieval
import VectorStore

/// `POST /search/text`, `POST /search/image`, `GET /assets/{id}/similar`.
struct SearchRoutes {
    let services: ServerServices

    func register(on router: Router<AppRequestContext>) {
        router.post("/search/text") { request, context in try await searchText(request, context: context) }
        router.post("/search/image") { request, context in try await searchImage(request, context: context) }
        router.getAndHead("/assets/:id/similar") { request, context in try await similar(request, context: context) }
    }

    func searchText(_ request: Request, context: AppRequestContext) async throws -> Response {
        let body = try await decodeJSON(TextSearchBody.self, from: request, context: context)
        var language: Language?
        if let raw = body.language?.trimmingCharacters(in: .whitespaces), !raw.isEmpty, raw.lowercased() != "auto" {
            guard let parsed = Language(flexible: raw) else {
                throw APIError.badRequest("language must be \"en\", \"cn\" or \"auto\" (got \"\(raw.prefix(40))\")")
            }
            language = parsed
        }
        let searchRequest = TextSearchRequest(
            query: body.query, algorithm: body.algorithm ?? "auto", language: language,
            crossModal: body.crossModal ?? false, mode: try Self.mode(body.mode), topK: body.topK ?? services.defaultTopK,
            page: body.page ?? 0, filter: body.filters?.filter ?? .init())
        let response = try await run { () async throws(SearchError) in try await services.engine.search(searchRequest) }
        return try Self.respond(
            response, query: body.query, algorithm: searchRequest.algorithm, language: body.language ?? "auto",
            crossModal: searchRequest.crossModal, mode: searchRequest.mode, page: searchRequest.page)
    }

    /// Multipart upload (field `file`); options in the query string as in the original demo.
    func searchImage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let image = try await UploadedImage.decode(from: request, context: context)
        let crossModal = query.get("cross_modal").map { ["true", "1", "yes"].contains($0.lowercased()) } ?? false
        let searchRequest = ImageSearchRequest(
            image: image, algorithm: query.get("algorithm") ?? "auto",
            mode: try Self.mode(query.get("mode")) ?? (crossModal ? .cross : .inner),
            topK: try Self.int(query.get("top_k"), name: "top_k") ?? services.defaultTopK,
            page: try Self.int(query.get("page"), name: "page") ?? 0, filter: Self.filter(query))
        let response = try await run { () async throws(SearchError) in try await services.engine.search(searchRequest) }
        return try Self.respond(
            response, algorithm: searchRequest.algorithm, crossModal: searchRequest.mode == .cross,
            mode: searchRequest.mode, page: searchRequest.page)
    }

    func similar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        let id = try AssetRoutes.assetID(context)
        let similarRequest = SimilarRequest(
            assetID: id, algorithm: query.get("algorithm") ?? "auto",
            topK: try Self.int(query.get("top_k"), name: "top_k") ?? services.defaultTopK,
            page: try Self.int(query.get("page"), name: "page") ?? 0, filter: Self.filter(query))
        let response = try await run { () async throws(SearchError) in try await services.engine.similar(similarRequest) }
        return try Self.respond(
            response, algorithm: similarRequest.algorithm, crossModal: false, mode: nil, page: similarRequest.page)
    }

    /// Runs an engine call, mapping its errors once.
    func run(_ body: () async throws(SearchError) -> SearchResponse) async throws(APIError) -> SearchResponse {
        do { return try await body() } catch { throw APIError(error) }
    }

    /// The response object (the original demo's fields, then ours) and metadata headers.
    static func respond(
        _ response: SearchResponse, query: String? = nil, algorithm: String, language: String? = nil,
        crossModal: Bool, mode: QueryMode?, page: Int
    ) throws -> Response {
        var headers: HTTPFields = [
            .contentType: "application/json; charset=utf-8",
            HTTPField.Name("X-Search-Algorithm")!: response.algorithm,
        ]
        if let language = response.language { headers[HTTPField.Name("X-Query-Language")!] = language.rawValue }
        if !response.skipped.isEmpty {
            headers[HTTPField.Name("X-Skipped-Spaces")!] = response.skipped.keys.sorted().joined(separator: ",")
        }
        let body = SearchResponseDTO(
            results: response.hits.map(SearchResultDTO.init), query: query, algorithm: algorithm, language: language,
            crossModal: crossModal, answeredBy: response.algorithm, queryLanguage: response.language?.rawValue,
            mode: mode?.rawValue, page: page, hasMore: response.hasMore, skipped: response.skipped)
        let data = try JSONEncoder().encode(body)
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func mode(_ raw: String?) throws(APIError) -> QueryMode? {
        guard let raw, !raw.isEmpty else { return nil }
        guard let mode = QueryMode(rawValue: raw.lowercased()) else {
            throw APIError.badRequest("mode must be inner, cross or hybrid (got \"\(raw.prefix(40))\")")
        }
        return mode
    }

    static func int(_ raw: String?, name: String) throws(APIError) -> Int? {
        guard let raw else { return nil }
        guard let value = Int(raw) else { throw APIError.badRequest("\(name) must be an integer (got \"\(raw.prefix(40))\")") }
        return value
    }

    /// Filters from query parameters: repeated or comma-separated `library`, `category`, `license`; `min_size`, `max_size`.
    static func filter(_ query: Parameters) -> AssetFilter {
        func values(_ name: String) -> Set<String> {
            Set(query.getAll(name).flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } })
        }
        return AssetFilter(
            libraries: values("library"), categories: values("category"), licenses: values("license"),
            minSize: query.get("min_size").flatMap(Double.init), maxSize: query.get("max_size").flatMap(Double.init))
    }
}
