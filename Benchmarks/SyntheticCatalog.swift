import AssetCatalog
import Foundation
import VectorStore

/// A reproducible synthetic catalog with cluster structure, like real embeddings of a furniture catalog:
/// `clusters` random unit centres; each asset is its cluster centre plus noise (cosine ≈ 0.71 to the centre,
/// ≈ 0.5 between assets of one cluster); each view is its asset plus smaller noise (cosine ≈ 0.89 to the
/// asset); a query is an asset plus noise (cosine ≈ 0.8). Every value derives from (seed, index), so both stores
/// receive identical data without keeping 2.5 GB of vectors around.
struct SyntheticCatalog: Sendable {
    let assets: Int
    let views: Int
    let dimension: Int
    let clusters: Int
    let categories: Int
    let seed: UInt64
    /// `[clusters, dimension]`, unit rows.
    let centres: [Float]

    static let assetNoise = 1.0
    static let viewNoise = 0.5
    static let queryNoise = 0.75

    init(assets: Int, views: Int, dimension: Int, clusters: Int, categories: Int = 20, seed: UInt64 = 7) {
        self.assets = assets
        self.views = views
        self.dimension = dimension
        self.clusters = clusters
        self.categories = categories
        self.seed = seed
        var centres: [Float] = []
        centres.reserveCapacity(clusters * dimension)
        for cluster in 0..<clusters {
            var random = Gaussian(seed: seed &* 31 &+ UInt64(cluster))
            centres += Self.unit((0..<dimension).map { _ in Float(random.next()) })
        }
        self.centres = centres
    }

    func id(_ index: Int) -> AssetID { AssetID(String(format: "bench-%06d", index)) }
    func category(_ index: Int) -> String { String(format: "cat-%02d", Int(Self.mix(UInt64(index) ^ seed) % UInt64(categories))) }
    func cluster(_ index: Int) -> Int { Int(Self.mix(UInt64(index) &+ 0xC1) % UInt64(clusters)) }

    func asset(_ index: Int) -> Asset {
        Asset(
            id: id(index), library: "bench/synthetic", name: "Synthetic asset \(index)", category: category(index),
            license: index % 3 == 0 ? "CC0" : "CC-BY", dimensions: Dimensions(width: 100, depth: 50, height: 80),
            files: AssetFiles(root: "/nonexistent"))
    }

    /// The asset's own direction (unit).
    func assetVector(_ index: Int) -> [Float] {
        let centre = cluster(index) * dimension
        var random = Gaussian(seed: Self.mix(seed ^ UInt64(index) &* 0x9E37))
        let sigma = Self.assetNoise / Double(dimension).squareRoot()
        return Self.unit((0..<dimension).map { centres[centre + $0] + Float(sigma * random.next()) })
    }

    /// All view vectors of one asset.
    func viewRecords(_ index: Int) -> [VectorRecord] {
        let base = assetVector(index)
        let sigma = Self.viewNoise / Double(dimension).squareRoot()
        return (0..<views).map { view in
            var random = Gaussian(seed: Self.mix(seed ^ (UInt64(index) << 8 | UInt64(view)) &+ 0xABCD))
            let vector = Self.unit(base.map { $0 + Float(sigma * random.next()) })
            return VectorRecord(assetID: id(index), kind: .imageView, viewIndex: view, vector: vector)
        }
    }

    /// Query `number`: near a random asset.
    func query(_ number: Int) -> [Float] {
        let target = Int(Self.mix(seed &+ 0x51 &+ UInt64(number) &* 7919) % UInt64(assets))
        var random = Gaussian(seed: Self.mix(UInt64(number) &+ 0xFEED))
        let sigma = Self.queryNoise / Double(dimension).squareRoot()
        return Self.unit(assetVector(target).map { $0 + Float(sigma * random.next()) })
    }

    static func unit(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(Float(0)) { $0 + $1 * $1 }.squareRoot()
        return vector.map { $0 / norm }
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Standard normal samples from SplitMix64 (Box–Muller, both outputs used).
struct Gaussian {
    var state: UInt64
    var spare: Double?

    init(seed: UInt64) { state = seed }

    mutating func next() -> Double {
        if let spare {
            self.spare = nil
            return spare
        }
        state &+= 0x9E37_79B9_7F4A_7C15
        let a = SyntheticCatalog.mix(state)
        state &+= 0x9E37_79B9_7F4A_7C15
        let b = SyntheticCatalog.mix(state)
        let u1 = (Double(a >> 11) + 1) / Double(1 << 53)
        let u2 = Double(b >> 11) / Double(1 << 53)
        let radius = (-2 * log(u1)).squareRoot()
        spare = radius * sin(2 * .pi * u2)
        return radius * cos(2 * .pi * u2)
    }
}
