import AssetCatalog
import Foundation
import VectorStore

/// An in-memory BM25 index over asset names, captions, categories and tags in English and Chinese.
///
/// Fields are weighted (BM25F-style: term frequencies summed with field weights before saturation);
/// immutable once built, so it is shared freely between requests. 100,000 assets build in about a second.
public struct LexicalIndex: Sendable {
    /// BM25 parameters.
    public struct Parameters: Sendable {
        public var k1: Float = 1.2
        public var b: Float = 0.75
        /// Field weights.
        public var name: Float = 2.0
        public var caption: Float = 1.0
        public var category: Float = 0.6
        public var tags: Float = 0.4

        public init() {}
    }

    /// One scored asset.
    public struct Hit: Sendable, Hashable {
        public var assetID: AssetID
        /// Raw BM25 score.
        public var score: Float
        /// Score divided by the best score any document could reach for this query, in (0, 1].
        public var normalizedScore: Float
    }

    struct Posting: Sendable {
        var document: Int32
        var frequency: Float
    }

    let analyzer = LexicalAnalyzer()
    let parameters: Parameters
    let documentIDs: [AssetID]
    let documentLengths: [Float]
    let averageLength: Float
    let postings: [String: [Posting]]

    /// Builds the index from assets.
    public init(assets: [Asset], parameters: Parameters = Parameters()) {
        self.parameters = parameters
        var postings: [String: [Posting]] = [:]
        var lengths: [Float] = []
        lengths.reserveCapacity(assets.count)
        let analyzer = LexicalAnalyzer()
        for (index, asset) in assets.enumerated() {
            var frequencies: [String: Float] = [:]
            var length: Float = 0
            func add(_ text: String?, weight: Float) {
                guard let text, !text.isEmpty else { return }
                for term in analyzer.documentTerms(text) {
                    frequencies[term, default: 0] += weight
                    length += weight
                }
            }
            add(asset.name, weight: parameters.name)
            add(asset.nameZH, weight: parameters.name)
            for caption in asset.captions where caption.text != asset.name && caption.text != asset.nameZH {
                add(caption.text, weight: parameters.caption)
            }
            add(asset.category, weight: parameters.category)
            add(asset.categoryZH, weight: parameters.category)
            for tag in asset.tags { add(tag, weight: parameters.tags) }
            for (term, frequency) in frequencies {
                postings[term, default: []].append(Posting(document: Int32(index), frequency: frequency))
            }
            lengths.append(length)
        }
        self.postings = postings
        self.documentIDs = assets.map(\.id)
        self.documentLengths = lengths
        self.averageLength = lengths.isEmpty ? 1 : max(lengths.reduce(0, +) / Float(lengths.count), 1e-6)
    }

    /// Number of indexed assets.
    public var count: Int { documentIDs.count }

    /// Inverse document frequency (BM25+ style, never negative).
    func idf(_ term: String) -> Float {
        let n = Float(documentIDs.count)
        let df = Float(postings[term]?.count ?? 0)
        return log(1 + (n - df + 0.5) / (df + 0.5))
    }

    /// The `limit` best assets for `query` that `accept` lets through, best first; ties by id.
    public func search(_ query: String, limit: Int, accept: (AssetID) -> Bool = { _ in true }) -> [Hit] {
        let terms = analyzer.queryTerms(query)
        guard !terms.isEmpty, limit > 0 else { return [] }
        var weights: [String: Float] = [:]
        for term in terms { weights[term, default: 0] += 1 }
        // Dense accumulators: cheaper than a dictionary when common terms touch many documents.
        var scores = [Float](repeating: 0, count: documentIDs.count)
        var touched: [Int32] = []
        var maximum: Float = 0
        let k1 = parameters.k1
        let b = parameters.b
        for (term, queryWeight) in weights {
            let idf = idf(term)
            maximum += queryWeight * idf * (k1 + 1)
            guard let list = postings[term] else { continue }
            for posting in list {
                let document = Int(posting.document)
                let norm = k1 * (1 - b + b * documentLengths[document] / averageLength)
                let tf = posting.frequency
                if scores[document] == 0 { touched.append(posting.document) }
                scores[document] += queryWeight * idf * tf * (k1 + 1) / (tf + norm)
            }
        }
        var best = TopK<Int32>(capacity: limit) { lhs, rhs in
            scores[Int(lhs)] != scores[Int(rhs)]
                ? scores[Int(lhs)] > scores[Int(rhs)] : self.documentIDs[Int(lhs)] < self.documentIDs[Int(rhs)]
        }
        for document in touched where accept(documentIDs[Int(document)]) { best.insert(document) }
        return best.sorted().map { document in
            let score = scores[Int(document)]
            return Hit(
                assetID: documentIDs[Int(document)], score: score,
                normalizedScore: maximum > 0 ? min(score / maximum, 1) : 0)
        }
    }
}
