import Foundation

import Dispatch

/// A raw pointer that may cross into `concurrentPerform` workers. Callers guarantee that workers
/// touch disjoint ranges and that the buffer outlives the call.
struct SendablePointer<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}

/// Same for read-only buffers.
struct SendableConstPointer<T>: @unchecked Sendable {
    let base: UnsafePointer<T>
}

enum Parallel {
    /// Cores used by element-wise kernels.
    static let workers = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))

    /// Splits `0..<count` into contiguous chunks and runs them on all cores when the work is large
    /// enough (`count * costPerItem` above a threshold), otherwise inline.
    static func forEachChunk(count: Int, costPerItem: Int, _ body: (Range<Int>) -> Void) {
        let chunks = min(workers, count)
        if chunks <= 1 || count * costPerItem < 32_768 {
            body(0..<count)
            return
        }
        let step = (count + chunks - 1) / chunks
        withoutActuallyEscaping(body) { body in
            let box = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = chunk * step
                let end = min(count, start + step)
                if start < end { box.value(start..<end) }
            }
        }
    }
}

/// Lets a non-Sendable closure run inside `concurrentPerform`; the closures here only write to
/// disjoint ranges of buffers that outlive the call.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
