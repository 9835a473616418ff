import Foundation
import ImageCodec
import Testing

@testable import Rendering

@Suite struct GLBExportTests {
    /// The golden checkerboard as a PNG file's bytes.
    func checkerPNG() throws -> [UInt8] {
        var pixels: [UInt8] = []
        for y in 0..<4 {
            for x in 0..<4 {
                switch (x, y) {
                case (0, 0): pixels += [255, 0, 0]
                case (3, 0): pixels += [0, 255, 0]
                case (0, 3): pixels += [0, 0, 255]
                default: pixels += (x + y) % 2 == 0 ? [0, 0, 0] : [255, 255, 255]
                }
            }
        }
        return [UInt8](try PNGEncoder.encode(Image(width: 4, height: 4, channels: 3, pixels: pixels)))
    }

    @Test func roundTripKeepsVerticesBoundsAndTexture() throws {
        let png = try checkerPNG()
        let texture = try TextureDecoder.decode(png, wrapS: .clampToEdge, wrapT: .mirroredRepeat)
        var mesh = TestMeshes.colouredCube()
        // Texture the front face; give every vertex a uv and a colour.
        mesh.texcoords = mesh.positions.map { SIMD2($0.x + 0.5, 0.5 - $0.y) }
        mesh.colors = mesh.positions.map { _ in SIMD4(1, 1, 1, 1) }
        mesh.materials[4].texture = texture
        mesh.materials[4].baseColor = SIMD4(1, 1, 1, 1)
        mesh.materials[2].alphaMode = .mask(cutoff: 0.25)

        let glb = try GLBExporter.export(mesh)
        let folder = try TestMeshes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("cube.glb")
        try glb.write(to: url)
        let (reloaded, warnings) = try MeshLoader.load(url: url)
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(reloaded.positions.count == mesh.positions.count)
        #expect(reloaded.triangleCount == mesh.triangleCount)
        #expect(reloaded.boundingBox == mesh.boundingBox)
        #expect(reloaded.positions == mesh.positions && reloaded.normals == mesh.normals)
        #expect(reloaded.texcoords == mesh.texcoords)
        let front = try #require(reloaded.materials.first { $0.name == "face4" })
        let reloadedTexture = try #require(front.texture)
        #expect(reloadedTexture.encoded?.data == png)  // embedded unchanged
        #expect(reloadedTexture.image == texture.image)
        #expect(reloadedTexture.wrapS == .clampToEdge && reloadedTexture.wrapT == .mirroredRepeat)
        // Colours survive the display → linear → display conversion.
        for (a, b) in zip(reloaded.materials, mesh.materials) {
            #expect(a.name == b.name && a.alphaMode == b.alphaMode && a.doubleSided == b.doubleSided)
            let difference = a.baseColor - b.baseColor
            #expect((difference * difference).max() < 1e-8)
        }
        // Rendering the reloaded mesh gives the same picture.
        let camera = ViewSet.standard(count: 1, elevation: 10, size: 64).cameras[0]
        let renderer = Renderer(options: .unlit)
        #expect(
            try renderer.render(reloaded, camera: camera, size: 64) == renderer.render(mesh, camera: camera, size: 64))
    }

    @Test func textureWithoutOriginalBytesIsEmbeddedAsPNG() throws {
        let image = Image(width: 2, height: 1, channels: 4, pixels: [10, 20, 30, 255, 40, 50, 60, 128])
        var mesh = TestMeshes.colouredCube()
        mesh.texcoords = Array(repeating: SIMD2(0.25, 0.5), count: mesh.positions.count)
        mesh.materials[0].texture = Texture(image: image)
        let (reloaded, _) = try MeshLoader.load(
            data: try GLBExporter.export(mesh), url: URL(fileURLWithPath: "/nonexistent/t.glb"))
        let texture = try #require(reloaded.materials[0].texture)
        #expect(texture.image == image)
        #expect(texture.encoded?.mimeType == "image/png")
        // The same texture on two materials is stored once.
        mesh.materials[1].texture = Texture(image: image)
        let json = try glbJSON(GLBExporter.export(mesh))
        #expect((json["images"] as? [Any])?.count == 1)
    }

    @Test func objTextureOrientationSurvivesLoading() throws {
        // An OBJ quad whose vt follow OBJ's convention (v = 1 at the top of the image).
        let folder = try TestMeshes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(checkerPNG()).write(to: folder.appendingPathComponent("checker.png"))
        try TestMeshes.write("newmtl board\nKd 1 1 1\nmap_Kd checker.png\n", "quad.mtl", in: folder)
        let url = try TestMeshes.write(
            """
            mtllib quad.mtl
            v -1 -1 0
            v 1 -1 0
            v 1 1 0
            v -1 1 0
            vt 0 0
            vt 1 0
            vt 1 1
            vt 0 1
            usemtl board
            f 1/1 2/2 3/3 4/4
            """, "quad.obj", in: folder)
        var (mesh, warnings) = try MeshLoader.load(url: url)
        #expect(warnings.isEmpty, "\(warnings)")
        mesh.materials[0].texture?.wrapS = .clampToEdge
        mesh.materials[0].texture?.wrapT = .clampToEdge
        let camera = CameraParameters(
            azimuth: 0, elevation: 0, distance: CameraParameters.framingDistance(fieldOfView: 40), fieldOfView: 40)
        let image = try Renderer(options: .unlit).render(mesh, camera: camera, size: 64)
        #expect(TestMeshes.pixel(image, 12, 12) == [255, 0, 0])
        #expect(TestMeshes.pixel(image, 51, 12) == [0, 255, 0])
        #expect(TestMeshes.pixel(image, 12, 51) == [0, 0, 255])
    }

    @Test func emptyMeshCannotBeExported() {
        #expect(throws: RenderingError.self) {
            try GLBExporter.export(Mesh(positions: [], submeshes: [], materials: []))
        }
    }

    func glbJSON(_ data: Data) throws -> [String: Any] {
        let container = try GLBContainer(data, fileName: "x.glb")
        return try #require(JSONSerialization.jsonObject(with: container.json) as? [String: Any])
    }
}
