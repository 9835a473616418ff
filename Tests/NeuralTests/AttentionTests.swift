import Testing

@testable import Neural

/// Attention and pooling on batches of unequal lengths: the packed layout, the padded layout and
/// the Hugging Face-style masked reference must agree on every real token.
struct AttentionTests {
    let heads = 4
    let channels = 32
    let lengths = [5, 1, 9, 0, 3]
    let paddedLength = 9

    /// Padded `[B, T, 3C]` activations, padding rows filled with noise that must not leak.
    func paddedQKV() -> Tensor {
        var random = SeededRandom(state: 17)
        return random.tensor([lengths.count, paddedLength, 3 * channels], scale: 2)
    }

    func split(_ qkv: Tensor, part: Int) -> Tensor {
        var out = Tensor(zeros: [lengths.count, paddedLength, channels])
        for row in 0..<(lengths.count * paddedLength) {
            for i in 0..<channels { out.scalars[row * channels + i] = qkv.scalars[row * 3 * channels + part * channels + i] }
        }
        return out
    }

    var mask: [[Int]] { lengths.map { length in (0..<paddedLength).map { $0 < length ? 1 : 0 } } }

    @Test(arguments: [false, true])
    func paddedLayoutMatchesMaskedReference(causal: Bool) throws {
        let qkv = paddedQKV()
        let layout = try SequenceLayout.padded(paddedLength: paddedLength, validLengths: lengths)
        let fast = try Ops.attention(qkv: try qkv.reshaped([layout.rowCount, 3 * channels]), layout: layout, heads: heads,
                                     causal: causal)
        let slow = Reference.attention(q: split(qkv, part: 0), k: split(qkv, part: 1), v: split(qkv, part: 2),
                                       mask: mask, heads: heads, causal: causal)
        #expect(maxAbsDifference(fast.scalars, slow.scalars) < 1e-5)
    }

    @Test func packedLayoutEqualsPaddedLayout() throws {
        let qkv = paddedQKV()
        let padded = try SequenceLayout.padded(paddedLength: paddedLength, validLengths: lengths)
        let packed = try SequenceLayout.packed(lengths: lengths)
        #expect(packed.rowCount == lengths.reduce(0, +))
        var packedRows: [Float] = []
        for (b, length) in lengths.enumerated() {
            packedRows += qkv.scalars[(b * paddedLength * 3 * channels)..<((b * paddedLength + length) * 3 * channels)]
        }
        let packedQKV = try Tensor(shape: [packed.rowCount, 3 * channels], scalars: packedRows)
        let a = try Ops.attention(qkv: try qkv.reshaped([padded.rowCount, 3 * channels]), layout: padded, heads: heads)
        let b = try Ops.attention(qkv: packedQKV, layout: packed, heads: heads)
        for (batch, length) in lengths.enumerated() {
            for t in 0..<length {
                let paddedRow = Array(a.row(batch * paddedLength + t))
                let packedRow = Array(b.row(packed.offsets[batch] + t))
                #expect(paddedRow == packedRow)
            }
        }
        // Pooling agrees too, and equals the masked reference.
        let x = try Tensor(shape: [padded.rowCount, channels], scalars: a.scalars)
        let pooledPadded = try Ops.pool(x, layout: padded, mode: .mean)
        let pooledPacked = try Ops.pool(b, layout: packed, mode: .mean)
        #expect(maxAbsDifference(pooledPadded.scalars, pooledPacked.scalars) < 1e-6)
        let reference = Reference.meanPool(try x.reshaped([lengths.count, paddedLength, channels]), mask: mask)
        #expect(maxAbsDifference(pooledPadded.scalars, reference.scalars) < 1e-6)
    }

    @Test func poolingModesPickTheRightTokens() throws {
        let x = try Tensor(shape: [5, 2], scalars: [1, 2, 3, -4, 5, 6, 7, 8, 9, 10])
        let layout = try SequenceLayout.packed(lengths: [3, 2])
        #expect(try Ops.pool(x, layout: layout, mode: .cls).scalars == [1, 2, 7, 8])
        #expect(try Ops.pool(x, layout: layout, mode: .lastToken).scalars == [5, 6, 9, 10])
        #expect(try Ops.pool(x, layout: layout, mode: .mean).scalars == [3, 4 / 3, 8, 9])
        #expect(try Ops.pool(x, layout: layout, mode: .max).scalars == [5, 6, 9, 10])
    }

    @Test func rejectsInconsistentLayouts() {
        #expect(throws: NeuralError.self) { try SequenceLayout.padded(paddedLength: 2, validLengths: [3]) }
        #expect(throws: NeuralError.self) {
            try Ops.attention(qkv: Tensor(zeros: [4, 24]), layout: try SequenceLayout.packed(lengths: [3]), heads: 2)
        }
    }
}

/// Sequences long enough for the sgemm path, mixed with short ones, against the masked reference.
struct LongAttentionTests {
    @Test(arguments: [false, true])
    func gemmPathMatchesReference(causal: Bool) throws {
        let (heads, channels) = (3, 24)
        let lengths = [Ops.gemmAttentionLength + 13, 7, 0, Ops.gemmAttentionLength]
        let t = lengths.max() ?? 0
        var random = SeededRandom(state: 23)
        let qkv = random.tensor([lengths.count, t, 3 * channels], scale: 1.5)
        let layout = try SequenceLayout.padded(paddedLength: t, validLengths: lengths)
        let fast = try Ops.attention(qkv: try qkv.reshaped([layout.rowCount, 3 * channels]), layout: layout, heads: heads,
                                     causal: causal)
        func part(_ p: Int) -> Tensor {
            var out = Tensor(zeros: [lengths.count, t, channels])
            for row in 0..<(lengths.count * t) {
                for i in 0..<channels { out.scalars[row * channels + i] = qkv.scalars[row * 3 * channels + p * channels + i] }
            }
            return out
        }
        let mask = lengths.map { length in (0..<t).map { $0 < length ? 1 : 0 } }
        let slow = Reference.attention(q: part(0), k: part(1), v: part(2), mask: mask, heads: heads, causal: causal)
        #expect(maxAbsDifference(fast.scalars, slow.scalars) < 1e-5)
    }
}
