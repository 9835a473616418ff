/// A dense, contiguous, row-major Float32 tensor. The last dimension varies fastest.
///
/// Deliberately small: shapes and a flat buffer. Kernels in `Ops` work on `[rows, columns]` views of
/// it, where `columns` is the last dimension and `rows` the product of the others.
public struct Tensor: Sendable, Equatable {
    /// Size of every dimension, outermost first.
    public private(set) var shape: [Int]
    /// `shape.reduce(1, *)` values, row-major.
    public var scalars: [Float]

    /// A tensor over `scalars`; their count must equal the product of `shape`.
    public init(shape: [Int], scalars: [Float]) throws {
        let count = shape.reduce(1, *)
        guard shape.allSatisfy({ $0 >= 0 }), count == scalars.count else {
            throw NeuralError.shapeMismatch("shape \(shape) needs \(count) values, got \(scalars.count)")
        }
        self.shape = shape
        self.scalars = scalars
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.shape = shape
        self.scalars = [Float](repeating: 0, count: shape.reduce(1, *))
    }

    /// Number of values.
    public var count: Int { scalars.count }

    /// Size of the last dimension (1 for a scalar).
    public var columns: Int { shape.last ?? 1 }

    /// Product of all dimensions but the last.
    public var rows: Int { columns == 0 ? 0 : count / columns }

    /// The same values under another shape with the same number of elements.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        try Tensor(shape: newShape, scalars: scalars)
    }

    /// Row `index` of the `[rows, columns]` view.
    public func row(_ index: Int) -> ArraySlice<Float> {
        scalars[(index * columns)..<((index + 1) * columns)]
    }
}
