/// Where the tokens of each sequence of a batch sit in an `[N, C]` activation matrix.
///
/// Two shapes of batch are supported by the same kernels:
/// - packed: sequences are concatenated without padding (`offsets` are running sums of `lengths`);
///   the encoders use this, so padding costs nothing in the linear layers;
/// - padded: every sequence occupies `paddedLength` rows and only the first `lengths[b]` are real
///   tokens — the layout Hugging Face uses with an attention mask.
public struct SequenceLayout: Sendable, Equatable {
    /// First row of each sequence.
    public let offsets: [Int]
    /// Number of real tokens of each sequence.
    public let lengths: [Int]
    /// Rows of the activation matrix, N.
    public let rowCount: Int

    /// Number of sequences, B.
    public var batchSize: Int { lengths.count }

    /// Concatenated sequences of the given lengths.
    public static func packed(lengths: [Int]) throws -> SequenceLayout {
        guard lengths.allSatisfy({ $0 >= 0 }) else {
            throw NeuralError.shapeMismatch("negative sequence length in \(lengths)")
        }
        var offsets: [Int] = []
        offsets.reserveCapacity(lengths.count)
        var next = 0
        for length in lengths {
            offsets.append(next)
            next += length
        }
        return SequenceLayout(offsets: offsets, lengths: lengths, rowCount: next)
    }

    /// `validLengths.count` sequences padded to `paddedLength` rows each (`[B, T]` flattened).
    public static func padded(paddedLength: Int, validLengths: [Int]) throws -> SequenceLayout {
        guard validLengths.allSatisfy({ $0 >= 0 && $0 <= paddedLength }) else {
            throw NeuralError.shapeMismatch("valid lengths \(validLengths) do not fit in \(paddedLength)")
        }
        return SequenceLayout(offsets: validLengths.indices.map { $0 * paddedLength }, lengths: validLengths,
                              rowCount: paddedLength * validLengths.count)
    }
}
