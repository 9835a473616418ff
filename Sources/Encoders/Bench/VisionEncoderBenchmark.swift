import Dispatch
import Foundation
import Neural

/// Throughput of the vision-language encoders at their real sizes, with random weights (a forward
/// pass costs the same whatever the values): SigLIP-base (patch 16, 224 px) and CLIP ViT-B/32.
/// For `asset3d bench encoders --vision`; `scripts/bench_vision_pytorch.py` runs the same
/// workload through transformers on PyTorch.
///
/// Workload: 8 images of pixel values `[3, 224, 224]` (preprocessing not included), one per call
/// and all 8 in one call; 32 texts one per call and all 32 in one call, as token ids (tokenising
/// not included). SigLIP texts are 64 tokens (its processor pads to `max_length`); CLIP texts have
/// the lengths of the first 32 built-in asset descriptions (`textLengths`).
public enum VisionEncoderBenchmark {
    /// The architectures measured.
    public enum Architecture: String, CaseIterable, Sendable {
        /// google/siglip-base-patch16-224's numbers.
        case siglipBase = "siglip-base"
        /// openai/clip-vit-base-patch32's numbers.
        case clipB32 = "clip-b32"
    }

    /// One measurement (medians over the timed runs).
    public struct Result: Codable, Sendable {
        /// Architecture measured.
        public var model: String
        /// Images and texts in the workload, and the texts' mean token count.
        public var images: Int, texts: Int, meanTextTokens: Double
        /// Images/s, one image per call and 8 per call.
        public var imagesPerSecondBatch1: Double, imagesPerSecondBatch8: Double
        /// Texts/s, one text per call and 32 per call.
        public var textsPerSecondBatch1: Double, textsPerSecondBatch32: Double
        /// Achieved GFLOP/s of the vision tower at batch 1 and 8.
        public var imageGFLOPSBatch1: Double, imageGFLOPSBatch8: Double
        /// Achieved GFLOP/s of the text tower at batch 1 and 32.
        public var textGFLOPSBatch1: Double, textGFLOPSBatch32: Double
        /// Median sgemm GFLOP/s for the vision tower's feed-forward product at batch 8.
        public var sgemmPeakGFLOPS: Double
        /// Timed repetitions per setting.
        public var runs: Int
    }

    static let imageCount = 8, textCount = 32

    /// Builds the model, then times each setting `runs` times after one warm-up pass.
    public static func run(_ architecture: Architecture, runs: Int = 3) throws -> Result {
        let model = try randomModel(architecture)
        let lengths = textLengths(architecture)
        let vocabulary = architecture == .siglipBase ? 32000 : 49408
        // Arbitrary ids; CLIP's end token (the largest id) last, where its pooling looks for it.
        let ids = lengths.enumerated().map { i, n in
            (0..<(n - 1)).map { j in 1 + (31 * i + 17 * j) % (vocabulary - 2) } + [vocabulary - 1]
        }
        let side = model.imageSize
        let perImage = 3 * side * side
        var generator = SplitMix(seed: 7)
        let pixels = (0..<(imageCount * perImage)).map { _ in generator.nextUniform() * 2 - 1 }

        func timed(_ work: () throws -> Void) throws -> Double {
            var seconds: [Double] = []
            for run in 0...max(1, runs) {
                let start = DispatchTime.now().uptimeNanoseconds
                try work()
                if run > 0 { seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9) }
            }
            return seconds.sorted()[seconds.count / 2]
        }
        func images(batch: Int) throws {
            for start in stride(from: 0, to: imageCount, by: batch) {
                var x = try model.imageFeatures(pixels: Array(pixels[(start * perImage)..<((start + batch) * perImage)]),
                                                batch: batch)
                Ops.l2Normalize(&x)
            }
        }
        func texts(batch: Int) throws {
            for start in stride(from: 0, to: textCount, by: batch) {
                var x = try model.textFeatures(ids: Array(ids[start..<min(textCount, start + batch)]))
                Ops.l2Normalize(&x)
            }
        }
        let image1 = try timed { try images(batch: 1) }
        let image8 = try timed { try images(batch: imageCount) }
        let text1 = try timed { try texts(batch: 1) }
        let text32 = try timed { try texts(batch: textCount) }
        let imageFLOPs = model.imageFLOPs(batch: imageCount), textFLOPs = model.textFLOPs(lengths: lengths)
        let tokens = (side / 16) * (side / 16) + 1
        let peak = SgemmProbe.gflops(m: imageCount * tokens, n: 3072, k: 768)
        return Result(
            model: architecture.rawValue, images: imageCount, texts: textCount,
            meanTextTokens: Double(lengths.reduce(0, +)) / Double(lengths.count),
            imagesPerSecondBatch1: Double(imageCount) / image1, imagesPerSecondBatch8: Double(imageCount) / image8,
            textsPerSecondBatch1: Double(textCount) / text1, textsPerSecondBatch32: Double(textCount) / text32,
            imageGFLOPSBatch1: imageFLOPs / image1 / 1e9, imageGFLOPSBatch8: imageFLOPs / image8 / 1e9,
            textGFLOPSBatch1: textFLOPs / text1 / 1e9, textGFLOPSBatch32: textFLOPs / text32 / 1e9,
            sgemmPeakGFLOPS: peak, runs: max(1, runs))
    }

    /// Token counts of the 32 workload texts: SigLIP 64 each; CLIP, for each of the first 32
    /// `EncoderBenchmark.defaultTexts`, one token per word, one for the full stop, start and end.
    public static func textLengths(_ architecture: Architecture) -> [Int] {
        switch architecture {
        case .siglipBase:
            return Array(repeating: 64, count: textCount)
        case .clipB32:
            return EncoderBenchmark.defaultTexts.prefix(textCount).map { $0.split(separator: " ").count + 3 }
        }
    }

    /// The architecture at its real size with random weights.
    static func randomModel(_ architecture: Architecture) throws -> any VisionLanguageModel {
        let root = WeightScope(source: RandomWeights(), prefix: "")
        let base = TowerConfiguration(
            hiddenSize: 768, layerCount: 12, headCount: 12, intermediateSize: 3072, hiddenActivation: .geluPytorchTanh,
            layerNormEps: 1e-6, vocabularySize: 32000, maxPositions: 64, typeVocabularySize: 1, imageSize: 224,
            patchSize: 16, channelCount: 3, projectionSize: nil, eosTokenID: nil, visionUseHead: true)
        switch architecture {
        case .siglipBase:
            return try Siglip(text: base, vision: base, padID: 1, root: root)
        case .clipB32:
            var text = CLIP.textDefaults, vision = CLIPVisionTower.defaults
            text.layerNormEps = 1e-5
            vision.imageSize = 224
            return try CLIP(text: text, vision: vision, projection: 512, root: root)
        }
    }
}

/// Deterministic uniform weights in ±0.03 (layer-norm scales 1), enough to keep activations finite.
final class RandomWeights: WeightSource {
    private var generator = SplitMix(seed: 42)

    func take(_ name: String, shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        let ones = name.hasSuffix(".weight") && (name.contains("norm") || name.contains("LayerNorm"))
        let values = ones ? [Float](repeating: 1, count: count)
            : (0..<count).map { _ in (generator.nextUniform() * 2 - 1) * 0.03 }
        return (try? Tensor(shape: shape, scalars: values)) ?? Tensor(zeros: shape)
    }
}

/// SplitMix64: a small fast generator for benchmark data.
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    /// Uniform in [0, 1).
    mutating func nextUniform() -> Float {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) / Float(1 << 24)
    }
}
