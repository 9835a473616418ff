/// Coalesces concurrent text requests into shared encoder batches. A request that arrives while the encoder is
/// idle runs at once (one client sees no added latency); requests that arrive while it is busy wait for the
/// running batch and then go together (eight short queries in one pass cost the CPU far less than eight passes).
/// When a shared batch fails, each request in it is retried alone, so one bad input fails only its own request.
actor TextBatcher {
    typealias Encode = @Sendable ([String]) throws -> [[Float]]

    private struct Waiter {
        let texts: [String]
        let continuation: CheckedContinuation<[[Float]], any Error>
    }

    private let encode: Encode
    /// Most texts in one shared batch; a request at least this large runs on its own.
    let maximumBatch: Int
    private var waiting: [Waiter] = []
    private var draining = false
    /// Batches encoded so far and the requests they served (tests check that requests were shared).
    private(set) var batchCount = 0
    private(set) var requestCount = 0
    /// Requests waiting for the running batch to finish.
    var queuedRequests: Int { waiting.count }

    init(maximumBatch: Int = 32, encode: @escaping Encode) {
        self.maximumBatch = maximumBatch
        self.encode = encode
    }

    /// The vectors of `texts`, in order.
    func embed(_ texts: [String]) async throws -> [[Float]] {
        guard !texts.isEmpty else { return [] }
        if texts.count >= maximumBatch {
            let encode = self.encode
            return try await runOffCooperativePool { try encode(texts) }
        }
        return try await withCheckedThrowingContinuation { continuation in
            waiting.append(Waiter(texts: texts, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    /// Encodes waiting requests, oldest first, in batches of at most `maximumBatch` texts, until none wait.
    private func drain() async {
        while !waiting.isEmpty {
            var batch: [Waiter] = []
            var size = 0
            while let next = waiting.first, batch.isEmpty || size + next.texts.count <= maximumBatch {
                batch.append(waiting.removeFirst())
                size += next.texts.count
            }
            batchCount += 1
            requestCount += batch.count
            await run(batch)
        }
        draining = false
    }

    private func run(_ batch: [Waiter]) async {
        let encode = self.encode
        let texts = batch.flatMap(\.texts)
        do {
            let vectors = try await runOffCooperativePool { try encode(texts) }
            guard vectors.count == texts.count else {
                throw SpaceError("the encoder returned \(vectors.count) vectors for \(texts.count) texts")
            }
            var offset = 0
            for waiter in batch {
                waiter.continuation.resume(returning: Array(vectors[offset..<offset + waiter.texts.count]))
                offset += waiter.texts.count
            }
        } catch where batch.count > 1 {
            for waiter in batch {
                let texts = waiter.texts
                do {
                    waiter.continuation.resume(returning: try await runOffCooperativePool { try encode(texts) })
                } catch {
                    waiter.continuation.resume(throwing: error)
                }
            }
        } catch {
            batch[0].continuation.resume(throwing: error)
        }
    }
}
