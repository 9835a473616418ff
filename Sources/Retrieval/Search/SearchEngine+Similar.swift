import AssetCatalog
import Logging
import VectorStore

extension SearchEngine {
    /// The assets most like a stored one. Each space compares like with like using the asset's own
    /// vectors: its views against views (best view pair wins, per asset), else its captions against
    /// captions. With `auto`, every space that holds vectors for the asset is used and fused.
    public func similar(_ request: SimilarRequest) async throws(SearchError) -> SearchResponse {
        try validatePaging(topK: request.topK, page: request.page)
        let asset: Asset?
        do {
            asset = try await store.asset(request.assetID)
        } catch {
            throw Self.storeFailure(error, logger: logger)
        }
        guard let asset else { throw SearchError(.notFound, "no asset with id \"\(request.assetID)\"") }
        let capabilities = try await spaceCapabilities()
        let algorithm = request.algorithm.lowercased()
        let names: [String]
        switch algorithm {
        case "auto", "hybrid":
            names = capabilities.keys.sorted()
        case Self.lexical:
            names = []
        default:
            guard capabilities[algorithm] != nil else {
                throw SearchError(
                    KnownSpaces.names.contains(algorithm) ? .unsupported : .unknownAlgorithm,
                    "algorithm \"\(request.algorithm)\" is not available for similar search")
            }
            names = [algorithm]
        }
        let depth = (request.page + 1) * request.topK
        let fetch = depth + 1
        var lists: [RankedList] = []
        var skipped: [String: String] = [:]
        for name in names {
            guard let capability = capabilities[name] else { continue }
            let own: [VectorRecord]
            do {
                own = try await vectors?.vectors(of: asset.id, space: name) ?? []
            } catch {
                throw Self.storeFailure(error, logger: logger)
            }
            let images = own.filter { $0.kind.isImage }
            let texts = own.filter { !$0.kind.isImage }
            let (queries, kinds, label) =
                !images.isEmpty
                ? (images, capability.imageKinds, "\(name):image") : (texts, capability.textKinds, name)
            guard !queries.isEmpty else {
                skipped[name] = "\(asset.id) has no vectors in \(name)"
                continue
            }
            // Several query vectors (views, or EN + CN captions): best score per asset over all of them.
            var best: [AssetID: RankedList.Entry] = [:]
            for record in queries {
                let list = try await vectorList(
                    PlannedSource(name: name, kinds: kinds, label: label), vector: record.vector, depth: fetch,
                    filter: request.filter, excluding: [asset.id])
                for entry in list.entries where entry.score > (best[entry.assetID]?.score ?? -.infinity) {
                    best[entry.assetID] = entry
                }
            }
            let ranked = best.values.sorted { $0.score != $1.score ? $0.score > $1.score : $0.assetID < $1.assetID }
            lists.append(RankedList(source: label, weight: weight(of: label), entries: Array(ranked.prefix(fetch))))
        }
        if lists.isEmpty {
            // No vectors anywhere: fall back to the asset's own words.
            let words = [asset.caption(.en)?.text ?? asset.name, asset.category ?? ""].joined(separator: " ")
            var list = try await lexicalList(words, depth: fetch + 1, filter: request.filter)
            list.entries.removeAll { $0.assetID == asset.id }
            lists.append(list)
        }
        let description = lists.count == 1 ? lists[0].source : "hybrid(" + lists.map(\.source).joined(separator: "+") + ")"
        return try await page(
            RankFusion.fuse(lists), topK: request.topK, page: request.page, algorithm: description, language: nil,
            skipped: skipped)
    }
}
