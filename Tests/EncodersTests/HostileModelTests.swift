import Foundation
import Neural
import Testing

@testable import Encoders

/// Broken model folders fail with typed errors that say what is wrong.
struct HostileModelTests {
    @Test func unknownModelTypeListsSupportedTypes() throws {
        let folder = try copyOfFixture("tiny-bert-mean")
        let config = folder.appendingPathComponent("config.json")
        let text = try String(contentsOf: config, encoding: .utf8).replacingOccurrences(of: "\"bert\"", with: "\"gpt-neo\"")
        try text.write(to: config, atomically: true, encoding: .utf8)
        do {
            _ = try EncoderRegistry.loadTextEncoder(folder: folder)
            Issue.record("loaded a gpt-neo config")
        } catch let error as EncoderError {
            guard case .unsupportedModelType(let type, let supported) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(type == "gpt-neo")
            #expect(supported.contains("bert"))
            #expect(error.description.contains("bert"))
        }
    }

    @Test func missingTensorIsNamed() throws {
        let folder = try copyOfFixture("tiny-bert-mean")
        let url = folder.appendingPathComponent("model.safetensors")
        let checkpoint = try Checkpoint(folder: folder)
        var tensors: [String: Tensor] = [:]
        for name in checkpoint.tensorNames where name != "encoder.layer.1.output.dense.weight" {
            tensors[name] = try checkpoint.tensor(named: name)
        }
        try SafetensorsFile.write(tensors, to: url)
        do {
            _ = try EncoderRegistry.loadTextEncoder(folder: folder)
            Issue.record("loaded a checkpoint with a missing tensor")
        } catch EncoderError.weights(.checkpointMismatch(let missing, let unused, _)) {
            #expect(missing == ["encoder.layer.1.output.dense.weight"])
            #expect(unused.isEmpty)
        }
    }

    @Test func truncatedCheckpointIsATypedError() throws {
        let folder = try copyOfFixture("tiny-bert-mean")
        let url = folder.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: url)
        try data.prefix(data.count / 2).write(to: url)
        #expect(throws: EncoderError.self) { try EncoderRegistry.loadTextEncoder(folder: folder) }
    }

    @Test func wrongHeaderOffsetIsATypedError() throws {
        let folder = try copyOfFixture("tiny-bert-mean")
        let url = folder.appendingPathComponent("model.safetensors")
        var data = try Data(contentsOf: url)
        let length = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        let wrong = length + 3
        for i in 0..<8 { data[i] = UInt8((wrong >> (8 * UInt64(i))) & 0xFF) }
        try data.write(to: url)
        #expect(throws: EncoderError.self) { try EncoderRegistry.loadTextEncoder(folder: folder) }
    }

    @Test func missingFilesAreNamed() throws {
        let folder = try copyOfFixture("tiny-bert-mean")
        try FileManager.default.removeItem(at: folder.appendingPathComponent("tokenizer.json"))
        #expect(throws: EncoderError.self) { try EncoderRegistry.loadTextEncoder(folder: folder) }
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        do {
            _ = try EncoderRegistry.loadTextEncoder(folder: empty)
            Issue.record("loaded an empty folder")
        } catch let error as EncoderError {
            #expect(error.description.contains("config.json"))
        }
    }

    @Test func unsupportedPoolingIsATypedError() throws {
        let folder = try copyOfFixture("tiny-bert-mean")
        try Data(#"{"embedding_dimension": 32, "pooling_mode": "weightedmean"}"#.utf8)
            .write(to: folder.appendingPathComponent("1_Pooling/config.json"))
        #expect(throws: EncoderError.self) { try EncoderRegistry.loadTextEncoder(folder: folder) }
    }
}
