import Foundation
import Testing

func resource(_ name: String) throws -> URL {
    try #require(Bundle.module.url(forResource: "Resources/\(name)", withExtension: nil), "missing fixture \(name)")
}

func cosine(_ a: [Float], _ b: [Float]) -> Double {
    var (dot, na, nb) = (0.0, 0.0, 0.0)
    for (x, y) in zip(a, b) {
        dot += Double(x) * Double(y)
        na += Double(x) * Double(x)
        nb += Double(y) * Double(y)
    }
    return dot / max(1e-30, (na * nb).squareRoot())
}

func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

func normalized(_ v: [Double]) -> [Float] {
    let norm = max(1e-12, v.reduce(0) { $0 + $1 * $1 }.squareRoot())
    return v.map { Float($0 / norm) }
}

/// A copy of a fixture folder in a temporary place, to damage in a test.
func copyOfFixture(_ name: String) throws -> URL {
    let target = FileManager.default.temporaryDirectory.appendingPathComponent("encoders-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: try resource(name), to: target)
    return target
}
