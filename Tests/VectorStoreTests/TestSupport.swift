import AssetCatalog
import Foundation
@testable import VectorStore

/// A fresh directory under the system temporary folder, removed when the value is released.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("asset3d-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Builders for test assets.
enum Fixtures {
    static func asset(
        _ id: String, library: String = "sh3d/Test", name: String? = nil, category: String? = "Living room",
        license: String? = "CC-BY", size: Double? = 100
    ) -> Asset {
        Asset(
            id: AssetID(id), library: library, name: name ?? "Asset \(id)", nameZH: "资产 \(id)",
            category: category, categoryZH: "客厅", tags: ["tag-\(id)"],
            captions: [
                Caption(language: .en, text: "An asset called \(id)", origin: .catalog(locale: "en")),
                Caption(language: .zh, text: "一个叫 \(id) 的资产", origin: .machineTranslated(model: "test")),
            ],
            license: license, creator: "Tester",
            dimensions: size.map { Dimensions(width: $0, depth: $0 / 2, height: $0 / 4) },
            files: AssetFiles(root: "/tmp/assets", mesh: "\(id).obj", icon: "\(id).png"),
            views: [ViewInfo(index: 0, path: "views/\(id)-0.png", azimuth: 0, elevation: 20)],
            extra: ["source": "fixtures"])
    }
}

/// Deterministic pseudo-random numbers (SplitMix64), so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A vector of independent uniform components in [-1, 1) (not normalised).
    mutating func vector(_ dimension: Int) -> [Float] {
        (0..<dimension).map { _ in Float.random(in: -1..<1, using: &self) }
    }
}

/// The unit vector in the direction of `vector`.
func unit(_ vector: [Float]) -> [Float] {
    let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return vector.map { $0 / norm }
}

/// Naive exact search, the reference the stores are checked against: cosine per vector, max per asset
/// (ties: lower kind code, then lower view), k best assets (ties: smaller id).
func referenceSearch(_ records: [VectorRecord], query: [Float], kinds: Set<VectorKind>, k: Int,
                     admit: (AssetID) -> Bool = { _ in true }) -> [VectorHit] {
    let q = unit(query)
    var best: [AssetID: VectorHit] = [:]
    for record in records where kinds.contains(record.kind) && admit(record.assetID) {
        let v = unit(record.vector)
        var dot: Double = 0
        for index in q.indices { dot += Double(q[index]) * Double(v[index]) }
        let hit = VectorHit(assetID: record.assetID, kind: record.kind, viewIndex: record.viewIndex, score: Float(dot))
        if let current = best[record.assetID] {
            let better = hit.score > current.score
                || (hit.score == current.score
                    && (hit.kind.storageCode, hit.viewIndex) < (current.kind.storageCode, current.viewIndex))
            if !better { continue }
        }
        best[record.assetID] = hit
    }
    return best.values.sorted {
        $0.score != $1.score ? $0.score > $1.score : Array($0.assetID.rawValue.utf8).lexicographicallyPrecedes(Array($1.assetID.rawValue.utf8))
    }.prefix(k).map { $0 }
}

/// A random vector from its own seed.
func randomVector(seed: UInt64, _ dimension: Int) -> [Float] {
    var generator = SeededGenerator(seed: seed)
    return generator.vector(dimension)
}
