import Foundation
import Testing

@testable import Neural

/// Reading safetensors files: well-formed files, sharded checkpoints, and hostile headers.
struct SafetensorsTests {
    let header = #"{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[3],"data_offsets":[16,28]}}"#
    let values: [Float] = [1, 2, 3, 4, -1, 0.5, 7]

    @Test func readsTensorsAndMetadata() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("model.safetensors")
        try writeSafetensors(header: header, data: bytes(of: values), to: url)
        let file = try SafetensorsFile(url: url)
        #expect(file.metadata == ["format": "pt"])
        #expect(try file.tensor(named: "a") == Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        #expect(try file.tensor(named: "b").scalars == [-1, 0.5, 7])
        #expect(throws: NeuralError.tensorNotFound(name: "c")) { try file.tensor(named: "c") }
        let checkpoint = try Checkpoint(folder: folder)
        #expect(checkpoint.tensorNames == ["a", "b"])
    }

    @Test func truncatedFileIsATypedError() throws {
        let url = try temporaryFolder().appendingPathComponent("t.safetensors")
        try writeSafetensors(header: header, data: Array(bytes(of: values).prefix(20)), to: url)
        #expect(throws: NeuralError.truncatedFile(path: url.path, expectedBytes: 28, actualBytes: 20)) {
            try SafetensorsFile(url: url)
        }
        try Data([1, 2, 3]).write(to: url)
        #expect(throws: NeuralError.self) { try SafetensorsFile(url: url) }
        try Data().write(to: url)
        #expect(throws: NeuralError.self) { try SafetensorsFile(url: url) }
    }

    @Test func headerLengthBeyondTheFileIsATypedError() throws {
        let url = try temporaryFolder().appendingPathComponent("h.safetensors")
        try writeSafetensors(header: header, data: bytes(of: values), to: url, declaredLength: 1_000_000)
        #expect(throws: NeuralError.self) { try SafetensorsFile(url: url) }
        try writeSafetensors(header: header, data: bytes(of: values), to: url, declaredLength: UInt64.max)
        #expect(throws: NeuralError.self) { try SafetensorsFile(url: url) }
        // A header length a few bytes short cuts the JSON: invalid header, not a crash.
        try writeSafetensors(header: header, data: bytes(of: values), to: url, declaredLength: UInt64(header.utf8.count - 3))
        #expect(throws: NeuralError.self) { try SafetensorsFile(url: url) }
    }

    @Test(arguments: [
        #"{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[3],"data_offsets":[12,24]}}"#,
        #"{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}"#,
        #"{"a":{"dtype":"F32","shape":[2,-2],"data_offsets":[0,16]}}"#,
        #"{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[16,0]}}"#,
        #"{"a":{"dtype":"F32","shape":[2,2]}}"#,
        #"{"a":{"dtype":"Q4","shape":[2,2],"data_offsets":[0,16]}}"#,
        #"{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,16]}}"#,
        #"["not","an","object"]"#,
        #"{"__metadata__":{"n":3}}"#,
    ])
    func invalidHeadersAreTypedErrors(_ badHeader: String) throws {
        let url = try temporaryFolder().appendingPathComponent("bad.safetensors")
        try writeSafetensors(header: badHeader, data: bytes(of: values), to: url)
        #expect(throws: NeuralError.self) { try SafetensorsFile(url: url) }
    }

    @Test func unknownAndUnconvertibleDTypes() throws {
        let url = try temporaryFolder().appendingPathComponent("d.safetensors")
        try writeSafetensors(header: #"{"x":{"dtype":"Q4","shape":[1],"data_offsets":[0,4]}}"#, data: bytes(of: [1]), to: url)
        #expect(throws: NeuralError.unknownDType(path: url.path, tensor: "x", dtype: "Q4")) { try SafetensorsFile(url: url) }
        try writeSafetensors(header: #"{"x":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, data: bytes(of: [1, 2]), to: url)
        let file = try SafetensorsFile(url: url)
        #expect(throws: NeuralError.unsupportedDType(tensor: "x", dtype: "I64")) { try file.tensor(named: "x") }
    }

    @Test func halfAndBFloatConversionIsExact() {
        #expect(FloatConversion.halfToFloat(0x3C00) == 1)
        #expect(FloatConversion.halfToFloat(0xC000) == -2)
        #expect(FloatConversion.halfToFloat(0x7BFF) == 65504)
        #expect(FloatConversion.halfToFloat(0x0001) == Float(sign: .plus, exponent: -24, significand: 1))
        #expect(FloatConversion.halfToFloat(0x03FF) == Float(1023) * Float(sign: .plus, exponent: -24, significand: 1))
        #expect(FloatConversion.halfToFloat(0x7C00) == .infinity)
        #expect(FloatConversion.halfToFloat(0x7E00).isNaN)
        #expect(FloatConversion.halfToFloat(0x8000).sign == .minus)
        #expect(FloatConversion.bfloat16ToFloat(0x3F80) == 1)
        #expect(FloatConversion.bfloat16ToFloat(0xC0A0) == -5)
        for bits in stride(from: UInt16(0), to: 0x7C00, by: 7) {
            #expect(Float(Float16(bitPattern: bits)) == FloatConversion.halfToFloat(bits))
        }
    }

    @Test func shardedCheckpointFollowsItsIndex() throws {
        let folder = try temporaryFolder()
        try writeSafetensors(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: bytes(of: [1, 2]),
                             to: folder.appendingPathComponent("model-00001-of-00002.safetensors"))
        try writeSafetensors(header: #"{"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: bytes(of: [3]),
                             to: folder.appendingPathComponent("model-00002-of-00002.safetensors"))
        let index = #"{"metadata":{},"weight_map":{"a":"model-00001-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}}"#
        try Data(index.utf8).write(to: folder.appendingPathComponent("model.safetensors.index.json"))
        let checkpoint = try Checkpoint(folder: folder)
        #expect(checkpoint.tensorNames == ["a", "b"])
        #expect(try checkpoint.tensor(named: "b").scalars == [3])

        let wrong = #"{"weight_map":{"a":"model-00002-of-00002.safetensors","b":"model-00002-of-00002.safetensors"}}"#
        try Data(wrong.utf8).write(to: folder.appendingPathComponent("model.safetensors.index.json"))
        #expect(throws: NeuralError.self) { try Checkpoint(folder: folder) }
        let escaping = #"{"weight_map":{"a":"../x.safetensors"}}"#
        try Data(escaping.utf8).write(to: folder.appendingPathComponent("model.safetensors.index.json"))
        #expect(throws: NeuralError.self) { try Checkpoint(folder: folder) }
        #expect(throws: NeuralError.self) { try Checkpoint(folder: try temporaryFolder()) }
    }

    @Test func strictLoadingNamesEveryMissingUnusedAndMisshapenTensor() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("model.safetensors")
        try writeSafetensors(header: header, data: bytes(of: values), to: url)
        let checkpoint = try Checkpoint(folder: folder)

        let good = StrictLoader(checkpoint: checkpoint)
        #expect(good.take("a", shape: [2, 2]).scalars == [1, 2, 3, 4])
        _ = good.take("b", shape: [3])
        try good.finish()

        let bad = StrictLoader(checkpoint: checkpoint)
        _ = bad.take("a", shape: [4])
        _ = bad.take("c", shape: [1])
        _ = bad.take("d", shape: [1])
        #expect(throws: NeuralError.checkpointMismatch(missing: ["c", "d"], unused: ["b"], wrongShape: ["a ([2, 2], expected [4])"])) {
            try bad.finish()
        }
        let ignoring = StrictLoader(checkpoint: checkpoint, ignoring: { $0 == "b" })
        _ = ignoring.take("a", shape: [2, 2])
        try ignoring.finish()
    }
}
