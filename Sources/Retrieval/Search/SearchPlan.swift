import AssetCatalog
import VectorStore

/// Which modalities a text query is compared with.
public enum QueryMode: String, Sendable, Codable, CaseIterable {
    /// Text → captions (and lexical).
    case inner
    /// Text → rendered views (text → image).
    case cross
    /// Both, fused.
    case hybrid
}

/// One ranked source of a plan: lexical, or one space searched over some vector kinds.
struct PlannedSource: Sendable, Hashable {
    /// `lexical` or a space name.
    var name: String
    /// Kinds searched (empty for lexical).
    var kinds: Set<VectorKind>
    /// Label in `scores` and in the algorithm description: `lexical`, `minilm`, `siglip:image`.
    var label: String
}

/// The sources that answer a request, and the spaces that were left out (with why).
struct SearchPlan: Sendable {
    var sources: [PlannedSource]
    var skipped: [String: String]

    /// `lexical`, `minilm`, or `hybrid(lexical+minilm)`.
    var description: String {
        sources.count == 1 ? sources[0].label : "hybrid(" + sources.map(\.label).joined(separator: "+") + ")"
    }
}

/// What a space holds and can do, as far as planning is concerned.
struct SpaceCapability: Sendable {
    var embedder: any SpaceEmbedder
    var counts: [VectorKind: Int]

    var textKinds: Set<VectorKind> { Set([VectorKind.textEN, .textZH].filter { (counts[$0] ?? 0) > 0 }) }
    var imageKinds: Set<VectorKind> { Set([VectorKind.imageView, .imageFused].filter { (counts[$0] ?? 0) > 0 }) }
}

/// Plans text queries over lexical search and the available spaces.
struct TextQueryPlanner {
    var capabilities: [String: SpaceCapability]

    func plan(algorithm: String, mode: QueryMode, language: QueryLanguage) throws(SearchError) -> SearchPlan {
        switch algorithm {
        case SearchEngine.lexical:
            guard mode == .inner else {
                throw SearchError(.unsupported, "the lexical algorithm has no image side; cross_modal needs an image space")
            }
            return SearchPlan(sources: [lexicalSource], skipped: [:])
        case "auto", "hybrid":
            return try planAll(mode: algorithm == "hybrid" && mode == .inner ? .hybrid : mode, language: language)
        default:
            return try planSpace(algorithm, mode: mode, language: language)
        }
    }

    let lexicalSource = PlannedSource(name: SearchEngine.lexical, kinds: [], label: SearchEngine.lexical)

    /// Every source that can serve; the others are named in `skipped`.
    func planAll(mode: QueryMode, language: QueryLanguage) throws(SearchError) -> SearchPlan {
        var plan = SearchPlan(sources: mode == .cross ? [] : [lexicalSource], skipped: [:])
        for name in capabilities.keys.sorted() {
            guard let capability = capabilities[name] else { continue }
            switch sources(of: capability, name: name, mode: mode, language: language) {
            case .success(let found): plan.sources += found
            case .failure(let reason): plan.skipped[name] = reason.message
            }
        }
        guard !plan.sources.isEmpty else {
            throw SearchError(
                .unsupported,
                "no indexed space can answer a \(language.rawValue) query in \(mode.rawValue) mode"
                    + (plan.skipped.isEmpty ? "" : ": " + plan.skipped.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")))
        }
        return plan
    }

    /// One space, explicitly asked for: anything it cannot do is the caller's mistake (4xx).
    func planSpace(_ name: String, mode: QueryMode, language: QueryLanguage) throws(SearchError) -> SearchPlan {
        guard let capability = capabilities[name] else {
            let available = ([SearchEngine.lexical] + capabilities.keys.sorted()).joined(separator: ", ")
            if KnownSpaces.names.contains(name) {
                throw SearchError(
                    .unsupported,
                    "algorithm \"\(name)\" is not indexed yet; ingest it with `asset3d ingest --spaces \(name)` "
                        + "(available: \(available))")
            }
            throw SearchError(.unknownAlgorithm, "unknown algorithm \"\(name)\"; available: \(available), auto, hybrid")
        }
        switch sources(of: capability, name: name, mode: mode, language: language) {
        case .success(let found): return SearchPlan(sources: found, skipped: [:])
        case .failure(let error): throw error
        }
    }

    func sources(of capability: SpaceCapability, name: String, mode: QueryMode, language: QueryLanguage)
        -> Result<[PlannedSource], SearchError>
    {
        let embedder = capability.embedder
        guard embedder.reads(language) else {
            let reads = embedder.textLanguages.map { $0 == .en ? "English" : "Chinese" }.sorted().joined(separator: " and ")
            return .failure(SearchError(
                .unsupported,
                reads.isEmpty
                    ? "\(name) (\(embedder.space.modelID)) does not read text"
                    : "\(name) (\(embedder.space.modelID)) reads \(reads) only; this query is \(language == .zh ? "Chinese" : "mixed")"))
        }
        var found: [PlannedSource] = []
        if mode != .cross {
            if capability.textKinds.isEmpty {
                if mode == .inner {
                    return .failure(SearchError(.unsupported, "\(name) has no caption vectors; ingest with --spaces \(name)"))
                }
            } else {
                found.append(PlannedSource(name: name, kinds: capability.textKinds, label: name))
            }
        }
        if mode != .inner {
            if capability.imageKinds.isEmpty {
                if mode == .cross || found.isEmpty {
                    return .failure(SearchError(
                        .unsupported, "\(name) has no image vectors; cross-modal search needs an image space with rendered views"))
                }
            } else {
                found.append(PlannedSource(name: name, kinds: capability.imageKinds, label: "\(name):image"))
            }
        }
        return .success(found)
    }
}
