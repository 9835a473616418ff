import Foundation
import Testing

@testable import Rendering

@Suite struct OBJLoaderTests {
    /// Two quads written with negative (relative) indices, one with texture coordinates and
    /// normals, one with neither; a pentagon; materials from a library.
    let quadsOBJ = """
        # two objects, relative indices
        mtllib quads.mtl
        o first
        v 0 0 0
        v 1 0 0
        v 1 1 0
        v 0 1 0
        vt 0 0
        vt 1 0
        vt 1 1
        vt 0 1
        vn 0 0 1
        usemtl red
        f -4/-4/-1 -3/-3/-1 -2/-2/-1 -1/-1/-1
        g second
        v 0 0 2
        v 1 0 2
        v 1 1 2
        v 0 1 2
        usemtl blue
        f -4 -3 -2 -1
        usemtl red
        s 1
        v 2 0 0
        v 3 0 0
        v 3.5 0.5 0
        v 3 1 0
        v 2 1 0
        f 9 10 11 12 13
        """

    let quadsMTL = """
        newmtl red
        Kd 1 0 0
        newmtl blue
        Kd 0 0 1
        d 0.5
        """

    @Test func quadsAndNegativeIndices() throws {
        let folder = try TestMeshes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestMeshes.write(quadsMTL, "quads.mtl", in: folder)
        let url = try TestMeshes.write(quadsOBJ, "quads.obj", in: folder)
        let (mesh, warnings) = try MeshLoader.load(url: url)
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(mesh.triangleCount == 2 + 2 + 3)
        // First quad: 4 distinct (v, vt, vn); second: 4 flat-shaded; pentagon: 5 smooth.
        #expect(mesh.positions.count == 13)
        #expect(mesh.texcoords.count == 13)
        let box = try #require(mesh.boundingBox)
        #expect(box.min == SIMD3(0, 0, 0) && box.max == SIMD3(3.5, 1, 2))
        let red = try #require(mesh.materials.firstIndex { $0.name == "red" })
        let blue = try #require(mesh.materials.firstIndex { $0.name == "blue" })
        #expect(mesh.materials[red].baseColor == SIMD4(1, 0, 0, 1))
        #expect(mesh.materials[blue].baseColor == SIMD4(0, 0, 1, 0.5))
        #expect(mesh.materials[blue].alphaMode == .blend)
        // The second quad, referenced with -4…-1 after four more vertices, lies at z = 2.
        let blueTriangles = try #require(mesh.submeshes.first { $0.material == blue })
        #expect(blueTriangles.indices.allSatisfy { mesh.positions[Int($0)].z == 2 })
        // Computed normals of the counter-clockwise quad point +z; OBJ v flips to glTF's v.
        #expect(blueTriangles.indices.allSatisfy { mesh.normals[Int($0)] == SIMD3(0, 0, 1) })
        let redTriangles = try #require(mesh.submeshes.first { $0.material == red })
        let corner = try #require(redTriangles.indices.first { mesh.positions[Int($0)] == SIMD3(0, 1, 0) })
        #expect(mesh.texcoords[Int(corner)] == SIMD2(0, 0))
    }

    @Test func numbersInEveryNotation() throws {
        var data = Array("v -1.5e+2 .25 3.\nv 1E-3 -0 +7\nv 0 0 1 0.5 0.25 1\nf 1 2 3\n".utf8)
        let parsed = try data.withUnsafeMutableBufferPointer { buffer in
            try OBJParser.parse(UnsafeBufferPointer(buffer), fileName: "n.obj")
        }
        #expect(parsed.positions[0] == SIMD3(-150, 0.25, 3))
        #expect(parsed.positions[1] == SIMD3(0.001, 0, 7))
        #expect(parsed.positionColors == [SIMD3(1, 1, 1), SIMD3(1, 1, 1), SIMD3(0.5, 0.25, 1)])
    }

    @Test func indexOutOfRangeIsATypedError() throws {
        let folder = try TestMeshes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for face in ["f 1 2 9", "f 1 2 -7", "f 1 2 0", "f 1/1 2/1 -4/1"] {
            let url = try TestMeshes.write("v 0 0 0\nv 1 0 0\nv 0 1 0\nvt 0 0\n\(face)\n", "bad.obj", in: folder)
            let error = try #require(throws: RenderingError.self) { try MeshLoader.load(url: url) }
            #expect(error.code == .outOfRange, "\(face): \(error)")
        }
        // Out-of-range texture coordinates or normals only lose that attribute, with a warning.
        let attributes = try TestMeshes.write(
            "v 0 0 0\nv 1 0 0\nv 0 1 0\nvt 0 0\nf 1/5 2/1 3/1/9\n", "attr.obj", in: folder)
        let (mesh, warnings) = try MeshLoader.load(url: attributes)
        #expect(mesh.triangleCount == 1)
        #expect(warnings.contains { $0.kind == .geometry && $0.message.hasPrefix("2 texture-coordinate or normal") })
        let garbage = try TestMeshes.write("v 0 zero 0\n", "garbage.obj", in: folder)
        #expect(throws: RenderingError(.malformed, "garbage.obj line 1: a vertex needs three numbers")) {
            try MeshLoader.load(url: garbage)
        }
        let empty = try TestMeshes.write("# nothing\nv 0 0 0\n", "empty.obj", in: folder)
        #expect((try? MeshLoader.load(url: empty)) == nil)
    }

    @Test func catalogDefectsBecomeWarningsWithFallbacks() throws {
        let folder = try TestMeshes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // The library is named differently on disk; textures use a modeller's absolute Windows
        // path and a wrong letter case; one material is never defined; a bump map is ignored.
        try TestMeshes.write(
            """
            newmtl wood
            Kd 0 0 0
            map_Kd -s 1 1 1 C:\\Users\\modeller\\Desktop\\textures\\Wood.png
            bump /home/someone/wood_bump.png
            newmtl missing
            Kd 0.2 0.4 0.6
            map_Kd textures/nowhere.jpg
            """, "Chair_export.mtl", in: folder)
        try Data([0x89, 0x50, 0x4E, 0x47, 0, 0]).write(
            to: folder.appendingPathComponent("maps/WOOD.PNG", isDirectory: false).creatingParent())
        let url = try TestMeshes.write(
            """
            mtllib chair.mtl
            v 0 0 0
            v 1 0 0
            v 0 1 0
            vt 0 0
            usemtl wood
            f 1/1 2/1 3/1
            usemtl missing
            f 1 3 2
            usemtl ghost
            f 1 2 3
            usemtl GlassTransparent
            f 1 3 2
            """, "chair.obj", in: folder)
        let (mesh, warnings) = try MeshLoader.load(url: url)
        #expect(mesh.triangleCount == 4)
        let kinds = Set(warnings.map(\.kind))
        #expect(kinds == [.materialLibrary, .texture, .undefinedMaterial, .ignoredFeature], "\(warnings)")
        #expect(warnings.contains { $0.kind == .texture && $0.message.contains("found as 'maps/WOOD.PNG'") })
        #expect(warnings.contains { $0.kind == .texture && $0.message.contains("nowhere.jpg' not found") })
        #expect(warnings.contains { $0.kind == .undefinedMaterial && $0.message.contains("ghost") })
        let missing = try #require(mesh.materials.first { $0.name == "missing" })
        #expect(missing.texture == nil && missing.baseColor == SIMD4(0.2, 0.4, 0.6, 1))
        let ghost = try #require(mesh.materials.first { $0.name == "ghost" })
        #expect(ghost.baseColor == SIMD4(0.8, 0.8, 0.8, 1))
        let glass = try #require(mesh.materials.first { $0.name == "GlassTransparent" })
        #expect(glass.alphaMode == .blend && glass.baseColor.w < 0.5)
    }

    @Test func texturePathsNeverLeaveTheModelFolder() throws {
        let root = try TestMeshes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: root) }
        let model = root.appendingPathComponent("model", isDirectory: true)
        try TestMeshes.write("secret", "secret.png", in: root)
        try TestMeshes.write("x", "inside.txt", in: model)
        let folder = ModelFolder(root: model)
        #expect(folder.resolve("../secret.png") == nil)
        #expect(folder.resolve(root.appendingPathComponent("secret.png").path) == nil)
        #expect(folder.resolve("/etc/passwd") == nil)
        #expect(folder.resolve("C:\\x\\INSIDE.TXT")?.match == .substitute("inside.txt"))
        #expect(folder.resolve("inside.txt")?.match == .exact)
        // A modeller's longer name for the same file, but not an unrelated one.
        #expect(folder.resolve("/Users/someone/3D/ TEXTURES/Room Inside.TXT")?.match == .substitute("inside.txt"))
        #expect(folder.resolve("/Users/someone/outside.txt") == nil)
    }

    @Test func mapOptionsAreStripped() {
        #expect(MTLParser.mapPath("-s 1 1 1 -o 0 0 wood grain.jpg") == "wood grain.jpg")
        #expect(MTLParser.mapPath("-clamp on -bm 0.3 a.png") == "a.png")
        #expect(MTLParser.mapPath("plain.png") == "plain.png")
        #expect(MTLParser.mapPath("  ") == nil)
    }
}

extension URL {
    /// Creates the parent folder and returns self.
    func creatingParent() throws -> URL {
        try FileManager.default.createDirectory(at: deletingLastPathComponent(), withIntermediateDirectories: true)
        return self
    }
}
