import AssetCatalog
import Foundation
import ImageCodec
import Retrieval
import Synchronization
import VectorStore

/// A deterministic embedder for engine tests: texts map to hand-made directions by keyword, images by
/// their first pixel's colour. The vectors are chosen so the expected rankings are known exactly.
public final class ToyEmbedder: SpaceEmbedder {
    public let space: EmbeddingSpace
    public let textLanguages: Set<Language>
    public let readsImages: Bool
    /// Number of text-embedding calls (to observe the query cache).
    public let calls = Mutex(0)

    public init(name: String = "toy", languages: Set<Language> = [.en], images: Bool = true) {
        space = EmbeddingSpace(name: name, modelID: "test/\(name)", dimension: 4)
        textLanguages = languages
        readsImages = images
    }

    /// Unit vector for a keyword: chair, sofa, lamp, anything else.
    public static func direction(_ text: String) -> [Float] {
        let lower = text.lowercased()
        if lower.contains("chair") || lower.contains("椅") { return [1, 0, 0, 0] }
        if lower.contains("sofa") || lower.contains("沙发") { return [0, 1, 0, 0] }
        if lower.contains("lamp") { return [0, 0, 1, 0] }
        return [0, 0, 0, 1]
    }

    /// A 2×2 image whose colour encodes a direction: red → chair, green → sofa, blue → lamp.
    public static func image(_ rgb: (UInt8, UInt8, UInt8)) -> Image {
        Image(width: 2, height: 2, channels: 3, pixels: Array(repeating: [rgb.0, rgb.1, rgb.2], count: 4).flatMap { $0 })
    }

    public func embedTexts(_ texts: [String]) async throws -> [[Float]] {
        calls.withLock { $0 += 1 }
        return texts.map(Self.direction)
    }

    public func embedImages(_ images: [Image]) async throws -> [[Float]] {
        images.map { image in
            let (r, g, b) = (Float(image.pixels[0]), Float(image.pixels[1]), Float(image.pixels[2]))
            let norm = max((r * r + g * g + b * b).squareRoot(), 1)
            return [r / norm, g / norm, b / norm, 0]
        }
    }
}

/// A real embedded store in a temporary folder, filled with a small known catalog.
public struct EngineFixture {
    public let store: EmbeddedStore
    public let root: URL

    public static func asset(_ id: String, _ name: String, zh: String? = nil, category: String, views: Int = 0,
                      size: Double = 100, root: URL) -> Asset {
        var asset = Asset(
            id: AssetID(id), library: "test", name: name, nameZH: zh, category: category,
            dimensions: Dimensions(width: size, depth: size, height: size),
            files: AssetFiles(root: root.appendingPathComponent(id).path),
            views: (0..<views).map { ViewInfo(index: $0, path: "views/\($0).png", azimuth: Double($0) * 45, elevation: 20) })
        asset.setCaption(Caption(language: .en, text: name, origin: .catalog(locale: "en")))
        if let zh { asset.setCaption(Caption(language: .zh, text: zh, origin: .catalog(locale: "zh_CN"))) }
        return asset
    }

    public init(space: EmbeddingSpace = ToyEmbedder().space) async throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("engine-\(UUID().uuidString)")
        store = try EmbeddedStore(directory: root)
        let files = root.appendingPathComponent("files")
        let assets = [
            Self.asset("chair-a", "Office chair", zh: "办公椅", category: "Office", views: 3, root: files),
            Self.asset("chair-b", "Kitchen chair", zh: "椅子", category: "Kitchen", views: 2, size: 40, root: files),
            Self.asset("sofa-a", "Sofa", zh: "沙发", category: "Living room", views: 2, root: files),
            Self.asset("lamp-a", "Desk lamp", category: "Lights", views: 1, root: files),
            Self.asset("table-a", "Table", zh: "桌子", category: "Kitchen", root: files),
        ]
        // Real PNG files for every view, so routes that serve views have something to serve.
        for asset in assets {
            for view in asset.views {
                let url = URL(fileURLWithPath: asset.files.root).appendingPathComponent(view.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try PNGEncoder.encode(ToyEmbedder.image((UInt8(40 * view.index), 0, 0))).write(to: url)
            }
        }
        try await store.upsert(assets)
        try await store.ensureSpace(space)
        var records: [VectorRecord] = []
        for asset in assets {
            records.append(VectorRecord(assetID: asset.id, kind: .textEN, vector: ToyEmbedder.direction(asset.name)))
        }
        // Views: chair-a's view 2 is the reddest (best chair view); chair-b's views are half red.
        let views: [(String, Int, [Float])] = [
            ("chair-a", 0, [0.6, 0.8, 0, 0]), ("chair-a", 1, [0.8, 0.6, 0, 0]), ("chair-a", 2, [1, 0, 0, 0]),
            ("chair-b", 0, [0.7, 0, 0.7, 0]), ("chair-b", 1, [0.6, 0, 0, 0.8]),
            ("sofa-a", 0, [0, 1, 0, 0]), ("sofa-a", 1, [0.2, 0.98, 0, 0]),
            ("lamp-a", 0, [0, 0, 1, 0]),
        ]
        for (id, index, vector) in views {
            records.append(VectorRecord(assetID: AssetID(id), kind: .imageView, viewIndex: index, vector: vector))
        }
        try await store.upsert(space: space.name, records)
    }

    public func cleanUp() { try? FileManager.default.removeItem(at: root) }
}
