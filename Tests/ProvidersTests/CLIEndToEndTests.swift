import Foundation
import ImageCodec
import Testing

/// `asset3d ingest --spaces qwen`, `asset3d translate` and `asset3d search` run as real processes
/// against the fake DashScope and OpenAI-compatible servers of this target, over loopback.
@Suite(.serialized) struct CLIEndToEndTests {
    static let key = "sk-e2e-secret-0123456789"

    /// The built `asset3d` next to the test bundle.
    static func binary() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            Bundle.main.bundleURL.deletingLastPathComponent(),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug"),
        ]
        for folder in candidates {
            let url = folder.appendingPathComponent("asset3d")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw CLIFailure("asset3d is not built next to the tests; run `swift build --build-tests`")
    }

    struct CLIFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs asset3d with `environment` added to a clean environment (no DATABASE_URL, no real keys).
    static func run(_ arguments: [String], environment: [String: String]) throws -> Run {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment.filter {
            !["DATABASE_URL", "DASHSCOPE_API_KEY", "EMBEDDING_BASE_URL", "TRANSLATION_API_KEY", "ASSET3D_STORE"]
                .contains($0.key)
        }
        env.merge(environment) { _, new in new }
        process.environment = env
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out")
        let err = folder.appendingPathComponent("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: try String(contentsOf: out, encoding: .utf8),
            stderr: try String(contentsOf: err, encoding: .utf8))
    }

    /// A folder catalog of four assets with two rendered views each; two have no Chinese caption.
    static func makeCatalog() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        let entries = [
            ("red-chair", "Red chair", "红色椅子", (220, 30, 30)),
            ("blue-sofa", "Blue sofa", "蓝色沙发", (30, 30, 220)),
            ("green-lamp", "Green lamp", nil, (30, 200, 30)),
            ("wooden-table", "Wooden table", nil, (140, 90, 40)),
        ]
        var lines: [String] = []
        for (id, name, zh, color) in entries {
            for index in 0..<2 {
                let url = root.appendingPathComponent("\(id)/view\(index).png")
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                let pixel: [UInt8] = [UInt8(color.0), UInt8(color.1), UInt8(color.2 / (index + 1))]
                let image = Image(width: 16, height: 16, channels: 3, pixels: Array(repeating: pixel, count: 256).flatMap { $0 })
                try PNGEncoder.encode(image).write(to: url)
            }
            let zhField = zh.map { ",\"caption_cn\":\"\($0)\"" } ?? ""
            lines.append(
                "{\"id\":\"\(id)\",\"name\":\"\(name)\"\(zhField),\"views\":["
                    + "{\"index\":0,\"path\":\"\(id)/view0.png\",\"azimuth\":0,\"elevation\":20},"
                    + "{\"index\":1,\"path\":\"\(id)/view1.png\",\"azimuth\":180,\"elevation\":20}]}")
        }
        try Data(lines.joined(separator: "\n").utf8).write(to: root.appendingPathComponent("assets.jsonl"))
        return root
    }

    static func counts(_ status: String, space: String) throws -> [String: Int] {
        let object = try JSONSerialization.jsonObject(with: Data(status.utf8)) as? [String: Any]
        let spaces = object?["spaces"] as? [[String: Any]] ?? []
        return spaces.first { $0["name"] as? String == space }?["counts"] as? [String: Int] ?? [:]
    }

    @Test func qwenSpaceAndTranslationEndToEnd() async throws {
        let dashScope = FakeDashScope(apiKey: Self.key)
        let dashServer = try await FakeHTTPServer.start { await dashScope.handle($0) }
        let openAI = FakeOpenAI(apiKey: Self.key)
        let openAIServer = try await FakeHTTPServer.start { await openAI.handle($0) }
        let catalog = try Self.makeCatalog()
        let data = catalog.appendingPathComponent("data")
        defer { try? FileManager.default.removeItem(at: catalog) }
        let env = [
            "ASSET3D_DATA_DIR": data.path, "DASHSCOPE_API_KEY": Self.key, "DASHSCOPE_BASE_URL": dashServer.baseURL,
            "TRANSLATION_BASE_URL": openAIServer.baseURL + "/compatible-mode/v1", "TRANSLATION_API_KEY": Self.key,
            "EMBEDDING_DIMENSION": "1024", "QWEN_NUM_IMAGES": "2",
        ]
        let ingest = try Self.run(["ingest", "--catalog", "folder:\(catalog.path)", "--spaces", "lexical,qwen"], environment: env)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stdout.contains("qwen (dashscope/qwen3-vl-embedding, 1024-d)"))
        #expect(ingest.stdout.contains("usage:"))
        var counts = try Self.counts(Self.run(["status", "--json"], environment: env).stdout, space: "qwen")
        #expect(counts == ["text_en": 4, "text_cn": 2, "image_fused": 4])
        // Fusion was requested: one fused item per asset, two views each, at the asked dimension.
        let fused = dashScope.validCalls.filter { !$0.images.isEmpty }
        #expect(fused.allSatisfy { $0.enableFusion == true && $0.dimension == 1024 })
        #expect(fused.map(\.images.count).reduce(0, +) == 8)

        let translate = try Self.run(["translate", "--mode", "batch", "--poll", "1"], environment: env)
        #expect(translate.status == 0, "\(translate.stderr)")
        #expect(translate.stdout.contains("translated 2 of 2 captions"))
        // Embedding again fills the new Chinese captions only; the translations survive the re-ingest.
        let again = try Self.run(["ingest", "--catalog", "folder:\(catalog.path)", "--spaces", "qwen"], environment: env)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout.contains("wrote 2 text_cn"))
        counts = try Self.counts(Self.run(["status", "--json"], environment: env).stdout, space: "qwen")
        #expect(counts == ["text_en": 4, "text_cn": 4, "image_fused": 4])

        let search = try Self.run(["search", "Green lamp", "--algorithm", "qwen", "--json", "--top-k", "2"], environment: env)
        #expect(search.status == 0, "\(search.stderr)")
        #expect(search.stdout.contains("\"asset_id\" : \"green-lamp\""))
        let chinese = try Self.run(["search", "绿色台灯", "--algorithm", "qwen", "--json"], environment: env)
        #expect(chinese.status == 0, "\(chinese.stderr)")

        // The key never shows in output.
        for run in [ingest, translate, again, search] { #expect(!(run.stdout + run.stderr).contains(Self.key)) }
        await dashServer.stop()
        await openAIServer.stop()
    }

    @Test func missingKeysNameTheVariableToSet() throws {
        let catalog = try Self.makeCatalog()
        defer { try? FileManager.default.removeItem(at: catalog) }
        let env = ["ASSET3D_DATA_DIR": catalog.appendingPathComponent("data").path]
        let ingest = try Self.run(["ingest", "--catalog", "folder:\(catalog.path)", "--spaces", "qwen"], environment: env)
        #expect(ingest.status != 0)
        #expect(ingest.stderr.contains("DASHSCOPE_API_KEY"))
        #expect(ingest.stderr.contains("EMBEDDING_BASE_URL"))
        _ = try Self.run(["ingest", "--catalog", "folder:\(catalog.path)"], environment: env)
        let translate = try Self.run(["translate"], environment: env)
        #expect(translate.status != 0)
        #expect(translate.stderr.contains("DASHSCOPE_API_KEY"))
    }
}
