import ArgumentParser
import Encoders
import Foundation
import Neural

/// `asset3d bench encoders`: encoder throughput (build with `-c release`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (run a release build).",
        subcommands: [EncodersBench.self, BenchDatasetCommand.self]
    )

    struct EncodersBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "encoders",
            abstract: "Texts/s at batch 1 and 32 (and images/s at batch 1 and 8 with --vision), GFLOP/s against the measured sgemm peak.")

        @OptionGroup var global: GlobalOptions

        @Option(help: "Model folder or installed id.")
        var model = "sentence-transformers/all-MiniLM-L6-v2"

        @Option(help: "JSON file with an array of texts (default: 64 built-in asset descriptions).")
        var texts: String?

        @Option(help: "Timed repetitions per batch size; the median is reported.")
        var runs = 5

        @Flag(help: "Print one JSON object instead of a table.")
        var json = false

        @Option(help: "Measure a random-weight vision-language model of this size instead of --model: siglip-base (patch 16, 224 px) or clip-b32.")
        var vision: String?

        func run() async throws {
            #if DEBUG
            FileHandle.standardError.write(Data("warning: debug build; run `swift build -c release` for real numbers\n".utf8))
            #endif
            if let vision {
                guard let architecture = VisionEncoderBenchmark.Architecture(rawValue: vision) else {
                    let names = VisionEncoderBenchmark.Architecture.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ValidationError("--vision must be one of \(names)")
                }
                let result = try VisionEncoderBenchmark.run(architecture, runs: max(1, runs))
                if json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys]
                    print(String(decoding: try encoder.encode(result), as: UTF8.self))
                } else {
                    print(Self.table(result))
                }
                return
            }
            let workload: [String]
            if let texts {
                guard let data = FileManager.default.contents(atPath: texts),
                      let list = try? JSONDecoder().decode([String].self, from: data), !list.isEmpty
                else { throw ValidationError("\(texts) is not a JSON array of strings") }
                workload = list
            } else {
                workload = EncoderBenchmark.defaultTexts
            }
            let folder = try await ModelsCommand.store(global).resolve(model)
            let encoder = try EncoderRegistry.loadSentenceEncoder(folder: folder, modelID: model)
            let result = try EncoderBenchmark.run(encoder: encoder, texts: workload, runs: max(1, runs))
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(result), as: UTF8.self))
            } else {
                print(Self.table(result))
            }
        }

        static func table(_ r: EncoderBenchmark.Result) -> String {
            func f(_ x: Double) -> String { String(format: "%.1f", x) }
            return """
                model \(r.model): \(r.texts) texts, \(f(r.meanTokens)) tokens on average, median of \(r.runs) runs
                sgemm peak            \(f(r.sgemmPeakGFLOPS)) GFLOP/s
                batch  1   \(f(r.batch1TextsPerSecond)) texts/s   \(f(r.batch1GFLOPS)) GFLOP/s (\(f(100 * r.batch1GFLOPS / r.sgemmPeakGFLOPS)) % of peak)
                batch 32   \(f(r.batch32TextsPerSecond)) texts/s   \(f(r.batch32GFLOPS)) GFLOP/s (\(f(100 * r.batch32GFLOPS / r.sgemmPeakGFLOPS)) % of peak)
                """
        }

        static func table(_ r: VisionEncoderBenchmark.Result) -> String {
            func f(_ x: Double) -> String { String(format: "%.2f", x) }
            func pct(_ x: Double) -> String { String(format: "%.0f %%", 100 * x / r.sgemmPeakGFLOPS) }
            return """
                \(r.model) (random weights): \(r.images) images of 224×224, \(r.texts) texts of \(String(format: "%.1f", r.meanTextTokens)) tokens on average, median of \(r.runs) runs
                sgemm peak             \(f(r.sgemmPeakGFLOPS)) GFLOP/s
                images, batch 1   \(f(r.imagesPerSecondBatch1)) images/s   \(f(r.imageGFLOPSBatch1)) GFLOP/s (\(pct(r.imageGFLOPSBatch1)) of peak)
                images, batch 8   \(f(r.imagesPerSecondBatch8)) images/s   \(f(r.imageGFLOPSBatch8)) GFLOP/s (\(pct(r.imageGFLOPSBatch8)) of peak)
                texts, batch 1    \(f(r.textsPerSecondBatch1)) texts/s    \(f(r.textGFLOPSBatch1)) GFLOP/s (\(pct(r.textGFLOPSBatch1)) of peak)
                texts, batch 32   \(f(r.textsPerSecondBatch32)) texts/s    \(f(r.textGFLOPSBatch32)) GFLOP/s (\(pct(r.textGFLOPSBatch32)) of peak)
                """
        }
    }
}
