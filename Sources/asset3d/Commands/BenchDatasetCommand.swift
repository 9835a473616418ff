import ArgumentParser
import AssetCatalog
import Foundation
import Retrieval
import Settings
import VectorStore

/// `asset3d bench dataset`: a synthetic store for load tests — N assets with English and Chinese names
/// drawn from furniture vocabularies, and `minilm` caption vectors drawn around cluster centres (the
/// latency of exact search does not depend on what the vectors mean; the query is still embedded by
/// the real model at search time).
struct BenchDatasetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dataset", abstract: "Write a synthetic store for latency benchmarks (see scripts/bench-http.sh).")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Number of assets.")
    var assets = 100_000

    @Option(help: "Random seed.")
    var seed: UInt64 = 42

    static let adjectives = [
        ("red", "红色"), ("blue", "蓝色"), ("green", "绿色"), ("wooden", "木制"), ("metal", "金属"), ("glass", "玻璃"),
        ("modern", "现代"), ("classic", "古典"), ("small", "小型"), ("large", "大型"), ("white", "白色"), ("black", "黑色"),
        ("leather", "皮革"), ("folding", "折叠"), ("round", "圆形"), ("square", "方形"),
    ]
    static let nouns = [
        ("chair", "椅子", "Living room"), ("armchair", "扶手椅", "Living room"), ("sofa", "沙发", "Living room"),
        ("table", "桌子", "Kitchen"), ("desk", "书桌", "Office"), ("bed", "床", "Bedroom"), ("lamp", "台灯", "Lights"),
        ("wardrobe", "衣柜", "Bedroom"), ("bookcase", "书架", "Living room"), ("stool", "凳子", "Kitchen"),
        ("cabinet", "柜子", "Kitchen"), ("bench", "长凳", "Exterior"), ("mirror", "镜子", "Bathroom"),
        ("bathtub", "浴缸", "Bathroom"), ("sink", "水槽", "Kitchen"), ("door", "门", "Doors and windows"),
        ("window", "窗户", "Doors and windows"), ("plant", "植物", "Living room"), ("car", "汽车", "Vehicles"),
        ("bicycle", "自行车", "Vehicles"), ("piano", "钢琴", "Living room"), ("fridge", "冰箱", "Kitchen"),
        ("oven", "烤箱", "Kitchen"), ("tree", "树", "Exterior"),
    ]

    func run() async throws {
        let settings = try await global.settings()
        let store = try EmbeddedStore(directory: settings.dataDirectory, logger: settings.logger("asset3d.bench"))
        var random = SplitMix64(seed: seed)
        let space = EmbeddingSpace(name: "minilm", modelID: "sentence-transformers/all-MiniLM-L6-v2", revision: "local",
                                   dimension: 384)
        try await store.ensureSpace(space)
        let centres = (0..<64).map { _ in Self.unit((0..<384).map { _ in random.gaussian() }) }
        let bar = ProgressBar("synthetic assets")
        let batch = 5_000
        for start in stride(from: 0, to: assets, by: batch) {
            var rows: [Asset] = []
            var records: [VectorRecord] = []
            for index in start..<min(start + batch, assets) {
                let adjective = Self.adjectives[Int(random.next() % UInt64(Self.adjectives.count))]
                let noun = Self.nouns[Int(random.next() % UInt64(Self.nouns.count))]
                let id = AssetID(String(format: "synthetic-%07d", index))
                var asset = Asset(
                    id: id, library: "synthetic", name: "\(adjective.0.capitalized) \(noun.0)",
                    nameZH: adjective.1 + noun.1, category: noun.2, tags: [adjective.0],
                    dimensions: Dimensions(width: 50, depth: 50, height: Double(30 + index % 200)),
                    files: AssetFiles(root: settings.dataDirectory.path))
                asset.setCaption(Caption(language: .en, text: asset.name, origin: .dataset(name: "synthetic")))
                asset.setCaption(Caption(language: .zh, text: adjective.1 + noun.1, origin: .dataset(name: "synthetic")))
                rows.append(asset)
                let centre = centres[Int(random.next() % UInt64(centres.count))]
                records.append(VectorRecord(
                    assetID: id, kind: .textEN, vector: Self.unit(centre.map { $0 + 0.35 * random.gaussian() / 19.6 })))
            }
            try await store.upsert(rows)
            try await store.upsert(space: space.name, records)
            bar.update(done: min(start + batch, assets), total: assets)
        }
        print("wrote \(assets) synthetic assets with minilm caption vectors to \(settings.dataDirectory.path)")
    }

    static func unit(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return vector.map { $0 / max(norm, 1e-12) }
    }
}

/// A small deterministic generator (SplitMix64) so synthetic data is the same on every machine.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func uniform() -> Float { Float(next() >> 40) / Float(1 << 24) }

    /// Standard normal (Box–Muller).
    mutating func gaussian() -> Float {
        let u = max(uniform(), 1e-7)
        let v = uniform()
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
