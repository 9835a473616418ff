import ImageCodec
import Testing

@testable import Rendering

/// Exact-colour renders of tiny scenes with lighting off (ambient 1), so every covered pixel
/// is its material's colour.
@Suite struct GoldenRenderTests {
    let renderer = Renderer(options: .unlit)
    let size = 64

    func camera(_ azimuth: Double, _ elevation: Double) -> CameraParameters {
        CameraParameters(
            azimuth: azimuth, elevation: elevation, distance: CameraParameters.framingDistance(fieldOfView: 40),
            fieldOfView: 40)
    }

    @Test(arguments: [
        (0.0, 0.0, [UInt8]([0, 0, 255])),  // front: +z blue
        (90.0, 0.0, [255, 0, 0]),  // right: +x red
        (180.0, 0.0, [255, 255, 0]),  // back: −z yellow
        (270.0, 0.0, [0, 255, 255]),  // left: −x cyan
        (0.0, 90.0, [0, 255, 0]),  // top: +y green
        (0.0, -90.0, [255, 0, 255]),  // bottom: −y magenta
    ])
    func cubeFaceSeenHeadOn(azimuth: Double, elevation: Double, rgb: [UInt8]) throws {
        let image = try renderer.render(TestMeshes.colouredCube(), camera: camera(azimuth, elevation), size: size)
        #expect(image.channels == 3)
        #expect(TestMeshes.pixel(image, size / 2, size / 2) == rgb)
        #expect(TestMeshes.pixel(image, 1, 1) == [255, 255, 255])  // white background
    }

    @Test func cubeThreeQuarterViewShowsThreeFaces() throws {
        // Camera at +x +z, above: front (+z) on the left, right side (+x) on the right, top above.
        let image = try renderer.render(TestMeshes.colouredCube(), camera: camera(45, 30), size: size)
        #expect(TestMeshes.pixel(image, 24, 40) == [0, 0, 255])
        #expect(TestMeshes.pixel(image, 40, 40) == [255, 0, 0])
        #expect(TestMeshes.pixel(image, 32, 20) == [0, 255, 0])
    }

    @Test func transparentBackgroundIsClear() throws {
        let renderer = Renderer(options: RenderOptions(background: .transparent, ambient: 1, keyLight: 0, fillLight: 0))
        let image = try renderer.render(TestMeshes.colouredCube(), camera: camera(0, 0), size: size)
        #expect(image.channels == 4)
        #expect(TestMeshes.pixel(image, 0, 0) == [0, 0, 0, 0])
        #expect(TestMeshes.pixel(image, size / 2, size / 2) == [0, 0, 255, 255])
    }

    /// A quad facing +z spanning −1…1 with glTF texture coordinates (v = 0 at the top).
    func texturedQuad(_ texture: Texture) -> Mesh {
        Mesh(
            positions: [SIMD3(-1, 1, 0), SIMD3(1, 1, 0), SIMD3(1, -1, 0), SIMD3(-1, -1, 0)],
            normals: Array(repeating: SIMD3(0, 0, 1), count: 4),
            texcoords: [SIMD2(0, 0), SIMD2(1, 0), SIMD2(1, 1), SIMD2(0, 1)],
            submeshes: [Submesh(indices: [0, 3, 2, 0, 2, 1], material: 0)],
            materials: [Material(name: "checker", baseColor: SIMD4(1, 1, 1, 1), texture: texture)])
    }

    /// A 4×4 black/white checkerboard whose corner texels are red (top left), green (top right)
    /// and blue (bottom left); bottom right stays black.
    func checkerboard() -> Texture {
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
        return Texture(
            image: Image(width: 4, height: 4, channels: 3, pixels: pixels), wrapS: .clampToEdge, wrapT: .clampToEdge)
    }

    @Test func texturedQuadCornersAreOrientedLikeTheImage() throws {
        let image = try renderer.render(texturedQuad(checkerboard()), camera: camera(0, 0), size: size)
        // The quad covers pixels ≈ 10.7…53.3; each texel ≈ 10.6 pixels.
        #expect(TestMeshes.pixel(image, 12, 12) == [255, 0, 0])
        #expect(TestMeshes.pixel(image, 51, 12) == [0, 255, 0])
        #expect(TestMeshes.pixel(image, 12, 51) == [0, 0, 255])
        #expect(TestMeshes.pixel(image, 51, 51) == [0, 0, 0])
        // Seen from behind (double-sided), the image is mirrored: red is on the right.
        let back = try renderer.render(texturedQuad(checkerboard()), camera: camera(180, 0), size: size)
        #expect(TestMeshes.pixel(back, 51, 12) == [255, 0, 0])
    }

    @Test func nearerTriangleHidesFartherOneWhateverTheOrder() throws {
        func triangle(z: Float) -> [SIMD3<Float>] { [SIMD3(-1, -1, z), SIMD3(1, -1, z), SIMD3(0, 1, z)] }
        let red = Material(name: "red", baseColor: SIMD4(1, 0, 0, 1))
        let blue = Material(name: "blue", baseColor: SIMD4(0, 0, 1, 1))
        for nearFirst in [true, false] {
            let mesh = Mesh(
                positions: triangle(z: 0.5) + triangle(z: -0.5),
                normals: Array(repeating: SIMD3(0, 0, 1), count: 6),
                submeshes: nearFirst
                    ? [Submesh(indices: [0, 1, 2], material: 0), Submesh(indices: [3, 4, 5], material: 1)]
                    : [Submesh(indices: [3, 4, 5], material: 1), Submesh(indices: [0, 1, 2], material: 0)],
                materials: [red, blue])
            let image = try renderer.render(mesh, camera: camera(0, 0), size: size)
            #expect(TestMeshes.pixel(image, size / 2, size / 2) == [255, 0, 0], "near first: \(nearFirst)")
        }
    }

    @Test func backFacesAreCulledOnlyForSingleSidedMaterials() throws {
        var cube = TestMeshes.colouredCube()
        // Look from inside the cube's front face direction: remove the front face, so the inside
        // of the back face (−z, yellow) faces the camera with its back side.
        cube.submeshes.removeAll { $0.material == 4 }
        let seen = try renderer.render(cube, camera: camera(0, 0), size: size)
        #expect(TestMeshes.pixel(seen, size / 2, size / 2) == [255, 255, 255])
        for m in cube.materials.indices { cube.materials[m].doubleSided = true }
        let twoSided = try renderer.render(cube, camera: camera(0, 0), size: size)
        #expect(TestMeshes.pixel(twoSided, size / 2, size / 2) == [255, 255, 0])
    }

    @Test func blendedSurfaceMixesWithWhatIsBehind() throws {
        var cube = TestMeshes.colouredCube()
        cube.materials[4].baseColor = SIMD4(0, 0, 1, 0.5)  // front face half transparent
        cube.materials[4].alphaMode = .blend
        cube.materials[5].doubleSided = true  // back face seen through it, from inside
        let image = try renderer.render(cube, camera: camera(0, 0), size: size)
        // Yellow (255,255,0) behind half-blue: (127.5, 127.5, 127.5) ± rounding.
        let p = TestMeshes.pixel(image, size / 2, size / 2)
        #expect(p.allSatisfy { (127...128).contains($0) }, "got \(p)")
    }

    @Test func maskedTexelsAreCutOut() throws {
        let pixels: [UInt8] = [255, 0, 0, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 255]
        let texture = Texture(
            image: Image(width: 2, height: 2, channels: 4, pixels: pixels), wrapS: .clampToEdge, wrapT: .clampToEdge)
        #expect(texture.hasAlpha && texture.alphaIsBinary)
        var quad = texturedQuad(texture)
        quad.materials[0].alphaMode = .mask(cutoff: 0.5)
        let image = try renderer.render(quad, camera: camera(0, 0), size: size)
        #expect(TestMeshes.pixel(image, 14, 14) == [255, 0, 0])  // top left opaque
        #expect(TestMeshes.pixel(image, 49, 14) == [255, 255, 255])  // top right cut out
    }

    @Test func cutOutCoverageFollowsAlphaWhenSupersampling() throws {
        // A black cut-out texture at 50 % alpha: a single sample per pixel applies the cut-off
        // (drawn: 0.5 ≥ 0.5); 2×2 samples keep half of them (alpha-to-coverage) → mid grey.
        let half = Texture(image: Image(width: 1, height: 1, channels: 4, pixels: [0, 0, 0, 128]))
        var quad = texturedQuad(half)
        quad.materials[0].alphaMode = .mask(cutoff: 0.5)
        var options = RenderOptions.unlit
        options.supersampling = 1
        let single = try Renderer(options: options).render(quad, camera: camera(0, 0), size: size)
        #expect(TestMeshes.pixel(single, 32, 32) == [0, 0, 0])
        let coverage = try renderer.render(quad, camera: camera(0, 0), size: size)
        #expect(TestMeshes.pixel(coverage, 32, 32) == [128, 128, 128])
    }

    @Test func viewSetCamerasAndParallelRenderingAgree() throws {
        let viewSet = ViewSet.standard(count: 8, elevation: 20, size: 48)
        #expect(viewSet.cameras.map(\.azimuth) == [0, 45, 90, 135, 180, 225, 270, 315])
        #expect(viewSet.cameras.allSatisfy { $0.elevation == 20 && $0.fieldOfView == 40 })
        let lit = Renderer()
        var serialOptions = RenderOptions()
        serialOptions.parallel = false
        let parallel = try lit.renderViews(TestMeshes.colouredCube(), viewSet)
        let serial = try Renderer(options: serialOptions).renderViews(TestMeshes.colouredCube(), viewSet)
        #expect(parallel.count == 8)
        #expect(parallel.map(\.index) == Array(0..<8))
        #expect(parallel == serial)
        #expect(parallel[0].image.width == 48 && parallel[0].image.height == 48)
        let thumbnail = try lit.thumbnail(TestMeshes.colouredCube())
        #expect(thumbnail.image.width == 256)
    }

    @Test func objectIsNormalisedWhateverItsUnits() throws {
        // The same cube in millimetres far from the origin renders the same image.
        let cube = TestMeshes.colouredCube()
        let moved = cube.transformed(by: .scaleThenTranslate(scale: 1000, translation: SIMD3(5000, -300, 42)))
        let a = try renderer.render(cube, camera: camera(30, 20), size: size)
        let b = try renderer.render(moved, camera: camera(30, 20), size: size)
        let differing = zip(a.pixels, b.pixels).filter { abs(Int($0) - Int($1)) > 2 }.count
        #expect(differing <= a.pixels.count / 200)
    }

    @Test func unusableParametersThrow() {
        #expect(throws: RenderingError.self) {
            try renderer.render(TestMeshes.colouredCube(), camera: camera(0, 0), size: 0)
        }
        #expect(throws: RenderingError.self) {
            try renderer.render(
                TestMeshes.colouredCube(),
                camera: CameraParameters(azimuth: .nan, elevation: 0, distance: 3, fieldOfView: 40), size: 8)
        }
        var options = RenderOptions()
        options.supersampling = 9
        #expect(throws: RenderingError.self) {
            try Renderer(options: options).render(TestMeshes.colouredCube(), camera: camera(0, 0), size: 8)
        }
    }
}
