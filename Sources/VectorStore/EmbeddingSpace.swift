import AssetCatalog

/// A named embedding space: one model at one revision producing vectors of one dimension
/// (DESIGN.md, "Embedding spaces"). Spaces coexist; dropping one never touches another.
public struct EmbeddingSpace: Sendable, Codable, Hashable {
    /// Short name used in APIs and the CLI (`minilm`, `siglip`, `clip`, `qwen`, …).
    public var name: String
    /// Model identifier, e.g. `sentence-transformers/all-MiniLM-L6-v2`.
    public var modelID: String
    /// Model revision (commit or tag); `main` when unknown.
    public var revision: String
    /// Vector dimension.
    public var dimension: Int

    public init(name: String, modelID: String, revision: String = "main", dimension: Int) {
        self.name = name
        self.modelID = modelID
        self.revision = revision
        self.dimension = dimension
    }
}

/// Which vector of an asset a record holds.
public enum VectorKind: String, Sendable, Codable, CaseIterable, Hashable {
    /// English caption embedding.
    case textEN = "text_en"
    /// Chinese caption embedding.
    case textZH = "text_cn"
    /// One rendered view (with ``VectorRecord/viewIndex``).
    case imageView = "image_view"
    /// One vector fusing several views.
    case imageFused = "image_fused"

    /// The text kind for a caption language.
    public static func text(_ language: Language) -> VectorKind {
        language == .en ? .textEN : .textZH
    }

    /// True for the image kinds.
    public var isImage: Bool { self == .imageView || self == .imageFused }
}

/// One stored vector.
public struct VectorRecord: Sendable, Hashable {
    public var assetID: AssetID
    public var kind: VectorKind
    /// View index for ``VectorKind/imageView``; 0 otherwise.
    public var viewIndex: Int
    /// L2-normalised components.
    public var vector: [Float]

    public init(assetID: AssetID, kind: VectorKind, viewIndex: Int = 0, vector: [Float]) {
        self.assetID = assetID
        self.kind = kind
        self.viewIndex = viewIndex
        self.vector = vector
    }
}
