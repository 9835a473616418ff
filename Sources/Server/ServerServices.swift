import Foundation
import Retrieval
import VectorStore

/// What the HTTP layer needs: the store, the search engine and where static files live.
public struct ServerServices: Sendable {
    /// Asset metadata and files.
    public var store: any AssetStore
    /// Vectors (for `/spaces`); nil for a lexical-only server.
    public var vectors: (any VectorIndex)?
    /// Answers queries.
    public var engine: SearchEngine
    /// `embedded` or `postgres`, reported by `/health`.
    public var storeName: String
    /// `top_k` when a request has none (`DEFAULT_TOP_K`).
    public var defaultTopK: Int
    /// Folder of the web page (index.html, CSS, JS); the copy bundled with the binary when nil.
    public var webRoot: URL?
    /// Debian's `libjs-three` folder, served under `/vendor/three/`.
    public var threeJSRoot: URL

    public init(
        store: any AssetStore, vectors: (any VectorIndex)? = nil, engine: SearchEngine, storeName: String,
        defaultTopK: Int = 10,
        webRoot: URL? = nil,
        threeJSRoot: URL = URL(fileURLWithPath: "/usr/share/javascript/three")
    ) {
        self.store = store
        self.vectors = vectors
        self.engine = engine
        self.storeName = storeName
        self.defaultTopK = defaultTopK
        self.webRoot = webRoot ?? Bundle.module.resourceURL?.appendingPathComponent("Web")
        self.threeJSRoot = threeJSRoot
    }
}
