/// Byte-pair encoding as the `tokenizers` library runs it: a word starts as one symbol per
/// character (with `continuing_subword_prefix` / `end_of_word_suffix` where configured), characters
/// missing from the vocabulary become `<0xNN>` byte tokens (`byte_fallback`) or the unknown token,
/// then the pair of adjacent symbols with the lowest merge rank is merged (leftmost first among
/// equal ranks) until no listed pair remains.
///
/// Covers CLIP's byte-level BPE (`</w>` suffix, bytes already mapped by the `ByteLevel`
/// pre-tokenizer) and Gemma's SentencePiece-style BPE (`▁` for spaces, byte fallback).
public struct BPE: Sendable, Equatable {
    /// Token → id.
    public let vocabulary: [String: Int]
    /// `(left id, right id)` packed as `left << 32 | right` → (rank, merged id).
    let merges: [UInt64: Merge]
    /// The unknown token's id, if the model has one (without one, unknown characters are dropped).
    public let unknownID: Int?
    /// Consecutive unknown characters become one unknown token.
    public let fuseUnknown: Bool
    /// Characters missing from the vocabulary become their UTF-8 bytes as `<0xNN>` tokens.
    public let byteFallback: Bool
    /// A word that is itself in the vocabulary is one token, whatever the merges say.
    public let ignoreMerges: Bool
    /// Prefix of every symbol but a word's first, and suffix of its last.
    public let continuingSubwordPrefix: String?, endOfWordSuffix: String?
    /// `<0xNN>` ids by byte value (nil where absent).
    let byteIDs: [Int?]
    /// Id → token.
    let tokenTexts: [Int: String]
    /// Longest vocabulary entry, in scalars (bounds how far a token reaches; used by callers that
    /// cut long inputs).
    public let longestToken: Int

    struct Merge: Sendable, Equatable {
        var rank: Int
        var id: Int
    }

    /// Reads a `model` object of type `BPE` (merges as `"a b"` strings or `["a", "b"]` pairs).
    public init(json: JSONValue) throws {
        guard let vocab = json["vocab"]?.object else { throw TokenizerError.invalidFile("BPE without a vocab") }
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(vocab.count)
        for (token, id) in vocab {
            guard let id = id.int else { throw TokenizerError.invalidFile("vocab id of '\(token)' is not an integer") }
            vocabulary[token] = id
        }
        var pairs: [(String, String)] = []
        for item in json["merges"]?.array ?? [] {
            if let text = item.string {
                // "a b": split at the first space after the first character (tokens never start with one).
                let scalars = Array(text.unicodeScalars)
                guard let space = scalars.dropFirst().firstIndex(of: " ") else {
                    throw TokenizerError.invalidFile("merge '\(text)' is not two tokens")
                }
                pairs.append((String(String.UnicodeScalarView(scalars[..<space])),
                              String(String.UnicodeScalarView(scalars[(space + 1)...]))))
            } else if let pair = item.array, pair.count == 2, let a = pair[0].string, let b = pair[1].string {
                pairs.append((a, b))
            } else {
                throw TokenizerError.invalidFile("a merge is neither \"a b\" nor [\"a\", \"b\"]")
            }
        }
        func string(_ key: String) -> String? { json[key]?.string.flatMap { $0.isEmpty ? nil : $0 } }
        try self.init(vocabulary: vocabulary, merges: pairs, unknownToken: string("unk_token"),
                      fuseUnknown: json["fuse_unk"]?.bool ?? false, byteFallback: json["byte_fallback"]?.bool ?? false,
                      ignoreMerges: json["ignore_merges"]?.bool ?? false,
                      continuingSubwordPrefix: string("continuing_subword_prefix"),
                      endOfWordSuffix: string("end_of_word_suffix"))
    }

    /// A BPE model from a vocabulary and its merges in rank order.
    public init(vocabulary: [String: Int], merges pairs: [(String, String)], unknownToken: String?,
                fuseUnknown: Bool = false, byteFallback: Bool = false, ignoreMerges: Bool = false,
                continuingSubwordPrefix: String? = nil, endOfWordSuffix: String? = nil) throws {
        var merges: [UInt64: Merge] = [:]
        merges.reserveCapacity(pairs.count)
        for (rank, (a, b)) in pairs.enumerated() {
            guard let left = vocabulary[a], let right = vocabulary[b], let merged = vocabulary[a + b] else {
                throw TokenizerError.invalidFile("merge '\(a) \(b)' uses a token that is not in the vocabulary")
            }
            let key = Self.key(left, right)
            if merges[key] == nil { merges[key] = Merge(rank: rank, id: merged) }
        }
        if let unknownToken, vocabulary[unknownToken] == nil { throw TokenizerError.missingToken(unknownToken) }
        self.vocabulary = vocabulary
        self.merges = merges
        self.unknownID = unknownToken.flatMap { vocabulary[$0] }
        self.fuseUnknown = fuseUnknown
        self.byteFallback = byteFallback
        self.ignoreMerges = ignoreMerges
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.endOfWordSuffix = endOfWordSuffix
        self.byteIDs = (0..<256).map { vocabulary[Self.byteToken(UInt8($0))] }
        self.tokenTexts = Dictionary(vocabulary.map { ($0.value, $0.key) }, uniquingKeysWith: { first, _ in first })
        self.longestToken = vocabulary.keys.reduce(0) { max($0, $1.unicodeScalars.count) }
    }

    /// `<0xNN>`, SentencePiece's name for a byte token (upper-case hex).
    static func byteToken(_ byte: UInt8) -> String {
        let hex = Array("0123456789ABCDEF")
        return "<0x\(hex[Int(byte >> 4)])\(hex[Int(byte & 15)])>"
    }

    @inline(__always)
    static func key(_ left: Int, _ right: Int) -> UInt64 { UInt64(UInt32(truncatingIfNeeded: left)) << 32 | UInt64(UInt32(truncatingIfNeeded: right)) }

    /// Appends the tokens of one word.
    func tokenize(_ word: [Unicode.Scalar], into tokens: inout [Token]) {
        guard !word.isEmpty else { return }
        if ignoreMerges, let id = vocabulary[String(String.UnicodeScalarView(word))] {
            tokens.append(Token(id: id, text: tokenTexts[id] ?? ""))
            return
        }
        var symbols = initialSymbols(word)
        mergeAll(&symbols)
        for id in symbols where id >= 0 { tokens.append(Token(id: id, text: tokenTexts[id] ?? "")) }
    }

    /// One id per character (prefix and suffix applied), bytes or unknowns where needed.
    private func initialSymbols(_ word: [Unicode.Scalar]) -> [Int] {
        var ids: [Int] = []
        ids.reserveCapacity(word.count)
        var pendingUnknown = false
        for (index, scalar) in word.enumerated() {
            var piece = String(Character(scalar))
            if index > 0, let prefix = continuingSubwordPrefix { piece = prefix + piece }
            if index == word.count - 1, let suffix = endOfWordSuffix { piece += suffix }
            if let id = vocabulary[piece] {
                if pendingUnknown, let unknownID { ids.append(unknownID) }
                pendingUnknown = false
                ids.append(id)
                continue
            }
            if byteFallback {
                var bytes: [Int] = []
                var complete = true
                UTF8.encode(scalar) { byte in
                    if let id = byteIDs[Int(byte)] { bytes.append(id) } else { complete = false }
                }
                if complete {
                    // tokenizers keeps a pending unknown run open across byte tokens.
                    ids += bytes
                    continue
                }
            }
            guard let unknownID else { continue }
            if pendingUnknown, !fuseUnknown { ids.append(unknownID) }
            pendingUnknown = true
        }
        if pendingUnknown, let unknownID { ids.append(unknownID) }
        return ids
    }

    /// Merges pairs by rank until none applies. Symbols are a doubly linked list over `ids`;
    /// candidate merges wait in a min-heap keyed by (rank, position).
    private func mergeAll(_ ids: inout [Int]) {
        let n = ids.count
        guard n > 1 else { return }
        var previous = Array(-1..<(n - 1))
        var next = Array(1...n)
        next[n - 1] = -1
        var alive = [Bool](repeating: true, count: n)
        var heap = MergeHeap()
        for i in 0..<(n - 1) {
            if let merge = merges[Self.key(ids[i], ids[i + 1])] {
                heap.push(.init(rank: merge.rank, position: i, id: merge.id))
            }
        }
        while let top = heap.pop() {
            let i = top.position
            guard alive[i], next[i] >= 0 else { continue }
            let j = next[i]
            // Stale entry: the pair at i changed since it was queued.
            guard let merge = merges[Self.key(ids[i], ids[j])], merge.id == top.id else { continue }
            ids[i] = merge.id
            alive[j] = false
            next[i] = next[j]
            if next[j] >= 0 { previous[next[j]] = i }
            if previous[i] >= 0, let left = merges[Self.key(ids[previous[i]], ids[i])] {
                heap.push(.init(rank: left.rank, position: previous[i], id: left.id))
            }
            if next[i] >= 0, let right = merges[Self.key(ids[i], ids[next[i]])] {
                heap.push(.init(rank: right.rank, position: i, id: right.id))
            }
        }
        var out: [Int] = []
        out.reserveCapacity(n)
        var k = 0
        while k >= 0 {
            out.append(ids[k])
            k = next[k]
        }
        ids = out
    }
}

/// A binary min-heap of candidate merges ordered by (rank, position).
struct MergeHeap {
    struct Entry {
        var rank: Int, position: Int, id: Int
        func precedes(_ other: Entry) -> Bool { rank != other.rank ? rank < other.rank : position < other.position }
    }

    private var items: [Entry] = []

    mutating func push(_ entry: Entry) {
        items.append(entry)
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].precedes(items[parent]) else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> Entry? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var best = parent
                if left < items.count, items[left].precedes(items[best]) { best = left }
                if right < items.count, items[right].precedes(items[best]) { best = right }
                if best == parent { break }
                items.swapAt(parent, best)
                parent = best
            }
        }
        return first
    }
}
