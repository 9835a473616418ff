import AssetCatalog
import Foundation
import ImageCodec
import Retrieval
import Testing
import VectorStore

@testable import Ingestion

/// A built-in multimodal space (`siglip`) loaded by `SpaceFactory` from a model folder — the tiny
/// SigLIP checkpoint the fixture script generated — over rendered views in a real embedded store.
@Suite struct LocalMultimodalSpaceTests {
    /// `Tests/EncodersTests/Resources/vision/<name>`: the transformers-generated tiny checkpoints.
    static func tinyCheckpoint(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("EncodersTests/Resources/vision/\(name)")
    }

    @Test func missingModelFolderNamesThePullCommand() throws {
        let factory = SpaceFactory(modelsDirectory: URL(fileURLWithPath: "/nonexistent-models"))
        #expect(throws: SpaceError.self) { try factory.load("siglip") }
        do {
            _ = try factory.load("chinese_clip")
        } catch let error as SpaceError {
            #expect(error.description.contains("asset3d models pull OFA-Sys/chinese-clip-vit-base-patch16"))
        }
    }

    @Test func viewsAreFoundByTheirOwnImageAndByText() async throws {
        let catalogRoot = try IngestionTests.makeCatalog()
        defer { try? FileManager.default.removeItem(at: catalogRoot) }
        let models = catalogRoot.appendingPathComponent("models/google")
        try FileManager.default.createDirectory(at: models, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: models.appendingPathComponent("siglip-base-patch16-224"),
            withDestinationURL: Self.tinyCheckpoint("tiny-siglip"))
        let space = try SpaceFactory(modelsDirectory: catalogRoot.appendingPathComponent("models")).load("siglip")
        #expect(space.readsImages)
        #expect(space.space.modelID == "google/siglip-base-patch16-224")

        let data = catalogRoot.appendingPathComponent("data")
        let store = try EmbeddedStore(directory: data)
        let report = try await IngestionPipeline(catalog: try FolderCatalog(folder: catalogRoot), store: store)
            .run(IngestOptions())
        let rendered = try await RenderStage(
            store: store, derivedRoot: data.appendingPathComponent("derived"),
            settings: RenderSettings(views: 3, size: 48, thumbnailSize: 24), jobs: 2
        ).run(report.storedAssets)
        let embedded = try await EmbeddingStage(embedder: space, vectors: store, batchSize: 2).run(rendered.assets)
        #expect(embedded.failures.isEmpty)
        #expect(embedded.written[.imageView] == 6)
        #expect(embedded.written[.textEN] == 3)
        let summary = try await store.spaces().first { $0.space.name == "siglip" }
        #expect(summary?.counts[.imageView] == 6)

        let engine = SearchEngine(store: store, vectors: store, embedders: [space])
        // Image → image: a stored view, decoded again, finds its own asset first with cosine ≈ 1.
        let blue = try #require(try await store.asset("blue-sofa"))
        let view = try #require(blue.views.last)
        let image = try ImageDecoder.decode(contentsOf: try #require(blue.files.resolve(view)))
        let byImage = try await engine.search(ImageSearchRequest(image: image, algorithm: "siglip", topK: 2))
        let first = try #require(byImage.hits.first)
        #expect(first.asset.id == "blue-sofa")
        #expect(first.matchedView?.index == view.index)
        #expect(abs(first.similarity - 1) < 1e-4)

        // Text → image: answered from the views (every hit names the view it matched).
        let byText = try await engine.search(
            TextSearchRequest(query: "blue sofa", algorithm: "siglip", crossModal: true, topK: 5))
        #expect(byText.hits.count == 2)
        #expect(byText.hits.allSatisfy { $0.matchedView != nil })
    }
}
