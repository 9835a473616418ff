import Foundation
import Testing

@testable import AssetCatalog

@Suite struct FolderCatalogTests {
    func makeFolder(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("folder-\(UUID().uuidString)")
        for (path, content) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
        return root
    }

    @Test func readsManifestEntriesAndReportsBrokenLines() throws {
        let root = try makeFolder([
            "meshes/chair.glb": "glTF",
            "assets.jsonl": """
                {"id":"chair-1","name":"Red chair","name_zh":"红色椅子","category":"Seating","mesh":"meshes/chair.glb","tags":["red"],"dimensions":{"width":50,"depth":50,"height":90}}
                {"id":"lamp","caption_en":"A brass desk lamp","caption_cn":"黄铜台灯","mesh":"meshes/lamp.glb"}
                not json
                {"id":"evil","mesh":"../../etc/passwd"}
                {"id":"chair-1","name":"duplicate"}

                """,
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let contents = try FolderCatalog(folder: root).read()
        #expect(contents.assets.map(\.id) == ["chair-1", "lamp"])
        let chair = contents.assets[0]
        #expect(chair.caption(.en)?.text == "Red chair")
        #expect(chair.caption(.zh)?.text == "红色椅子")
        #expect(chair.dimensions?.largestSide == 90)
        #expect(chair.files.resolve("meshes/chair.glb") != nil)
        #expect(contents.assets[1].name == "A brass desk lamp")
        let skipped = contents.problems.filter(\.skipped).map(\.location)
        #expect(skipped == ["assets.jsonl:3", "assets.jsonl:4", "assets.jsonl:5"])
        // The lamp's mesh is missing: reported, not skipped.
        #expect(contents.problems.contains { !$0.skipped && $0.message.contains("lamp.glb") })
    }

    @Test func scansMeshesWithoutManifest() throws {
        let root = try makeFolder(["a/office_chair.glb": "x", "b/sofa-bed.OBJ": "x", "notes.txt": "x"])
        defer { try? FileManager.default.removeItem(at: root) }
        let contents = try FolderCatalog(folder: root).read()
        #expect(contents.assets.map(\.id) == ["a/office_chair", "b/sofa-bed"])
        #expect(contents.assets.map(\.name) == ["office chair", "sofa bed"])
    }

    @Test func catalogSpecs() throws {
        #expect(try CatalogSpec(parsing: "sh3d") == .sweetHome3D(CatalogSpec.debianSweetHome3D))
        #expect(try CatalogSpec(parsing: "folder:/tmp/x") == .folder(URL(fileURLWithPath: "/tmp/x")))
        #expect(throws: CatalogError.self) { try CatalogSpec(parsing: "folder:") }
        #expect(throws: CatalogError.self) { try CatalogSpec(parsing: "objaverse") }
        #expect(throws: CatalogError.self) { try FolderCatalog(folder: URL(fileURLWithPath: "/nonexistent/x")) }
    }
}

@Suite struct AssetFilesTests {
    @Test func confinesPathsToTheRoot() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("m"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: root.appendingPathComponent("m/model.obj"))
        let outside = root.deletingLastPathComponent().appendingPathComponent("secret-\(UUID().uuidString).txt")
        try Data("secret".utf8).write(to: outside)
        try FileManager.default.createSymbolicLink(
            at: root.appendingPathComponent("m/link.txt"), withDestinationURL: outside)
        defer {
            try? FileManager.default.removeItem(at: root)
            try? FileManager.default.removeItem(at: outside)
        }
        let files = AssetFiles(root: root.path, mesh: "m/model.obj")
        #expect(files.resolve("m/model.obj") != nil)
        #expect(files.resolve("m/../m/model.obj") == nil)
        #expect(files.resolve("../\(outside.lastPathComponent)") == nil)
        #expect(files.resolve(outside.path) == nil)
        #expect(files.resolve("m/link.txt") == nil)
        #expect(files.resolve("m") == nil)
        #expect(files.resolve("m/missing.obj") == nil)
        #expect(files.resolve("m\\..\\x") == nil)
        #expect(!RelativePath.isSafe(""))
        #expect(!RelativePath.isSafe("a/\0b"))
    }
}
