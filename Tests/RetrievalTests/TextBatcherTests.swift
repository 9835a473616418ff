import Dispatch
import Foundation
import Testing
@testable import Retrieval

/// `TextBatcher`: concurrent requests share encoder passes, answers go back to the right caller, a bad input
/// fails only its own request.
@Suite("Text batcher")
struct TextBatcherTests {
    /// A fake encoder: the vector of a text is [its length, its first scalar]; "bad" throws; the first call
    /// waits for `gate` so the test can queue requests behind it. Records every batch.
    final class GatedEncoder: @unchecked Sendable {
        let gate = DispatchSemaphore(value: 0)
        private let lock = NSLock()
        private var gated = true
        private(set) var batches: [[String]] = []

        struct BadInput: Error {}

        func encode(_ texts: [String]) throws -> [[Float]] {
            let wait = lock.withLock { () -> Bool in
                batches.append(texts)
                defer { gated = false }
                return gated
            }
            if wait { gate.wait() }
            if texts.contains("bad") { throw BadInput() }
            return texts.map { [Float($0.count), Float($0.unicodeScalars.first?.value ?? 0)] }
        }

        var recorded: [[String]] { lock.withLock { batches } }
    }

    static func vector(_ text: String) -> [Float] { [Float(text.count), Float(text.unicodeScalars.first?.value ?? 0)] }

    /// Waits until `count` requests queue behind the gated first batch, then opens the gate.
    static func release(_ encoder: GatedEncoder, when batcher: TextBatcher, queues count: Int) async throws {
        while await batcher.queuedRequests < count { try await Task.sleep(nanoseconds: 1_000_000) }
        encoder.gate.signal()
    }

    @Test("requests arriving while the encoder is busy share the next batch; each caller gets its own vectors")
    func sharesBatches() async throws {
        let encoder = GatedEncoder()
        let batcher = TextBatcher(maximumBatch: 32) { try encoder.encode($0) }
        let texts = (0..<16).map { String(repeating: "x", count: $0 + 1) + "-\($0)" }
        let results = try await withThrowingTaskGroup(of: (Int, [[Float]]).self) { group in
            group.addTask { (0, try await batcher.embed([texts[0]])) }
            while await batcher.batchCount < 1 { try await Task.sleep(nanoseconds: 1_000_000) }
            for index in 1..<16 { group.addTask { (index, try await batcher.embed([texts[index]])) } }
            group.addTask { try await Self.release(encoder, when: batcher, queues: 15); return (-1, []) }
            var results: [Int: [[Float]]] = [:]
            for try await (index, vectors) in group where index >= 0 { results[index] = vectors }
            return results
        }
        for (index, text) in texts.enumerated() { #expect(results[index] == [Self.vector(text)]) }
        #expect(encoder.recorded.count == 2, "one gated batch, then the 15 queued requests together")
        #expect(encoder.recorded.last?.count == 15)
        #expect(await batcher.requestCount == 16)
    }

    @Test("a failing input in a shared batch fails only its own request")
    func isolatesFailures() async throws {
        let encoder = GatedEncoder()
        let batcher = TextBatcher(maximumBatch: 32) { try encoder.encode($0) }
        let first = Task { try await batcher.embed(["first"]) }
        while await batcher.batchCount < 1 { try await Task.sleep(nanoseconds: 1_000_000) }
        let good = Task { try await batcher.embed(["apple", "pear"]) }
        let bad = Task { try await batcher.embed(["bad"]) }
        let other = Task { try await batcher.embed(["cherry"]) }
        try await Self.release(encoder, when: batcher, queues: 3)
        #expect(try await first.value == [Self.vector("first")])
        #expect(try await good.value == [Self.vector("apple"), Self.vector("pear")])
        #expect(try await other.value == [Self.vector("cherry")])
        await #expect(throws: GatedEncoder.BadInput.self) { try await bad.value }
        // The shared batch failed, then each request ran alone.
        #expect(encoder.recorded.contains { $0.count == 4 })
        #expect(encoder.recorded.contains(["bad"]))
    }

    @Test("a request of a full batch or more runs on its own, and empty input gives no vectors")
    func largeRequestsRunAlone() async throws {
        let encoder = GatedEncoder()
        encoder.gate.signal()
        let batcher = TextBatcher(maximumBatch: 4) { try encoder.encode($0) }
        let texts = ["a", "bb", "ccc", "dddd", "eeeee"]
        #expect(try await batcher.embed(texts) == texts.map(Self.vector))
        #expect(encoder.recorded == [texts])
        #expect(await batcher.batchCount == 0)
        #expect(try await batcher.embed([]) == [])
    }
}
