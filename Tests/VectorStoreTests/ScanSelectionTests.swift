import Testing
@testable import VectorStore

/// The scan's selection helpers (`BestOwners`, `AssetMaxima`): blocks' lists merged give the k-th best over
/// owners exactly, as a sort of every owner's maximum does.
@Suite("Scan selection")
struct ScanSelectionTests {
    @Test("blocks' best-owner lists merge to the exact k-th best owner maximum",
          arguments: [(1, 1), (10, 7), (10, 40), (50, 200), (300, 200)])
    func mergedBlocksGiveTheKthBest(k: Int, owners: Int) {
        var random = SeededGenerator(seed: UInt64(k * 1_009 + owners))
        // Owners' rows are runs (as an asset's views are) that blocks cut anywhere; some values repeat (ties).
        var stream: [(owner: Int32, value: Float)] = []
        for owner in 0..<owners {
            for _ in 0..<Int.random(in: 1...6, using: &random) {
                let value = Float(Int.random(in: -500...500, using: &random)) / 100
                stream.append((Int32(owner), value))
            }
        }
        stream.shuffle(using: &random)
        stream.sort { $0.owner < $1.owner }  // runs per owner, in a random order within
        var maxima = [Float](repeating: -.infinity, count: owners)
        for (owner, value) in stream { maxima[Int(owner)] = max(maxima[Int(owner)], value) }
        let expected = ExactSearch.kthLargest(maxima, k: k)
        for blockSize in [1, 5, 64, stream.count] {
            var merged = AssetMaxima(assetCount: owners)
            for start in stride(from: 0, to: stream.count, by: blockSize) {
                var block = BestOwners(capacity: k)
                for (owner, value) in stream[start..<min(start + blockSize, stream.count)] {
                    block.offer(value, owner: owner)
                }
                #expect(block.owners.count == Set(block.owners).count, "an owner is kept once")
                #expect(block.owners.count <= k)
                for (owner, value) in zip(block.owners, block.values) { merged.offer(value, owner: Int(owner)) }
            }
            #expect(merged.kthLargest(k: k) == expected, "block size \(blockSize)")
        }
    }

    @Test("a kept owner's value only rises, and the floor follows the worst kept value")
    func ownerKeepsItsBest() {
        var best = BestOwners(capacity: 2)
        best.offer(0.5, owner: 1)
        #expect(best.floor == -.infinity)
        best.offer(0.2, owner: 2)
        #expect(best.floor == 0.2)
        best.offer(0.1, owner: 1)  // lower than owner 1's best: ignored
        #expect(best.values.sorted() == [0.2, 0.5])
        best.offer(0.9, owner: 2)  // owner 2 rises from the floor: the floor becomes owner 1's 0.5
        #expect(best.floor == 0.5)
        best.offer(0.7, owner: 3)  // replaces the floor owner
        #expect(Set(best.owners) == [2, 3])
        #expect(best.floor == 0.7)
        #expect(BestOwners(capacity: 0).floor == -.infinity)
    }
}
