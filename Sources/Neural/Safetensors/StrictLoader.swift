/// Takes the tensors a model needs out of a checkpoint and, at the end, refuses the checkpoint
/// unless every tensor was found with the right shape and none was left over.
///
/// `take` never throws, so one pass over the model collects every problem; `finish()` then reports
/// them all at once (a checkpoint of the wrong architecture shows its whole mismatch).
public final class StrictLoader {
    private let checkpoint: Checkpoint
    private let prefix: String
    private let ignored: @Sendable (String) -> Bool
    private var taken: Set<String> = []
    private var missing: [String] = []
    private var wrongShape: [String] = []
    private var unreadable: [NeuralError] = []

    /// - Parameters:
    ///   - checkpoint: the weights
    ///   - prefix: prepended to every requested name (e.g. `"bert."` for checkpoints saved with a head)
    ///   - ignoring: names that may stay unused (buffers such as `position_ids`, unused heads)
    public init(checkpoint: Checkpoint, prefix: String = "", ignoring: @escaping @Sendable (String) -> Bool = { _ in false }) {
        self.checkpoint = checkpoint
        self.prefix = prefix
        self.ignored = ignoring
    }

    /// The tensor `prefix + name`, which must have `shape`. A missing or misshapen tensor is
    /// recorded and zeros of `shape` are returned so that loading can go on and report everything.
    public func take(_ name: String, shape: [Int]) -> Tensor {
        let full = prefix + name
        taken.insert(full)
        guard let info = checkpoint.info(full) else {
            missing.append(full)
            return Tensor(zeros: shape)
        }
        guard info.shape == shape else {
            wrongShape.append("\(full) (\(info.shape), expected \(shape))")
            return Tensor(zeros: shape)
        }
        do {
            return try checkpoint.tensor(named: full)
        } catch let error as NeuralError {
            unreadable.append(error)
        } catch {
            unreadable.append(.tensorNotFound(name: full))
        }
        return Tensor(zeros: shape)
    }

    /// Throws unless every requested tensor was found, readable and well shaped, and every
    /// tensor of the checkpoint was taken or ignored.
    public func finish() throws {
        if let first = unreadable.first { throw first }
        let unused = checkpoint.tensorNames.filter { !taken.contains($0) && !ignored($0) }
        if !missing.isEmpty || !unused.isEmpty || !wrongShape.isEmpty {
            throw NeuralError.checkpointMismatch(missing: missing, unused: unused, wrongShape: wrongShape)
        }
    }
}
