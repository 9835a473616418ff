import AssetCatalog
import Foundation
import ImageCodec
import Retrieval
import RetrievalTestSupport
import Testing
import VectorStore

@testable import Ingestion

/// The ingestion stages over a real folder catalog (OBJ meshes written here), a real embedded store and
/// the deterministic toy embedder.
@Suite struct IngestionTests {
    /// A folder catalog: two coloured cubes (OBJ + MTL) and an asset without a mesh.
    static func makeCatalog() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)")
        let cube = """
            mtllib cube.mtl
            v -1 -1 -1
            v 1 -1 -1
            v 1 1 -1
            v -1 1 -1
            v -1 -1 1
            v 1 -1 1
            v 1 1 1
            v -1 1 1
            usemtl paint
            f 1 4 3 2
            f 5 6 7 8
            f 1 2 6 5
            f 2 3 7 6
            f 3 4 8 7
            f 4 1 5 8
            """
        for (name, colour) in [("red", "0.9 0.1 0.1"), ("blue", "0.1 0.1 0.9")] {
            let folder = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(cube.utf8).write(to: folder.appendingPathComponent("cube.obj"))
            try Data("newmtl paint\nKd \(colour)\n".utf8).write(to: folder.appendingPathComponent("cube.mtl"))
        }
        let lines = [
            #"{"id":"red-chair","name":"Red chair","category":"Office","mesh":"red/cube.obj"}"#,
            #"{"id":"blue-sofa","name":"Blue sofa","caption_cn":"蓝色沙发","category":"Living room","mesh":"blue/cube.obj"}"#,
            #"{"id":"lamp","name":"Desk lamp"}"#,
        ]
        try Data(lines.joined(separator: "\n").utf8).write(to: root.appendingPathComponent("assets.jsonl"))
        return root
    }

    @Test func ingestRenderAndEmbedAreResumable() async throws {
        let catalogRoot = try Self.makeCatalog()
        defer { try? FileManager.default.removeItem(at: catalogRoot) }
        let data = catalogRoot.appendingPathComponent("data")
        let store = try EmbeddedStore(directory: data)
        let catalog = try FolderCatalog(folder: catalogRoot)

        let report = try await IngestionPipeline(catalog: catalog, store: store).run(IngestOptions(batchSize: 2))
        #expect(report.stored == 3)
        #expect(try await store.assetCount() == 3)

        let renderStage = RenderStage(
            store: store, derivedRoot: data.appendingPathComponent("derived"),
            settings: RenderSettings(views: 4, size: 32, thumbnailSize: 24), jobs: 2)
        let rendered = try await renderStage.run(report.storedAssets)
        #expect(rendered.rendered == 2)
        #expect(rendered.withoutMesh == 1)
        #expect(rendered.failures.isEmpty)
        let red = try #require(try await store.asset("red-chair"))
        #expect(red.views.map(\.index) == [0, 1, 2, 3])
        #expect(red.views.allSatisfy { $0.rendered })
        let firstView = try #require(red.views.first)
        let image = try ImageDecoder.decode(contentsOf: try #require(red.files.resolve(firstView)))
        #expect(image.width == 32)
        // The cube is red and fills the middle of the view; the corner is the white background.
        let centre = (16 * 32 + 16) * image.channels
        #expect(image.pixels[centre] > 120 && image.pixels[centre + 2] < 90)
        #expect(image.pixels[0] == 255)
        #expect(red.files.glb.flatMap(red.files.resolveDerived) != nil)
        #expect(red.files.renderedThumbnail.flatMap(red.files.resolveDerived) != nil)
        let again = try await renderStage.run(rendered.assets)
        #expect(again.rendered == 0 && again.alreadyDone == 2)

        // Views survive a re-ingest of the catalog (which knows nothing of them).
        _ = try await IngestionPipeline(catalog: catalog, store: store).run(IngestOptions())
        #expect(try await store.asset("red-chair")?.views.count == 4)

        let embedder = ToyEmbedder(languages: [.en, .zh])
        let stage = EmbeddingStage(embedder: embedder, vectors: store, batchSize: 2)
        let embedded = try await stage.run(rendered.assets)
        #expect(embedded.written[.textEN] == 3)
        #expect(embedded.written[.textZH] == 1)
        #expect(embedded.written[.imageView] == 8)
        #expect(embedded.failures.isEmpty)
        let rerun = try await stage.run(rendered.assets)
        #expect(rerun.written.isEmpty)
        #expect(rerun.alreadyDone[.imageView] == 2)
    }

    @Test func captionTextCarriesTheCategory() {
        var asset = Asset(id: "x", library: "l", name: "Bed", category: "Bedroom", categoryZH: "卧室",
                          files: AssetFiles(root: "/tmp"))
        asset.setCaption(Caption(language: .en, text: "Bed", origin: .catalog(locale: "en")))
        asset.setCaption(Caption(language: .zh, text: "床", origin: .catalog(locale: "zh_CN")))
        #expect(EmbeddingStage.captionText(asset, language: .en) == "Bed, bedroom")
        #expect(EmbeddingStage.captionText(asset, language: .zh) == "床，卧室")
        asset.setCaption(Caption(language: .en, text: "Bedroom bed", origin: .catalog(locale: "en")))
        #expect(EmbeddingStage.captionText(asset, language: .en) == "Bedroom bed")
    }

    @Test func fusedViewsAreSpreadAroundTheObject() {
        let views = (0..<8).map { ViewInfo(index: $0, path: "v\($0)", azimuth: Double($0) * 45, elevation: 20) }
        #expect(EmbeddingStage.evenlySpaced(views, count: 4).map(\.index) == [0, 2, 4, 6])
        #expect(EmbeddingStage.evenlySpaced(views, count: 5).map(\.index) == [0, 1, 3, 4, 6])
        #expect(EmbeddingStage.evenlySpaced(views, count: 9).count == 8)
    }
}
