import Foundation
import Ingestion

/// A progress bar on stderr: redrawn in place on a terminal, a line every 10 % otherwise (CI logs).
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let start = Date()
    private var lastDecile = -1
    private let lock = NSLock()

    init(_ label: String) { self.label = label }

    func update(done: Int, total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let elapsed = Date().timeIntervalSince(start)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        let eta = rate > 0 ? Double(total - done) / rate : 0
        if isTerminal {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let line = String(format: "\r%@ %@ %d/%d %3.0f%% %.1f/s eta %.0fs ", label, bar, done, total,
                              fraction * 100, rate, eta)
            FileHandle.standardError.write(Data(line.utf8))
            if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else {
            let decile = Int(fraction * 10)
            if decile != lastDecile {
                lastDecile = decile
                let line = String(format: "%@ %d/%d (%.0f%%, %.1f/s)\n", label, done, total, fraction * 100, rate)
                FileHandle.standardError.write(Data(line.utf8))
            }
        }
    }
}

/// One progress bar per stage name, created when the stage starts.
final class StageBars: @unchecked Sendable {
    private var bars: [String: ProgressBar] = [:]
    private let lock = NSLock()

    func update(_ progress: IngestProgress) {
        lock.lock()
        let bar = bars[progress.stage] ?? ProgressBar(progress.stage)
        bars[progress.stage] = bar
        lock.unlock()
        bar.update(done: progress.done, total: progress.total)
    }
}
