import Foundation
import Neural
import Tokenizers

/// A sentence-embedding model: tokenizer → transformer backbone → pooling → L2 normalisation, as
/// sentence-transformers runs it.
///
/// Texts are tokenised without padding and packed into batches bounded by a token budget, so no
/// work is spent on padding. Immutable; `embedText` may run from several tasks at once.
public final class SentenceEncoder: TextEncoding {
    /// The id given at load time (e.g. `sentence-transformers/all-MiniLM-L6-v2`).
    public let modelID: String
    /// Width of the vectors: the backbone's hidden size.
    public let dimension: Int
    /// `max_seq_length` of the folder, capped by the position table.
    public let maxLength: Int
    /// Whether the vocabulary has many CJK tokens (see `chineseTokenThreshold`).
    public let readsChinese: Bool
    /// The tokenizer, truncating to `maxLength` and not padding.
    public let tokenizer: Tokenizer
    /// The transformer.
    public let backbone: any TextBackbone
    /// How token vectors become one vector.
    public let pooling: Ops.Pooling
    private let lowercaseInput: Bool
    /// Upper bounds of one forward pass: sequences and tokens.
    private let batchSize = 64, batchTokens = 8192

    init(modelID: String, tokenizer: Tokenizer, backbone: any TextBackbone, setup: SentenceTransformersSetup) {
        let limit = min(setup.maxSequenceLength ?? backbone.maxPositions, backbone.maxPositions)
        var tokenizer = tokenizer
        tokenizer.truncation = Truncation(maxLength: limit)
        tokenizer.padding = nil
        self.modelID = modelID
        self.tokenizer = tokenizer
        self.backbone = backbone
        self.pooling = setup.pooling
        self.lowercaseInput = setup.lowercaseInput
        self.maxLength = limit
        self.dimension = backbone.hiddenSize
        self.readsChinese = Self.coversChinese(tokenizer.vocabulary)
    }

    /// Token ids of each text, as the model sees them (special tokens added, truncated).
    public func tokenize(_ texts: [String]) -> [Encoding] {
        texts.map { tokenizer.encode(lowercaseInput ? $0.lowercased() : $0) }
    }

    /// One unit vector per text, in order; batches of up to 64 texts or 8,192 tokens per forward pass.
    public func embedText(_ texts: [String]) throws -> [[Float]] {
        let encodings = tokenize(texts)
        var result = [[Float]](repeating: [], count: texts.count)
        // Similar lengths together keeps the per-sequence attention work balanced across cores.
        let order = encodings.indices.sorted { encodings[$0].ids.count > encodings[$1].ids.count }
        var start = 0
        while start < order.count {
            var end = start
            var tokens = 0
            while end < order.count, end - start < batchSize,
                  end == start || tokens + encodings[order[end]].ids.count <= batchTokens {
                tokens += encodings[order[end]].ids.count
                end += 1
            }
            let batch = Array(order[start..<end])
            let vectors = try embed(batch.map { encodings[$0] })
            for (slot, index) in batch.enumerated() { result[index] = vectors[slot] }
            start = end
        }
        return result
    }

    /// One forward pass. → one unit vector per encoding
    private func embed(_ encodings: [Encoding]) throws -> [[Float]] {
        try wrapped {
            let (states, layout) = try backbone.forward(ids: encodings.map(\.ids), typeIDs: encodings.map(\.typeIDs))
            var pooled = try Ops.pool(states, layout: layout, mode: pooling)  // [B, C]
            Ops.l2Normalize(&pooled)
            return (0..<pooled.rows).map { Array(pooled.row($0)) }
        }
    }

    /// A vocabulary "reads Chinese" when it has at least this many tokens with a CJK ideograph:
    /// English BERT vocabularies carry a few hundred stray characters, Chinese and multilingual ones
    /// several thousand.
    static let chineseTokenThreshold = 1500

    static func coversChinese(_ vocabulary: [String: Int]) -> Bool {
        var count = 0
        for token in vocabulary.keys where token.unicodeScalars.contains(where: isCJKIdeograph) {
            count += 1
            if count >= chineseTokenThreshold { return true }
        }
        return false
    }

    private static func isCJKIdeograph(_ s: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(s.value) || (0x3400...0x4DBF).contains(s.value)
            || (0x20000...0x2FA1F).contains(s.value) || (0xF900...0xFAFF).contains(s.value)
    }
}
