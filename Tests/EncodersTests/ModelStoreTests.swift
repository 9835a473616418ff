import Foundation
import Testing

@testable import Encoders

/// The model store: listing and resolving folders, and pulling from a Hub (a local one on
/// 127.0.0.1; the real Hub is unreachable here).
struct ModelStoreTests {
    func temporaryStore() -> ModelStore {
        ModelStore(root: FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID().uuidString)"))
    }

    /// The tiny BERT fixture as Hub files (weights as an LFS file), plus files a pull must skip.
    func hubFiles() throws -> [LocalHub.File] {
        let folder = try resource("tiny-bert-mean")
        var files: [LocalHub.File] = []
        for path in ["config.json", "model.safetensors", "tokenizer.json", "modules.json", "sentence_bert_config.json",
                     "1_Pooling/config.json", "tokenizer_config.json"] {
            files.append(.init(path: path, content: try Data(contentsOf: folder.appendingPathComponent(path)),
                               lfs: path.hasSuffix(".safetensors")))
        }
        files.append(.init(path: "onnx/model.onnx", content: Data(count: 10), lfs: true))
        files.append(.init(path: "pytorch_model.bin", content: Data(count: 10), lfs: true))
        return files
    }

    @Test func digestsMatchKnownVectors() {
        var sha256 = Digest(.sha256)
        sha256.update(Array("abc".utf8))
        #expect(sha256.finalize() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        var long = Digest(.sha256)
        long.update(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        #expect(long.finalize() == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var sha1 = Digest(.sha1)
        sha1.update(Array("abc".utf8))
        #expect(sha1.finalize() == "a9993e364706816aba3e25717850c26c9cd0d89d")
        var empty = Digest(.sha1)
        empty.update(Array("blob 0\0".utf8))
        #expect(empty.finalize() == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")  // git's empty blob
    }

    @Test func pullsResumesVerifiesAndLoads() async throws {
        let hub = try LocalHub(files: try hubFiles(), cutOnce: ["model.safetensors"])
        defer { hub.stop() }
        let store = temporaryStore()
        let client = HubClient(endpoint: hub.endpoint)
        // The first attempt is cut in the middle of the weights…
        await #expect(throws: EncoderError.self) { try await store.pull("org/tiny", hub: client) }
        #expect(store.list().isEmpty)
        // …the second resumes them with a range request.
        let folder = try await store.pull("org/tiny", hub: client)
        #expect(hub.rangeRequests == 1)
        #expect(folder.standardizedFileURL.path == store.folder(for: "org/tiny").standardizedFileURL.path)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("onnx").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("pytorch_model.bin").path))
        let listed = store.list()
        #expect(listed.map(\.id) == ["org/tiny"])
        #expect(listed.first?.modelType == "bert")
        #expect(listed.first?.sentenceTransformers == true)
        #expect((listed.first?.sizeBytes ?? 0) > 100_000)
        let encoder = try EncoderRegistry.loadTextEncoder(folder: try store.resolve("org/tiny"), modelID: "org/tiny")
        #expect(try encoder.embedText(["a red chair"])[0].count == 32)
    }

    @Test func corruptDownloadIsRejected() async throws {
        let hub = try LocalHub(files: try hubFiles(), corrupt: ["model.safetensors"])
        defer { hub.stop() }
        let store = temporaryStore()
        do {
            try await store.pull("org/tiny", hub: HubClient(endpoint: hub.endpoint))
            Issue.record("accepted a corrupt file")
        } catch EncoderError.integrity(let file, let reason) {
            #expect(file == "model.safetensors")
            #expect(reason.contains("SHA-256"))
        }
        #expect(store.list().isEmpty)
    }

    @Test func offlinePullFailsNamingTheFolderToCopy() async throws {
        let store = temporaryStore()
        do {
            try await store.pull("sentence-transformers/all-MiniLM-L6-v2",
                                 hub: HubClient(endpoint: URL(string: "http://hub.invalid")!, timeout: 5))
            Issue.record("pulled without a network")
        } catch let error as EncoderError {
            #expect(error.description.contains(store.folder(for: "sentence-transformers/all-MiniLM-L6-v2").path))
        }
    }

    @Test func resolvesPathsAndIdsAndRejectsOthers() throws {
        let store = temporaryStore()
        let fixture = try resource("tiny-bert-mean")
        #expect(try store.resolve(fixture.path) == fixture)
        #expect(throws: EncoderError.self) { try store.resolve("org/absent") }
        #expect(throws: EncoderError.self) { try store.resolve("../../etc") }
        #expect(ModelStore.isValidID("google/siglip-base-patch16-224"))
        #expect(!ModelStore.isValidID("../x"))
        #expect(!ModelStore.isValidID("a/b/c"))
        #expect(!ModelStore.isValidID("a/.git"))
        #expect(ModelStore.isWanted("1_Pooling/config.json"))
        #expect(ModelStore.isWanted("model-00001-of-00002.safetensors"))
        #expect(!ModelStore.isWanted("onnx/model.onnx"))
        #expect(!ModelStore.isWanted("pytorch_model.bin"))
        #expect(!ModelStore.isWanted("openvino/openvino_model.xml"))
    }
}
