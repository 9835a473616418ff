import Foundation
import Testing

@testable import AssetCatalog

/// Reads the real libraries of Debian's `sweethome3d-furniture` (installed by scripts/setup.sh).
@Suite struct SweetHome3DCatalogTests {
    static let folder = CatalogSpec.debianSweetHome3D

    func openCatalog() throws -> (SweetHome3DCatalog, URL) {
        let libraries = (try? FileManager.default.contentsOfDirectory(atPath: Self.folder.path)) ?? []
        try #require(
            libraries.contains { $0.hasSuffix(".sh3f") },
            "sweethome3d-furniture is not installed; run scripts/setup.sh")
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sh3d-\(UUID().uuidString)")
        return (try SweetHome3DCatalog(folder: Self.folder, extractionRoot: root), root)
    }

    @Test func readsAll820PiecesWithStableIDs() throws {
        let (catalog, _) = try openCatalog()
        let contents = catalog.read()
        #expect(contents.assets.count == 820)
        #expect(contents.problems.filter(\.skipped).isEmpty)
        #expect(Set(contents.assets.map(\.id)).count == 820)
        let armchair = try #require(contents.assets.first { $0.id == "sh3d-BlendSwap-CC-0-1" })
        #expect(armchair.name == "Armchair")
        #expect(armchair.nameZH == "扶手椅")
        #expect(armchair.caption(.zh)?.origin == .catalog(locale: "zh_CN"))
        #expect(armchair.category == "Office")
        #expect(armchair.categoryZH == "办公室")
        #expect(armchair.library == "sh3d/BlendSwap-CC-0")
        #expect(armchair.license == "Public domain")
        #expect(armchair.files.mesh == "blendswap-cc-0/armchair/armchair.obj")
        #expect(armchair.files.icon == "blendswap-cc-0/armchair.png")
        #expect(armchair.dimensions == Dimensions(width: 59.4, depth: 62.7, height: 105))
        #expect(armchair.tags.contains("Seat"))
    }

    @Test func untranslatedChineseNamesFallBackToTraditionalOrAreLeftEmpty() throws {
        let (catalog, _) = try openCatalog()
        let assets = catalog.read().assets
        for asset in assets {
            if let zh = asset.nameZH { #expect(ChineseText.isChinese(zh), "\(asset.id): \(zh)") }
            if let category = asset.categoryZH { #expect(!category.first!.isNumber, "\(asset.id): \(category)") }
        }
        // KatorLegaz #76 "Apple iMac 1998" is English in zh_CN; zh_TW has a real translation or nothing.
        let imac = try #require(assets.first { $0.id == "sh3d-KatorLegaz-76" })
        #expect(imac.name == "Apple iMac 1998")
        if let caption = imac.caption(.zh) { #expect(caption.origin == .catalog(locale: "zh_TW")) }
        let fromTaiwan = assets.filter { $0.caption(.zh)?.origin == .catalog(locale: "zh_TW") }
        #expect(fromTaiwan.count > 100)
        // Traditional text is shown in simplified form; the original is kept.
        let burlap = try #require(assets.first { $0.name == "Burlap sofa" })
        #expect(burlap.nameZH == "二人座沙发")
        #expect(burlap.extra["name_zh_TW"] == "二人座沙發")
        for asset in fromTaiwan { #expect(asset.nameZH == ChineseText.simplified(asset.nameZH ?? "")) }
        #expect(assets.filter { $0.nameZH != nil }.count > 780)
    }

    @Test func extractsOnlyTheAssetsFilesIntoTheRoot() throws {
        let (catalog, root) = try openCatalog()
        defer { try? FileManager.default.removeItem(at: root) }
        let asset = try #require(catalog.read().assets.first { $0.id == "sh3d-Scopia-3" })
        try catalog.materialize(asset)
        let meshPath = try #require(asset.files.mesh)
        let iconPath = try #require(asset.files.icon)
        let mesh = try #require(asset.files.resolve(meshPath))
        #expect(mesh.lastPathComponent == "bed1.obj")
        #expect(asset.files.resolve("scopia/bed1/bed1.mtl") != nil)
        #expect(asset.files.resolve(iconPath) != nil)
        // Nothing of other pieces was extracted.
        #expect(asset.files.resolve("scopia/bathroom3/bathroom3.obj") == nil)
        // Extracting again keeps the files (idempotent).
        try catalog.materialize(asset)
        #expect(asset.files.resolve(meshPath) != nil)
    }
}
