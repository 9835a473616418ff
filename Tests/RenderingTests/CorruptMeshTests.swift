import Foundation
import Testing

@testable import Rendering

/// Broken files fail that file with a ``RenderingError`` — never a crash, never an allocation
/// sized by a length the file merely claims.
@Suite struct CorruptMeshTests {
    let url = URL(fileURLWithPath: "/nonexistent/corrupt.glb")

    func validGLB() throws -> Data {
        try GLBExporter.export(TestMeshes.colouredCube())
    }

    @Test func truncatedGLBAtEveryLengthFailsCleanly() throws {
        let data = try validGLB()
        #expect(throws: Never.self) { try MeshLoader.load(data: data, url: url) }
        for length in Array(0..<64) + stride(from: 64, to: data.count, by: 7).map({ $0 }) {
            #expect(throws: RenderingError.self, "length \(length)") {
                try MeshLoader.load(data: data.prefix(length), url: url)
            }
        }
    }

    @Test func bufferClaimingTwoGigabytesIsRejected() throws {
        var fixture = GLTFFixture()
        let primitive = fixture.triangle()
        var json = fixture.document(["meshes": [["primitives": [primitive]]], "nodes": [["mesh": 0]]])
        json["buffers"] = [["byteLength": 2_147_483_648]]
        let error = try #require(throws: RenderingError.self) {
            try MeshLoader.load(data: TestMeshes.glb(json: json, binary: fixture.binary), url: url)
        }
        #expect(error.code == .outOfRange)
        #expect(error.message.contains("claims 2147483648 bytes"))
    }

    @Test func chunkClaimingTwoGigabytesIsRejected() throws {
        var data = try validGLB()
        // The BIN chunk header follows the JSON chunk; set its length to 2^31.
        let jsonLength = Int(GLBContainer.readUInt32(data, at: 12))
        let binHeader = 20 + jsonLength
        data.replaceSubrange(binHeader..<binHeader + 4, with: [0, 0, 0, 0x80])
        let error = try #require(throws: RenderingError.self) { try MeshLoader.load(data: data, url: url) }
        #expect(error.code == .outOfRange)
        // And a header claiming more than the file holds.
        var header = try validGLB()
        header.replaceSubrange(8..<12, with: [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: RenderingError.self) { try MeshLoader.load(data: header, url: url) }
    }

    @Test func accessorsReachingPastTheirDataAreRejected() throws {
        for patch in [
            ["count": 500_000_000], ["byteOffset": 1 << 40], ["count": -1], ["componentType": 9999],
            ["bufferView": 77],
        ] as [[String: Any]] {
            var fixture = GLTFFixture()
            let primitive = fixture.triangle()
            for (key, value) in patch { fixture.accessors[0][key] = value }
            let json = fixture.document(["meshes": [["primitives": [primitive]]], "nodes": [["mesh": 0]]])
            #expect(throws: RenderingError.self, "\(patch)") {
                try MeshLoader.load(data: TestMeshes.glb(json: json, binary: fixture.binary), url: url)
            }
        }
        // No buffer view: a zero-filled accessor of two billion elements is refused, not allocated.
        var fixture = GLTFFixture()
        let primitive = fixture.triangle()
        fixture.accessors[0] = ["componentType": 5126, "count": 2_000_000_000, "type": "VEC3"]
        let json = fixture.document(["meshes": [["primitives": [primitive]]], "nodes": [["mesh": 0]]])
        let error = try #require(throws: RenderingError.self) {
            try MeshLoader.load(data: TestMeshes.glb(json: json, binary: fixture.binary), url: url)
        }
        #expect(error.code == .outOfRange)
    }

    @Test func indexBeyondTheVerticesAndNodeCyclesAreRejected() throws {
        var fixture = GLTFFixture()
        let position = fixture.floats([0, 0, 0, 1, 0, 0, 0, 1, 0], type: "VEC3", count: 3)
        let indices = fixture.indices([0, 1, 7])
        let json = fixture.document([
            "meshes": [["primitives": [["attributes": ["POSITION": position], "indices": indices]]]],
            "nodes": [["mesh": 0]],
        ])
        let error = try #require(throws: RenderingError.self) {
            try MeshLoader.load(data: TestMeshes.glb(json: json, binary: fixture.binary), url: url)
        }
        #expect(error.code == .outOfRange)

        var cyclic = GLTFFixture()
        let primitive = cyclic.triangle()
        let cycle = cyclic.document([
            "meshes": [["primitives": [primitive]]], "scenes": [["nodes": [0]]],
            "nodes": [["mesh": 0, "children": [1]], ["children": [0]]],
        ])
        #expect(throws: RenderingError.self) {
            try MeshLoader.load(data: TestMeshes.glb(json: cycle, binary: cyclic.binary), url: url)
        }
    }

    @Test func instancingBombsAreRefused() throws {
        // Each level lists the next node 20 times: 20^6 visits of a tiny triangle if followed.
        var fixture = GLTFFixture()
        let primitive = fixture.triangle()
        var nodes: [[String: Any]] = (0..<6).map { ["children": Array(repeating: $0 + 1, count: 20)] }
        nodes.append(["mesh": 0])
        let json = fixture.document([
            "meshes": [["primitives": [primitive]]], "scenes": [["nodes": [0]]], "nodes": nodes,
        ])
        let error = try #require(throws: RenderingError.self) {
            try MeshLoader.load(data: TestMeshes.glb(json: json, binary: fixture.binary), url: url)
        }
        #expect(error.code == .outOfRange)
    }

    @Test func randomByteDamageNeverCrashes() throws {
        let original = try validGLB()
        var generator = SplitMix(seed: 7)
        var failures = 0
        for _ in 0..<300 {
            var data = original
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let at = Int(generator.next() % UInt64(data.count))
                data[at] = UInt8(truncatingIfNeeded: generator.next())
            }
            do {
                let (mesh, _) = try MeshLoader.load(data: data, url: url)
                // Whatever survives must still render.
                _ = try Renderer().render(mesh, camera: ViewSet.standard(count: 1, size: 16).cameras[0], size: 16)
            } catch {
                failures += 1  // typed: only RenderingError can arrive here
            }
        }
        #expect(failures > 0)
        let text = Array("v 0 0 0\nv 1 0 0\nv 0 1 0\nvt 0 0\nvn 0 0 1\nf 1/1/1 2/1/1 3/1/1\nf -1 -2 -3\n".utf8)
        for _ in 0..<300 {
            var damaged = text
            let at = Int(generator.next() % UInt64(damaged.count))
            damaged[at] = UInt8(truncatingIfNeeded: generator.next())
            do {
                let (mesh, _) = try MeshLoader.load(
                    data: Data(damaged), url: URL(fileURLWithPath: "/nonexistent/x.obj"))
                _ = try Renderer().render(mesh, camera: ViewSet.standard(count: 1, size: 16).cameras[0], size: 16)
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
    }
}

/// A tiny deterministic random generator for damage tests.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
