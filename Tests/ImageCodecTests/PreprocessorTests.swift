import Foundation
import ImageCodec
import Testing

/// `ImagePreprocessor` against transformers 4.57.1's slow `SiglipImageProcessor`,
/// `CLIPImageProcessor` and `ChineseCLIPImageProcessor` (`pixel_values`, float32).
@Suite struct PreprocessorTests {
    static let cases = (try? Fixtures.load().manifest.preprocess) ?? []

    static var labels: [String] {
        cases.indices.map { "\($0): \(cases[$0].config) ← \(cases[$0].image)" }
    }

    @Test(arguments: labels)
    func matchesTransformers(label: String) throws {
        let fixtures = try Fixtures.load()
        let index = try #require(Int(label.prefix { $0 != ":" }))
        let expected = fixtures.manifest.preprocess[index]
        let preprocessor = try ImagePreprocessor(contentsOf: fixtures.root.appendingPathComponent(expected.config))
        let image = try ImageDecoder.decode(fixtures.data(expected.image))
        let values = try preprocessor.pixelValues(for: image)
        let reference = fixtures.floats(expected.values)
        #expect(values.count == reference.count)
        #expect(Array(expected.values.shape.prefix(1)) == [3])
        guard values.count == reference.count else { return }
        var worst: Float = 0
        for i in values.indices { worst = max(worst, abs(values[i] - reference[i])) }
        // Same uint8 samples and the same float32 operations as numpy: the result is exact.
        #expect(worst <= 1e-3, "max |Δ| = \(worst)")
        #expect(worst == 0, "max |Δ| = \(worst) (expected bit-identical)")
    }

    @Test func batchEqualsSingleImagesAndKeepsOrder() throws {
        let fixtures = try Fixtures.load()
        let preprocessor = try ImagePreprocessor(
            contentsOf: fixtures.root.appendingPathComponent("configs/clip_30_crop_24.json"))
        let files = ["images/photo.jpg", "images/rgba.png", "images/grey.png", "images/lossy.webp", "images/cmyk.jpg"]
        let images = try files.map { try ImageDecoder.decode(fixtures.data($0)) }
        let batch = try preprocessor.pixelValues(for: images)
        let single = try images.flatMap { try preprocessor.pixelValues(for: $0) }
        #expect(batch == single)
        #expect(batch.count == images.count * 3 * 24 * 24)
    }

    @Test func configDefaultsFollowTransformers() throws {
        let siglip = try ImagePreprocessor(config: PreprocessorConfig(imageProcessorType: "SiglipImageProcessor"))
        #expect(siglip.kind == .siglip)
        #expect(siglip.resize == .exact(width: 224, height: 224))
        #expect(siglip.filter == .bicubic)
        #expect(siglip.crop == nil)
        #expect(siglip.normalization?.mean == [0.5, 0.5, 0.5])
        #expect(siglip.rescaleFactor == 1.0 / 255.0)

        let clip = try ImagePreprocessor(config: PreprocessorConfig(imageProcessorType: "CLIPImageProcessorFast"))
        #expect(clip.kind == .clip)
        #expect(clip.resize == .shortestEdge(224))
        #expect(clip.crop?.width == 224 && clip.crop?.height == 224)
        #expect(clip.normalization?.std == [0.26862954, 0.26130258, 0.27577711])
        #expect(clip.outputSize?.width == 224)

        let legacy = try PreprocessorConfig(
            json: Data(
                #"{"feature_extractor_type":"CLIPFeatureExtractor","size":256,"crop_size":240,"resample":2,"image_mean":0.5,"image_std":[0.25,0.25,0.25],"do_rescale":false}"#
                    .utf8))
        let fromLegacy = try ImagePreprocessor(config: legacy)
        #expect(fromLegacy.resize == .shortestEdge(256))
        #expect(fromLegacy.crop?.width == 240 && fromLegacy.crop?.height == 240)
        #expect(fromLegacy.filter == .bilinear)
        #expect(fromLegacy.normalization?.mean == [0.5, 0.5, 0.5])
        #expect(fromLegacy.rescaleFactor == nil)
    }

    @Test func unsupportedConfigurationsAreTypedErrors() throws {
        for json in [
            #"{"image_processor_type":"Siglip2ImageProcessor"}"#, #"{"image_processor_type":"ViTImageProcessor"}"#,
            #"{}"#, #"{"image_processor_type":"CLIPImageProcessor","crop_size":{"height":0,"width":3}}"#,
            #"{"image_processor_type":"SiglipImageProcessor","image_mean":[0.5,0.5]}"#, "not json",
        ] {
            #expect(throws: ImageCodecError.self) {
                try ImagePreprocessor(config: PreprocessorConfig(json: Data(json.utf8)))
            }
        }
    }

    @Test func configRoundTripsThroughJSON() throws {
        let fixtures = try Fixtures.load()
        for name in ["siglip_24.json", "clip_legacy.json", "chinese_clip_28.json"] {
            let config = try PreprocessorConfig(contentsOf: fixtures.root.appendingPathComponent("configs/" + name))
            let again = try JSONDecoder().decode(PreprocessorConfig.self, from: JSONEncoder().encode(config))
            #expect(again == config)
        }
    }

    @Test func centerCropPadsLikeTransformers() throws {
        // 3×2 image, crop 5×4: top = (2 - 4) // 2 = -1, left = (3 - 5) // 2 = -1.
        let image = Image(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])
        let crop = try image.centerCropped(width: 5, height: 4)
        #expect(crop.pixels == [0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0])
        // Odd difference: (3 - 2) // 2 = 0 → keep the left column.
        #expect(try image.centerCropped(width: 2, height: 2).pixels == [1, 2, 4, 5])
        #expect(throws: ImageCodecError.self) { try image.centerCropped(width: 0, height: 1) }
    }
}
