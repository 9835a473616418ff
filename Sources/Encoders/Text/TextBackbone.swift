import Neural

/// A transformer that turns token ids into contextual token vectors; pooling happens elsewhere.
public protocol TextBackbone: Sendable {
    /// Width of the token vectors.
    var hiddenSize: Int { get }
    /// Longest sequence the position table covers.
    var maxPositions: Int { get }
    /// Runs a batch of sequences (no padding: each its own length).
    ///
    /// - Returns: token vectors `[N, C]` with N the total number of tokens, and where each
    ///   sequence's rows are.
    func forward(ids: [[Int]], typeIDs: [[Int]]) throws -> (states: Tensor, layout: SequenceLayout)
    /// Floating-point operations of one forward pass over sequences of these lengths (for benchmarks).
    func forwardFLOPs(lengths: [Int]) -> Double
}
