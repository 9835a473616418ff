import Foundation
import ImageCodec
import Neural
import Testing
import Tokenizers

@testable import Encoders

/// Tiny random SigLIP, SigLIP 2, CLIP and Chinese-CLIP checkpoints against transformers 4.57.1's
/// processors and models (fixtures made by `scripts/fixtures/vision_models.py`).
struct VisionEncoderTests {
    struct Expected: Decodable {
        struct ImageCase: Decodable {
            /// `offset` in bytes into pixels.bin, `count` in floats.
            struct Slice: Decodable { var offset: Int, count: Int }
            var file: String
            var pixels: Slice
            var shape: [Int]
        }
        struct Model: Decodable {
            var folder: String
            var text_ids: [[Int]]
            var text_embeddings: [[Double]]
            var images: [ImageCase]
            var image_embeddings: [[Double]]
        }
        var texts: [String]
        var models: [String: Model]
    }

    static let expected: Result<Expected, any Error> = Result {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: try resource("vision/expected.json")))
    }

    /// pixel_values of every fixture image, as float32 little-endian.
    static let pixels: Result<[Float], any Error> = Result {
        let data = try Data(contentsOf: try resource("vision/pixels.bin"))
        return data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    static func load(_ name: String) throws -> (VisionLanguageEncoder, Expected.Model, [String]) {
        let expected = try Self.expected.get()
        let model = try #require(expected.models[name])
        let encoder = try EncoderRegistry.loadMultimodalEncoder(folder: try resource("vision/\(model.folder)"))
        return (encoder, model, expected.texts)
    }

    @Test(arguments: ["siglip", "siglip2", "clip", "chinese_clip"])
    func tokenIDsMatchTheProcessor(model name: String) throws {
        let (encoder, model, texts) = try Self.load(name)
        let ids = encoder.tokenIDs(texts)
        #expect(texts.count >= 8 && model.text_ids.count == texts.count)
        for (index, text) in texts.enumerated() {
            #expect(ids[index] == model.text_ids[index], "\(name) text \(index): \(text.debugDescription)")
        }
    }

    @Test(arguments: ["siglip", "siglip2", "clip", "chinese_clip"])
    func textEmbeddingsMatchTransformers(model name: String) throws {
        let (encoder, model, texts) = try Self.load(name)
        let vectors = try encoder.embedText(texts)
        #expect(vectors.count == texts.count)
        for (index, vector) in vectors.enumerated() {
            let reference = normalized(model.text_embeddings[index])
            #expect(vector.count == encoder.dimension)
            #expect(cosine(vector, reference) >= 0.99999, "\(name) text \(index)")
            #expect(maxAbsDifference(vector, reference) <= 1e-3, "\(name) text \(index)")
        }
    }

    @Test(arguments: ["siglip", "siglip2", "clip", "chinese_clip"])
    func imagesMatchTransformers(model name: String) throws {
        let (encoder, model, _) = try Self.load(name)
        let pixels = try Self.pixels.get()
        let folder = try resource("vision")
        #expect(model.images.count >= 9 && model.image_embeddings.count == model.images.count)
        let images = try model.images.map { try ImageDecoder.decode(contentsOf: folder.appendingPathComponent($0.file)) }
        // Preprocessing alone: pixel_values within 1e-3 of the processor's.
        for (image, reference) in zip(images, model.images) {
            let ours = try encoder.preprocessor.pixelValues(for: image)
            let start = reference.pixels.offset / 4
            try #require(start + reference.pixels.count <= pixels.count, "pixels.bin is too short")
            let theirs = Array(pixels[start..<(start + reference.pixels.count)])
            #expect(ours.count == theirs.count, "\(name) \(reference.file)")
            #expect(maxAbsDifference(ours, theirs) <= 1e-3, "\(name) \(reference.file) pixels")
        }
        // The whole path, in batches (more images than one forward pass takes).
        let vectors = try encoder.embedImages(images + images)
        #expect(vectors.count == 2 * images.count)
        for (index, vector) in vectors.enumerated() {
            let reference = normalized(model.image_embeddings[index % images.count])
            #expect(cosine(vector, reference) >= 0.9999, "\(name) \(model.images[index % images.count].file)")
            #expect(maxAbsDifference(vector, reference) <= 1e-3, "\(name) \(model.images[index % images.count].file)")
        }
    }

    @Test func emptyBatchesGiveNoVectors() throws {
        let (encoder, _, _) = try Self.load("siglip")
        #expect(try encoder.embedText([]).isEmpty)
        #expect(try encoder.embedImages([]).isEmpty)
    }

    @Test func otherModelTypesAreATypedErrorListingTheSupportedOnes() throws {
        let folder = try copyOfFixture("vision/tiny-clip")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("config.json")
        let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "\"clip\"", with: "\"owlvit\"")
        try text.write(to: config, atomically: true, encoding: .utf8)
        do {
            _ = try EncoderRegistry.loadMultimodalEncoder(folder: folder)
            Issue.record("an owlvit folder loaded")
        } catch let error as EncoderError {
            guard case .unsupportedModelType(let type, let supported) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(type == "owlvit")
            #expect(supported == EncoderRegistry.supportedMultimodalModelTypes)
            #expect(error.description.contains("siglip"))
        }
    }

    @Test func mismatchedCheckpointNamesTheTensors() throws {
        let folder = try copyOfFixture("vision/tiny-siglip")
        defer { try? FileManager.default.removeItem(at: folder) }
        // A SigLIP config with one layer more than the checkpoint has.
        let config = folder.appendingPathComponent("config.json")
        let text = try String(contentsOf: config, encoding: .utf8)
            .replacingOccurrences(of: "\"num_hidden_layers\": 2", with: "\"num_hidden_layers\": 3")
        try text.write(to: config, atomically: true, encoding: .utf8)
        #expect {
            _ = try EncoderRegistry.loadMultimodalEncoder(folder: folder)
        } throws: { error in
            "\(error)".contains("encoder.layers.2.")
        }
    }
}
