import Foundation
import Testing

@testable import Rendering

/// Assembles small glTF documents: binary data plus accessors over it.
struct GLTFFixture {
    var binary: [UInt8] = []
    var accessors: [[String: Any]] = []
    var bufferViews: [[String: Any]] = []

    /// Adds a float accessor of `type` over `values`; returns its index.
    mutating func floats(_ values: [Float], type: String, count: Int) -> Int {
        view(TestMeshes.bytes(values))
        accessors.append(["bufferView": bufferViews.count - 1, "componentType": 5126, "count": count, "type": type])
        return accessors.count - 1
    }

    /// Adds an unsigned-short index accessor; returns its index.
    mutating func indices(_ values: [UInt16]) -> Int {
        view(TestMeshes.bytes(values))
        accessors.append([
            "bufferView": bufferViews.count - 1, "componentType": 5123, "count": values.count, "type": "SCALAR",
        ])
        return accessors.count - 1
    }

    mutating func view(_ bytes: [UInt8]) {
        while binary.count % 4 != 0 { binary.append(0) }
        bufferViews.append(["buffer": 0, "byteOffset": binary.count, "byteLength": bytes.count])
        binary += bytes
    }

    /// A unit right triangle in the xy plane facing +z; returns its primitive.
    mutating func triangle(material: Int? = nil) -> [String: Any] {
        let position = floats([0, 0, 0, 1, 0, 0, 0, 1, 0], type: "VEC3", count: 3)
        let normal = floats([0, 0, 1, 0, 0, 1, 0, 0, 1], type: "VEC3", count: 3)
        var primitive: [String: Any] = [
            "attributes": ["POSITION": position, "NORMAL": normal], "indices": indices([0, 1, 2]),
        ]
        if let material { primitive["material"] = material }
        return primitive
    }

    func document(_ extra: [String: Any], bufferURI: String? = nil) -> [String: Any] {
        var buffer: [String: Any] = ["byteLength": binary.count]
        if let bufferURI { buffer["uri"] = bufferURI }
        var json: [String: Any] = [
            "asset": ["version": "2.0"], "accessors": accessors, "bufferViews": bufferViews, "buffers": [buffer],
        ]
        for (key, value) in extra { json[key] = value }
        return json
    }
}

@Suite struct GLTFLoaderTests {
    func close(_ a: SIMD3<Float>, _ b: SIMD3<Float>) -> Bool { ((a - b) * (a - b)).sum() < 1e-10 }

    @Test func nodeTransformsPlaceMeshesWhereTheMatricesSay() throws {
        var fixture = GLTFFixture()
        let primitive = fixture.triangle()
        let s = Float(0.5).squareRoot()
        let json = fixture.document([
            "meshes": [["primitives": [primitive]]],
            "scene": 0, "scenes": [["nodes": [0, 1]]],
            "nodes": [
                ["mesh": 0, "translation": [10, 0, 0]],
                // Column-major: scale 2, then move to z = −5.
                ["children": [2], "matrix": [2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, -5, 1]],
                ["mesh": 0, "rotation": [0, 0, s, s]],  // 90° about z
            ],
        ])
        let folder = try TestMeshes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("nodes.glb")
        try TestMeshes.glb(json: json, binary: fixture.binary).write(to: url)
        let (mesh, warnings) = try MeshLoader.load(url: url)
        #expect(warnings.isEmpty)
        #expect(mesh.triangleCount == 2)
        let expected: [SIMD3<Float>] = [
            SIMD3(10, 0, 0), SIMD3(11, 0, 0), SIMD3(10, 1, 0),
            SIMD3(0, 0, -5), SIMD3(0, 2, -5), SIMD3(-2, 0, -5),
        ]
        #expect(zip(mesh.positions, expected).allSatisfy(close), "\(mesh.positions)")
        let box = try #require(mesh.boundingBox)
        #expect(close(box.min, SIMD3(-2, 0, -5)) && close(box.max, SIMD3(11, 2, 0)))
        // The rotated copy's normal still faces +z.
        #expect(close(mesh.normals[3], SIMD3(0, 0, 1)))
    }

    @Test func translatedNodeAppearsOnItsSideOfTheImage() throws {
        var fixture = GLTFFixture()
        let red = fixture.triangle(material: 0), blue = fixture.triangle(material: 1)
        let json = fixture.document([
            "meshes": [["primitives": [red]], ["primitives": [blue]]],
            "nodes": [["mesh": 0, "translation": [3, 0, 0]], ["mesh": 1, "translation": [-4, 0, 0]]],
            "materials": [
                ["pbrMetallicRoughness": ["baseColorFactor": [1, 0, 0, 1]], "doubleSided": true],
                ["pbrMetallicRoughness": ["baseColorFactor": [0, 0, 1, 1]]],
            ],
        ])
        let folder = try TestMeshes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A .gltf with its buffer in a separate file.
        try Data(fixture.binary).write(to: folder.appendingPathComponent("scene data.bin"))
        var withURI = json
        withURI["buffers"] = [["byteLength": fixture.binary.count, "uri": "scene%20data.bin"]]
        let url = folder.appendingPathComponent("scene.gltf")
        try JSONSerialization.data(withJSONObject: withURI).write(to: url)
        let (mesh, _) = try MeshLoader.load(url: url)
        let image = try Renderer(options: .unlit).render(
            mesh, camera: CameraParameters(azimuth: 0, elevation: 0, distance: 3, fieldOfView: 40), size: 64)
        let row = 30
        let redColumns = (0..<64).filter { TestMeshes.pixel(image, $0, row) == [255, 0, 0] }
        let blueColumns = (0..<64).filter { TestMeshes.pixel(image, $0, row) == [0, 0, 255] }
        #expect(!redColumns.isEmpty && !blueColumns.isEmpty)
        #expect(redColumns.min()! > 40 && blueColumns.max()! < 24)
    }

    @Test func stripsDataURIsColoursAndMissingNormals() throws {
        var fixture = GLTFFixture()
        // A strip of two triangles forming a unit square, no normals, per-vertex colours (linear).
        let position = fixture.floats([0, 0, 0, 1, 0, 0, 0, 1, 0, 1, 1, 0], type: "VEC3", count: 4)
        let colour = fixture.floats(
            [1, 0, 0, 1, 0, 0, 1, 0, 0, 0.2140411, 0.2140411, 0.2140411], type: "VEC3", count: 4)
        let json = fixture.document(
            [
                "meshes": [["primitives": [["attributes": ["POSITION": position, "COLOR_0": colour], "mode": 5]]]],
                "nodes": [["mesh": 0]],
            ], bufferURI: "data:application/octet-stream;base64," + Data(fixture.binary).base64EncodedString())
        let folder = try TestMeshes.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("strip.gltf")
        try JSONSerialization.data(withJSONObject: json).write(to: url)
        let (mesh, _) = try MeshLoader.load(url: url)
        #expect(mesh.triangleCount == 2)
        // Flat normals: one vertex per corner, all facing +z (the strip keeps a consistent winding).
        #expect(mesh.positions.count == 6)
        #expect(mesh.normals.allSatisfy { close($0, SIMD3(0, 0, 1)) })
        // Linear 0.214 is display 0.5.
        #expect(mesh.colors.contains { abs($0.x - 0.5) < 1e-3 && abs($0.w - 1) < 1e-6 })
        #expect(mesh.materials.count == 1)
    }

    @Test func dracoIsReportedAsUnsupported() throws {
        var fixture = GLTFFixture()
        let primitive = fixture.triangle()
        let json = fixture.document([
            "meshes": [["primitives": [primitive]]], "nodes": [["mesh": 0]],
            "extensionsUsed": ["KHR_draco_mesh_compression"], "extensionsRequired": ["KHR_draco_mesh_compression"],
        ])
        let error = try #require(throws: RenderingError.self) {
            try MeshLoader.load(
                data: TestMeshes.glb(json: json, binary: fixture.binary), url: URL(fileURLWithPath: "/tmp/d.glb"))
        }
        #expect(error.code == .unsupportedFeature)
        #expect(error.message.contains("KHR_draco_mesh_compression"))
    }

    @Test func materialsAndAlphaModes() throws {
        var fixture = GLTFFixture()
        let a = fixture.triangle(material: 0), b = fixture.triangle(material: 1)
        let json = fixture.document([
            "meshes": [["primitives": [a, b]]], "nodes": [["mesh": 0]],
            "materials": [
                [
                    "name": "cut", "alphaMode": "MASK", "alphaCutoff": 0.3,
                    "pbrMetallicRoughness": ["baseColorFactor": [1, 1, 1, 1]],
                ],
                [
                    "name": "glass", "alphaMode": "BLEND", "doubleSided": true,
                    "pbrMetallicRoughness": ["baseColorFactor": [0, 0, 0, 0.25]],
                ],
            ],
            "extensionsUsed": ["KHR_materials_clearcoat"],
        ])
        let (mesh, warnings) = try MeshLoader.load(
            data: TestMeshes.glb(json: json, binary: fixture.binary), url: URL(fileURLWithPath: "/tmp/m.glb"))
        #expect(mesh.materials.map(\.name) == ["cut", "glass"])
        #expect(mesh.materials[0].alphaMode == .mask(cutoff: 0.3) && !mesh.materials[0].doubleSided)
        #expect(mesh.materials[1].alphaMode == .blend && mesh.materials[1].doubleSided)
        #expect(mesh.materials[1].baseColor == SIMD4(0, 0, 0, 0.25))
        #expect(warnings.contains { $0.kind == .ignoredFeature && $0.message.contains("KHR_materials_clearcoat") })
    }
}
