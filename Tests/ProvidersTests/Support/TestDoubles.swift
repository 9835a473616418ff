import Foundation
import ImageCodec
import Logging
import Providers
import Synchronization

/// A clock whose `sleep` returns at once and advances virtual time, recording every wait, so
/// backoff and polling are checked exactly without real sleeping.
final class VirtualClock: ProviderClock {
    private let state = Mutex<(now: Duration, sleeps: [Duration])>((.zero, []))

    var now: Duration { state.withLock { $0.now } }
    var sleeps: [Duration] { state.withLock { $0.sleeps } }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.sleeps.append(duration)
            $0.now += duration
        }
        await Task.yield()
    }
}

/// A jitter source returning a fixed value.
struct FixedRandom: RandomSource {
    var value: Double
    func nextUnit() -> Double { value }
}

/// Collects every log line (message and metadata, rendered) for assertions.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    /// A logger at trace level writing into this capture.
    func logger() -> Logger {
        var logger = Logger(label: "providers-test") { _ in CapturingLogHandler(capture: self) }
        logger.logLevel = .trace
        return logger
    }
}

struct CapturingLogHandler: LogHandler {
    let capture: LogCapture
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        capture.append("[\(event.level)] \(event.message) \(rendered)")
    }
}

/// Test inputs.
enum TestImages {
    /// A smooth gradient image (compresses well).
    static func gradient(width: Int, height: Int, seed: Int = 0) -> Image {
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let offset = (y * width + x) * 3
                pixels[offset] = UInt8((x * 255 / max(1, width - 1) + seed) & 0xFF)
                pixels[offset + 1] = UInt8((y * 255 / max(1, height - 1) + seed * 7) & 0xFF)
                pixels[offset + 2] = UInt8((seed * 31) & 0xFF)
            }
        }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }

    /// Deterministic noise (compresses badly: PNG ≈ raw size).
    static func noise(width: Int, height: Int, seed: UInt64 = 42) -> Image {
        var state = seed
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for index in pixels.indices {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            pixels[index] = UInt8(truncatingIfNeeded: state >> 56)
        }
        return Image(width: width, height: height, channels: 3, pixels: pixels)
    }
}

/// Environment for tests: a virtual clock, fixed jitter and a capturing logger.
struct TestEnvironment {
    let clock = VirtualClock()
    let logs = LogCapture()
    var random = FixedRandom(value: 0.5)

    var provider: ProviderEnvironment {
        ProviderEnvironment(clock: clock, random: random, logger: logs.logger())
    }
}

/// Retry settings that keep tests quick: real time only in the HTTP deadline, which is generous so a
/// loaded machine never turns a slow local answer into a retry (tests of timeouts pass their own).
extension HTTPOptions {
    static func test(
        timeout: Duration = .seconds(60), attempts: Int = 4, concurrency: Int = 4, requestsPerMinute: Double? = nil
    ) -> HTTPOptions {
        HTTPOptions(
            requestTimeout: timeout, retry: RetryPolicy(maxAttempts: attempts), maxConcurrentRequests: concurrency,
            requestsPerMinute: requestsPerMinute)
    }
}
