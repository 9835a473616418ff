import Dispatch
import Foundation
import Neural
import Tokenizers

/// Throughput of a sentence encoder: texts per second at batch 1 and batch 32, and the GFLOP/s
/// that achieves against the machine's sgemm ceiling. For `asset3d bench encoders`.
public enum EncoderBenchmark {
    /// One measurement.
    public struct Result: Codable, Sendable {
        /// Model measured.
        public var model: String
        /// Number of texts in the workload and their mean token count (special tokens included).
        public var texts: Int, meanTokens: Double
        /// Median texts/s, one text per call.
        public var batch1TextsPerSecond: Double
        /// Median texts/s, 32 texts per call.
        public var batch32TextsPerSecond: Double
        /// Achieved GFLOP/s of the transformer at batch 1 and 32.
        public var batch1GFLOPS: Double, batch32GFLOPS: Double
        /// Median sgemm GFLOP/s for an `[N·T, C] × [C, 4C]` product of this model's size.
        public var sgemmPeakGFLOPS: Double
        /// Timed repetitions per setting (the median is reported).
        public var runs: Int
    }

    /// Runs the workload `runs` times per batch size after one warm-up pass.
    public static func run(encoder: SentenceEncoder, texts: [String], runs: Int = 5) throws -> Result {
        let lengths = encoder.tokenize(texts).map(\.ids.count)
        let flops = encoder.backbone.forwardFLOPs(lengths: lengths)
        func timed(batch: Int) throws -> Double {
            var seconds: [Double] = []
            for run in 0...runs {
                let start = DispatchTime.now().uptimeNanoseconds
                var index = 0
                while index < texts.count {
                    _ = try encoder.embedText(Array(texts[index..<min(texts.count, index + batch)]))
                    index += batch
                }
                if run > 0 { seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
            }
            return seconds.sorted()[seconds.count / 2]
        }
        let one = try timed(batch: 1)
        let many = try timed(batch: 32)
        let c = encoder.dimension
        let peak = SgemmProbe.gflops(m: 32 * max(1, lengths.reduce(0, +) / max(1, lengths.count)), n: 4 * c, k: c)
        return Result(model: encoder.modelID, texts: texts.count,
                      meanTokens: Double(lengths.reduce(0, +)) / Double(max(1, lengths.count)),
                      batch1TextsPerSecond: Double(texts.count) / one, batch32TextsPerSecond: Double(texts.count) / many,
                      batch1GFLOPS: flops / one / 1e9, batch32GFLOPS: flops / many / 1e9, sgemmPeakGFLOPS: peak, runs: runs)
    }

    /// A fixed workload of short asset descriptions, like the queries and captions the search sees.
    public static let defaultTexts: [String] = {
        let adjectives = ["red", "wooden", "modern", "antique", "small", "large", "white", "metal"]
        let things = ["chair with four legs", "sofa with three cushions", "desk lamp with a flexible arm",
                      "round dining table", "bookshelf full of books", "kitchen cabinet with drawers",
                      "double bed with two pillows", "flower pot with a cactus"]
        var texts: [String] = []
        for (i, thing) in things.enumerated() {
            for j in 0..<8 {
                let adjective = adjectives[(i + j) % adjectives.count]
                texts.append(j % 2 == 0 ? "A \(adjective) \(thing)." : "A 3D model of a \(adjective) \(thing) for a living room scene.")
            }
        }
        return texts
    }()
}
