import Testing
@testable import VectorStore

/// The scan's selection helpers (`BlockBest`, `AssetMaxima`): blocks' lists merged give the exact k-th best owner
/// maximum when owners' rows are contiguous, and never more than it otherwise (a lower threshold stays exact).
@Suite("Scan selection")
struct ScanSelectionTests {
    /// `(owner, value)` rows for `owners` owners, 1–6 rows each, values on a coarse grid (ties happen).
    private func rows(owners: Int, contiguous: Bool, using random: inout SeededGenerator) -> [(Int32, Float)] {
        var stream: [(Int32, Float)] = []
        for owner in 0..<owners {
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                stream.append((Int32(owner), Float(Int.random(in: -500...500, using: &random)) / 100))
            }
        }
        stream.shuffle(using: &random)
        if contiguous { stream.sort { $0.0 < $1.0 } }  // runs per owner, a random order within each
        return stream
    }

    private func merged(_ stream: [(Int32, Float)], owners: Int, k: Int, blockSize: Int) -> Float {
        var maxima = AssetMaxima(assetCount: owners)
        for start in stride(from: 0, to: stream.count, by: blockSize) {
            var block = BlockBest(capacity: k)
            for (owner, value) in stream[start..<min(start + blockSize, stream.count)] { block.offer(value, owner: owner) }
            let runs = block.finish()
            #expect(runs.count <= k)
            #expect(zip(runs, runs.dropFirst()).allSatisfy { $0.value >= $1.value }, "best first")
            for run in runs { maxima.offer(run.value, owner: Int(run.owner)) }
        }
        return maxima.kthLargest(k: k)
    }

    @Test("contiguous owners: the blocks' lists merge to the exact k-th best owner maximum",
          arguments: [(1, 1), (10, 7), (10, 40), (50, 200), (300, 200)])
    func contiguousOwnersGiveTheExactKth(k: Int, owners: Int) {
        var random = SeededGenerator(seed: UInt64(k * 1_009 + owners))
        let stream = rows(owners: owners, contiguous: true, using: &random)
        var maxima = [Float](repeating: -.infinity, count: owners)
        for (owner, value) in stream { maxima[Int(owner)] = max(maxima[Int(owner)], value) }
        let expected = ExactSearch.kthLargest(maxima, k: k)
        for blockSize in [1, 5, 64, stream.count] {
            #expect(merged(stream, owners: owners, k: k, blockSize: blockSize) == expected, "block size \(blockSize)")
        }
    }

    @Test("scattered owners: the merged threshold never exceeds the exact k-th best", arguments: [3, 10, 40])
    func scatteredOwnersGiveALowerBound(k: Int) {
        var random = SeededGenerator(seed: UInt64(k))
        let stream = rows(owners: 120, contiguous: false, using: &random)
        var maxima = [Float](repeating: -.infinity, count: 120)
        for (owner, value) in stream { maxima[Int(owner)] = max(maxima[Int(owner)], value) }
        let expected = ExactSearch.kthLargest(maxima, k: k)
        for blockSize in [7, 64, stream.count] {
            #expect(merged(stream, owners: 120, k: k, blockSize: blockSize) <= expected, "block size \(blockSize)")
        }
    }

    @Test("a run offers its maximum once; fewer owners than k give -∞")
    func runsAndShortLists() {
        var block = BlockBest(capacity: 2)
        for (owner, value) in [(4, 0.1), (4, 0.7), (4, 0.3), (9, 0.5), (2, 0.6)] as [(Int32, Float)] {
            block.offer(value, owner: owner)
        }
        let runs = block.finish()
        #expect(runs.map(\.owner) == [4, 2] && runs.map(\.value) == [0.7, 0.6])
        var maxima = AssetMaxima(assetCount: 10)
        maxima.offer(0.4, owner: 3)
        #expect(maxima.kthLargest(k: 2) == -.infinity)
        #expect(BlockBest(capacity: 0).finishedIsEmpty)
    }
}

private extension BlockBest {
    var finishedIsEmpty: Bool {
        var copy = self
        copy.offer(1, owner: 1)
        return copy.finish().isEmpty
    }
}
