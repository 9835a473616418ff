import AssetCatalog
import ImageCodec
import Logging
import VectorStore

extension SearchEngine {
    /// Runs an image query over the spaces that embed images.
    public func search(_ request: ImageSearchRequest) async throws(SearchError) -> SearchResponse {
        try validatePaging(topK: request.topK, page: request.page)
        let planner = QueryPlanner(capabilities: try await spaceCapabilities())
        let plan = try planner.plan(algorithm: request.algorithm.lowercased(), mode: request.mode, input: .image)
        let depth = (request.page + 1) * request.topK
        let fetch = plan.sources.count == 1 ? depth + 1 : max(depth + 1, 100)
        var vectorsBySpace: [String: [Float]] = [:]
        var lists: [RankedList] = []
        for source in plan.sources {
            if vectorsBySpace[source.name] == nil {
                vectorsBySpace[source.name] = try await imageVector(space: source.name, image: request.image)
            }
            guard let vector = vectorsBySpace[source.name] else { continue }
            lists.append(try await vectorList(source, vector: vector, depth: fetch, filter: request.filter))
        }
        return try await page(
            RankFusion.fuse(lists), topK: request.topK, page: request.page, algorithm: plan.description,
            language: nil, skipped: plan.skipped)
    }

    func imageVector(space: String, image: Image) async throws(SearchError) -> [Float] {
        guard let embedder = embedders[space] else { throw SearchError(.unsupported, "space \(space) is not loaded") }
        do {
            guard let vector = try await embedder.embedImages([image]).first else {
                throw SpaceError("the \(space) model returned no vector")
            }
            return vector
        } catch {
            logger.error("image embedding failed", metadata: ["space": "\(space)", "error": "\(error)"])
            throw SearchError(.unavailable, "the \(space) model could not embed the image; try again shortly")
        }
    }
}
