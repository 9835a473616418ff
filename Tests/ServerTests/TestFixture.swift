import AssetCatalog
import Foundation
import Hummingbird
import HummingbirdTesting
import Retrieval
import Server
import VectorStore

/// A small real catalog on disk (folder catalog with meshes and icons) in a real embedded store.
struct ServerFixture {
    let dataDirectory: URL
    let catalogFolder: URL
    let store: EmbeddedStore
    let services: ServerServices

    static let entries = """
        {"id":"chair-1","name":"Armchair","name_zh":"扶手椅","category":"Living room","category_zh":"客厅","mesh":"meshes/armchair.obj","icon":"icons/armchair.png","license":"CC0","creator":"Tester","dimensions":{"width":80,"depth":80,"height":95}}
        {"id":"chair-2","name":"Office armchair","name_zh":"办公扶手椅","category":"Office","mesh":"meshes/office.obj","license":"CC-BY"}
        {"id":"sofa-1","name":"Sofa","name_zh":"沙发","category":"Living room","mesh":"meshes/sofa.glb","objaverse_id":"abc123","dimensions":{"width":210,"depth":90,"height":80}}
        {"id":"0/10002","name":"Wooden table","caption_cn":"木桌","category":"Kitchen","mesh":"meshes/table.obj"}
        {"id":"lamp","name":"Desk lamp","category":"Lights"}
        """

    init() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("server-\(UUID().uuidString)")
        catalogFolder = root.appendingPathComponent("catalog")
        dataDirectory = root.appendingPathComponent("data")
        let files = [
            "assets.jsonl": Data(Self.entries.utf8),
            "meshes/armchair.obj": Data("v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n".utf8),
            "meshes/office.obj": Data("v 0 0 0\n".utf8),
            "meshes/sofa.glb": Data("glTF-binary".utf8),
            "meshes/table.obj": Data("v 0 0 0\n".utf8),
            "icons/armchair.png": Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ]
        for (path, data) in files {
            let url = catalogFolder.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url)
        }
        try Data("top secret".utf8).write(to: root.appendingPathComponent("secret.txt"))
        store = try EmbeddedStore(directory: dataDirectory)
        let assets = try FolderCatalog(folder: catalogFolder).read().assets
        try await store.upsert(assets)
        services = ServerServices(
            store: store, engine: SearchEngine(store: store, lexicalRefreshInterval: .zero), storeName: "embedded")
    }

    func cleanUp() { try? FileManager.default.removeItem(at: dataDirectory.deletingLastPathComponent()) }

    var app: some ApplicationProtocol {
        Application(router: buildRouter(services))
    }
}

extension TestResponse {
    /// The body parsed as JSON, or nil when it is not JSON.
    func json() -> Any? {
        try? JSONSerialization.jsonObject(with: Data(body.readableBytesView), options: [.fragmentsAllowed])
    }

    /// The `results` of a search response (the original demo's object shape).
    func results() -> [[String: Any]]? { (json() as? [String: Any])?["results"] as? [[String: Any]] }

    /// The `error` object of an error response (empty strings when absent).
    func apiError() -> (code: String, message: String) {
        let object = json() as? [String: Any]
        let error = object?["error"] as? [String: Any]
        return (error?["code"] as? String ?? "", error?["message"] as? String ?? "")
    }
}

extension ByteBuffer {
    /// A buffer holding `json` as UTF-8.
    init(json: String) {
        self.init()
        writeString(json)
    }
}
