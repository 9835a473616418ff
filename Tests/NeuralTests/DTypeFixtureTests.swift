import Foundation
import Testing

@testable import Neural

/// F32, F16 and BF16 tensors written by the `safetensors` library, read back as PyTorch converts them.
struct DTypeFixtureTests {
    struct Expected: Decodable {
        var shape: [Int]
        var values: [Float]
    }

    @Test func convertsLikePyTorch() throws {
        let folder = try #require(Bundle.module.url(forResource: "Resources", withExtension: nil))
        let expected = try JSONDecoder().decode([String: Expected].self,
                                                from: Data(contentsOf: folder.appendingPathComponent("dtypes.json")))
        let file = try SafetensorsFile(url: folder.appendingPathComponent("dtypes.safetensors"))
        #expect(file.metadata["made_by"] != nil)
        #expect(Set(file.tensors.keys) == ["f32", "f16", "bf16"])
        #expect(file.tensors["f16"]?.dtype == .f16)
        #expect(file.tensors["bf16"]?.dtype == .bf16)
        for (name, want) in expected {
            let tensor = try file.tensor(named: name)
            #expect(tensor.shape == want.shape, "\(name)")
            #expect(tensor.scalars == want.values, "\(name)")  // conversions are exact
        }
    }

    @Test func writerRoundTrips() throws {
        let url = try temporaryFolder().appendingPathComponent("w.safetensors")
        let a = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        try SafetensorsFile.write(["a": a, "b": Tensor(zeros: [0])], metadata: ["k": "v"], to: url)
        let file = try SafetensorsFile(url: url)
        #expect(try file.tensor(named: "a") == a)
        #expect(try file.tensor(named: "b").count == 0)
        #expect(file.metadata == ["k": "v"])
    }
}
