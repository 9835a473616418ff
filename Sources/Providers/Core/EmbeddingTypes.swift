import ImageCodec
import Logging

/// What one vector should represent.
public enum EmbeddingContent: Sendable {
    /// A caption or a query.
    case text(String)
    /// One image (one view) → one vector.
    case image(Image)
    /// Several images (the views of one asset) fused into one vector.
    case fusedImages([Image])
}

/// One vector to compute, keyed by a caller-chosen id (e.g. `"<asset id>#text_en"`).
public struct EmbeddingItem: Sendable {
    /// Caller's key; results and failures are reported under it. Must be unique within a call.
    public var id: String
    /// What to embed.
    public var content: EmbeddingContent

    /// Creates an item.
    public init(id: String, content: EmbeddingContent) {
        self.id = id
        self.content = content
    }
}

/// An item that did not get a vector, and why.
public struct ItemFailure: Sendable, Hashable, CustomStringConvertible {
    /// The item's id.
    public var id: String
    /// What went wrong (already redacted).
    public var error: ProviderError

    /// Creates a failure record.
    public init(id: String, error: ProviderError) {
        self.id = id
        self.error = error
    }

    /// `id: error`, for reports.
    public var description: String { "\(id): \(error)" }
}

/// The outcome of one embedding call: a vector for every item that succeeded, the failures for
/// the rest, and what it cost. Items never receive a placeholder vector — a failed item is absent
/// from ``vectors`` and present in ``failures``, so it can be retried later.
public struct EmbeddingRun: Sendable {
    /// L2-normalised vectors by item id, each of length ``dimension``.
    public var vectors: [String: [Float]]
    /// Items without a vector.
    public var failures: [ItemFailure]
    /// Dimension of every vector in ``vectors``.
    public var dimension: Int
    /// Model name the vectors came from.
    public var model: String
    /// Usage of this call.
    public var usage: ProviderUsage
    /// Notes for the user, e.g. "asset X: 8 views reduced to 5 (model limit)".
    public var notes: [String]

    /// Creates a run result (empty by default).
    public init(
        vectors: [String: [Float]] = [:], failures: [ItemFailure] = [], dimension: Int, model: String,
        usage: ProviderUsage = ProviderUsage(), notes: [String] = []
    ) {
        self.vectors = vectors
        self.failures = failures
        self.dimension = dimension
        self.model = model
        self.usage = usage
        self.notes = notes
    }

    /// Ids that failed, sorted.
    public var failedIDs: [String] { failures.map(\.id).sorted() }
}

/// Per-item results of one request: a vector or the reason there is none.
typealias EmbeddingOutcome = [(String, Result<[Float], ProviderError>)]

extension EmbeddingRun {
    /// Records the requests' per-item results and the call's usage, sorts the failures, and warns once
    /// when any item failed.
    mutating func record(_ outcomes: [EmbeddingOutcome], usage: ProviderUsage, logger: Logger) {
        for outcome in outcomes {
            for (id, result) in outcome {
                switch result {
                case .success(let vector): vectors[id] = vector
                case .failure(let error): failures.append(ItemFailure(id: id, error: error))
                }
            }
        }
        self.usage = usage
        failures.sort { $0.id < $1.id }
        if !failures.isEmpty {
            logger.warning(
                "embedding items failed",
                metadata: ["model": "\(model)", "failed": "\(failures.count)", "succeeded": "\(vectors.count)"])
        }
    }
}

/// A remote embedder: DashScope's native API or an OpenAI-compatible server.
public protocol RemoteEmbedder: Sendable {
    /// Model name the vectors come from.
    var model: String { get }
    /// Dimension of the returned vectors.
    var dimension: Int { get }
    /// Embeds `items`; never throws for per-item problems (they are in ``EmbeddingRun/failures``).
    /// - Parameter instruction: task description for query-side embeddings (models that support it).
    func embed(_ items: [EmbeddingItem], instruction: String?) async -> EmbeddingRun
}

extension RemoteEmbedder {
    /// Embeds `items` without an instruction (document side).
    public func embed(_ items: [EmbeddingItem]) async -> EmbeddingRun {
        await embed(items, instruction: nil)
    }
}

/// Checks and normalises vectors coming back from a server.
enum VectorCheck {
    /// The L2-normalised vector, or an `invalidVector` error when it is unusable (wrong length,
    /// NaN/∞, or all zeros) — a zero vector is never passed on.
    static func normalised(_ values: [Double], expected dimension: Int, id: String) throws(ProviderError) -> [Float] {
        guard values.count == dimension else {
            throw ProviderError(.invalidVector, "vector for \(id) has \(values.count) values, expected \(dimension)")
        }
        var sum = 0.0
        for value in values {
            guard value.isFinite else {
                throw ProviderError(.invalidVector, "vector for \(id) contains NaN or infinity")
            }
            sum += value * value
        }
        let norm = sum.squareRoot()
        guard norm > 1e-12 else { throw ProviderError(.invalidVector, "vector for \(id) is all zeros") }
        return values.map { Float($0 / norm) }
    }
}
