import AssetCatalog
import Foundation
@testable import VectorStore

/// A fresh directory under the system temporary folder, removed when the value is released.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("asset3d-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Builders for test assets.
enum Fixtures {
    static func asset(
        _ id: String, library: String = "sh3d/Test", name: String? = nil, category: String? = "Living room",
        license: String? = "CC-BY", size: Double? = 100
    ) -> Asset {
        Asset(
            id: AssetID(id), library: library, name: name ?? "Asset \(id)", nameZH: "资产 \(id)",
            category: category, categoryZH: "客厅", tags: ["tag-\(id)"],
            captions: [
                Caption(language: .en, text: "An asset called \(id)", origin: .catalog(locale: "en")),
                Caption(language: .zh, text: "一个叫 \(id) 的资产", origin: .machineTranslated(model: "test")),
            ],
            license: license, creator: "Tester",
            dimensions: size.map { Dimensions(width: $0, depth: $0 / 2, height: $0 / 4) },
            files: AssetFiles(root: "/tmp/assets", mesh: "\(id).obj", icon: "\(id).png"),
            views: [ViewInfo(index: 0, path: "views/\(id)-0.png", azimuth: 0, elevation: 20)],
            extra: ["source": "fixtures"])
    }
}
