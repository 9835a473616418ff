import AssetCatalog
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Retrieval
import VectorStore

/// `POST /search/text`.
struct SearchRoutes {
    let services: ServerServices

    func register(on router: Router<AppRequestContext>) {
        router.post("/search/text") { request, context in
            try await searchText(request, context: context)
        }
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
        var mode: QueryMode?
        if let raw = body.mode {
            guard let parsed = QueryMode(rawValue: raw.lowercased()) else {
                throw APIError.badRequest("mode must be inner, cross or hybrid (got \"\(raw.prefix(40))\")")
            }
            mode = parsed
        }
        let searchRequest = TextSearchRequest(
            query: body.query, algorithm: body.algorithm ?? "auto", language: language,
            crossModal: body.crossModal ?? false, mode: mode, topK: body.topK ?? services.defaultTopK,
            page: body.page ?? 0,
            filter: body.filters?.filter ?? .init())
        let response: SearchResponse
        do {
            response = try await services.engine.search(searchRequest)
        } catch {
            throw APIError(error)
        }
        let results = response.hits.map(SearchResultDTO.init)
        var headers: HTTPFields = [
            .contentType: "application/json; charset=utf-8",
            HTTPField.Name("X-Search-Algorithm")!: response.algorithm,
            HTTPField.Name("X-Query-Language")!: response.language.rawValue,
        ]
        if !response.skipped.isEmpty {
            headers[HTTPField.Name("X-Skipped-Spaces")!] = response.skipped.keys.sorted().joined(separator: ",")
        }
        let data: Data
        if body.envelope == true {
            data = try JSONEncoder().encode(
                SearchEnvelopeDTO(
                    results: results, algorithm: response.algorithm, language: response.language.rawValue,
                    page: searchRequest.page, hasMore: response.hasMore, skipped: response.skipped))
        } else {
            data = try JSONEncoder().encode(results)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
