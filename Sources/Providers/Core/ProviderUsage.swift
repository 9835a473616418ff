import Synchronization

/// What a run consumed, summed from the `usage` objects the services return.
///
/// DashScope's multimodal embedding reports `input_tokens`, `image_tokens` and `image_count`;
/// OpenAI-compatible endpoints report `prompt_tokens`, `completion_tokens` and `total_tokens`.
/// Both land here so a run can print one line at the end (``summary``).
public struct ProviderUsage: Sendable, Hashable, Codable {
    /// HTTP requests that got a successful response.
    public var requests: Int = 0
    /// Requests that were sent again after a failure.
    public var retries: Int = 0
    /// Text (input/prompt) tokens.
    public var inputTokens: Int = 0
    /// Output (completion) tokens.
    public var outputTokens: Int = 0
    /// Image tokens (DashScope `image_tokens`).
    public var imageTokens: Int = 0
    /// Images sent (DashScope `image_count`, or counted by the client when not reported).
    public var images: Int = 0
    /// Embedding vectors received and accepted.
    public var vectors: Int = 0

    /// Zero usage.
    public init() {}

    /// Adds `other` field by field.
    public mutating func add(_ other: ProviderUsage) {
        requests += other.requests
        retries += other.retries
        inputTokens += other.inputTokens
        outputTokens += other.outputTokens
        imageTokens += other.imageTokens
        images += other.images
        vectors += other.vectors
    }

    /// One line for the end of a run, e.g. `12 requests (1 retried), 3,400 input tokens, …`.
    public var summary: String {
        var parts = ["\(requests) requests" + (retries > 0 ? " (\(retries) retries)" : "")]
        parts.append("\(inputTokens) input tokens")
        if outputTokens > 0 { parts.append("\(outputTokens) output tokens") }
        if images > 0 || imageTokens > 0 { parts.append("\(images) images / \(imageTokens) image tokens") }
        if vectors > 0 { parts.append("\(vectors) vectors") }
        return parts.joined(separator: ", ")
    }
}

/// A thread-safe running total shared by the concurrent requests of one run.
final class UsageMeter: Sendable {
    private let total = Mutex(ProviderUsage())

    func add(_ usage: ProviderUsage) { total.withLock { $0.add(usage) } }

    func add(_ update: (inout ProviderUsage) -> Void) {
        total.withLock { update(&$0) }
    }

    var value: ProviderUsage { total.withLock { $0 } }
}
