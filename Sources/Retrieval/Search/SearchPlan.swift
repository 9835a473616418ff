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

/// What is being searched with: text in a language, or an image.
enum QueryInput: Sendable {
    case text(QueryLanguage)
    case image
}

/// Plans queries over lexical search (text only) and the available spaces.
///
/// Modes are relative to the query: `inner` compares like with like (text → captions, image → views),
/// `cross` compares across modalities (text → views, image → captions), `hybrid` does both.
struct QueryPlanner {
    var capabilities: [String: SpaceCapability]

    func plan(algorithm: String, mode: QueryMode, input: QueryInput) throws(SearchError) -> SearchPlan {
        if case .image = input, algorithm == SearchEngine.lexical {
            throw SearchError(.unsupported, "the lexical algorithm cannot search by image; use an image space or auto")
        }
        switch algorithm {
        case SearchEngine.lexical:
            guard mode == .inner else {
                throw SearchError(.unsupported, "the lexical algorithm has no image side; cross_modal needs an image space")
            }
            return SearchPlan(sources: [lexicalSource], skipped: [:])
        case "auto", "hybrid":
            return try planAll(mode: algorithm == "hybrid" && mode == .inner ? .hybrid : mode, input: input)
        default:
            return try planSpace(algorithm, mode: mode, input: input)
        }
    }

    let lexicalSource = PlannedSource(name: SearchEngine.lexical, kinds: [], label: SearchEngine.lexical)

    /// Every source that can serve; the others are named in `skipped`.
    func planAll(mode: QueryMode, input: QueryInput) throws(SearchError) -> SearchPlan {
        var usesLexical = mode != .cross
        if case .image = input { usesLexical = false }
        var plan = SearchPlan(sources: usesLexical ? [lexicalSource] : [], skipped: [:])
        for name in capabilities.keys.sorted() {
            guard let capability = capabilities[name] else { continue }
            switch sources(of: capability, name: name, mode: mode, input: input) {
            case .success(let found): plan.sources += found
            case .failure(let reason): plan.skipped[name] = reason.message
            }
        }
        guard !plan.sources.isEmpty else {
            let what = if case .text(let language) = input { "a \(language.rawValue) text query" } else { "an image query" }
            throw SearchError(
                .unsupported,
                "no indexed space can answer \(what) in \(mode.rawValue) mode"
                    + (plan.skipped.isEmpty ? "" : ": " + plan.skipped.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "; ")))
        }
        return plan
    }

    /// One space, explicitly asked for: anything it cannot do is the caller's mistake (4xx).
    func planSpace(_ name: String, mode: QueryMode, input: QueryInput) throws(SearchError) -> SearchPlan {
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
        switch sources(of: capability, name: name, mode: mode, input: input) {
        case .success(let found): return SearchPlan(sources: found, skipped: [:])
        case .failure(let error): throw error
        }
    }

    func sources(of capability: SpaceCapability, name: String, mode: QueryMode, input: QueryInput)
        -> Result<[PlannedSource], SearchError>
    {
        let embedder = capability.embedder
        let sameKinds: Set<VectorKind>
        let otherKinds: Set<VectorKind>
        switch input {
        case .text(let language):
            guard embedder.reads(language) else {
                let reads = embedder.textLanguages.map { $0 == .en ? "English" : "Chinese" }.sorted()
                    .joined(separator: " and ")
                return .failure(SearchError(
                    .unsupported,
                    reads.isEmpty
                        ? "\(name) (\(embedder.space.modelID)) does not read text"
                        : "\(name) (\(embedder.space.modelID)) reads \(reads) only; this query is \(language == .zh ? "Chinese" : "mixed")"))
            }
            (sameKinds, otherKinds) = (capability.textKinds, capability.imageKinds)
        case .image:
            guard embedder.readsImages else {
                return .failure(SearchError(.unsupported, "\(name) (\(embedder.space.modelID)) does not embed images"))
            }
            (sameKinds, otherKinds) = (capability.imageKinds, capability.textKinds)
        }
        let sameLabel = if case .image = input { "\(name):image" } else { name }
        let otherLabel = if case .image = input { "\(name):text" } else { "\(name):image" }
        var found: [PlannedSource] = []
        if mode != .cross {
            if sameKinds.isEmpty {
                if mode == .inner {
                    return .failure(SearchError(
                        .unsupported, "\(name) has no \(input.isImage ? "view" : "caption") vectors; ingest with --spaces \(name)"))
                }
            } else {
                found.append(PlannedSource(name: name, kinds: sameKinds, label: sameLabel))
            }
        }
        if mode != .inner {
            if otherKinds.isEmpty {
                if mode == .cross || found.isEmpty {
                    return .failure(SearchError(
                        .unsupported,
                        input.isImage
                            ? "\(name) has no caption vectors for image → text search"
                            : "\(name) has no image vectors; cross-modal search needs an image space with rendered views"))
                }
            } else {
                found.append(PlannedSource(name: name, kinds: otherKinds, label: otherLabel))
            }
        }
        return .success(found)
    }
}

extension QueryInput {
    var isImage: Bool { if case .image = self { true } else { false } }
}
