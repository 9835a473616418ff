/// Encodes text the way the `sentencepiece` library's `SentencePieceProcessor.encode` does for a
/// unigram model: normalise (compiled rules, user-defined symbols kept verbatim, whitespace
/// handling, `▁` for spaces), find the best segmentation with Viterbi over the pieces' log
/// probabilities, then merge runs of unknown pieces (or spell them as bytes with byte fallback).
///
/// Arithmetic follows the library: path scores are stored as `Float`, candidates computed in
/// `Double`, and an unknown character costs `min score − 10`.
public struct SentencePieceEncoder: Sendable, Equatable {
    /// The model file's contents.
    public let model: SentencePieceModel
    private let charsMap: PrecompiledCharsMap?
    /// Byte trie of the pieces Viterbi may use: `node << 8 | byte` → child node.
    private let children: [UInt64: Int32]
    /// Piece id ending at each trie node (-1: none).
    private let nodeValue: [Int32]
    /// Byte trie of the user-defined symbols, matched before normalisation.
    private let userDefined: Set<[UInt8]>
    private let longestUserDefined: Int
    private let pieceIDs: [String: Int]
    /// Id of the unknown piece.
    public let unknownID: Int
    private let minScore: Float, maxScore: Float

    /// Prepares `model` (unigram models only).
    public init(model: SentencePieceModel) throws {
        guard model.modelType == .unigram else {
            throw TokenizerError.unsupportedStage(stage: "model", type: "SentencePiece \(model.modelType)")
        }
        self.model = model
        charsMap = model.precompiledCharsMap.isEmpty ? nil : try PrecompiledCharsMap(model.precompiledCharsMap)
        var children: [UInt64: Int32] = [:]
        var nodeValue: [Int32] = [-1]
        var userDefined: Set<[UInt8]> = []
        var pieceIDs: [String: Int] = [:]
        var unknownID: Int?
        // The library starts from FLT_MAX and FLT_MIN (the smallest positive float, not −FLT_MAX).
        var (minScore, maxScore) = (Float.greatestFiniteMagnitude, Float.leastNormalMagnitude)
        for (id, piece) in model.pieces.enumerated() {
            if pieceIDs[piece.text] == nil { pieceIDs[piece.text] = id }
            switch piece.type {
            case .unknown: unknownID = unknownID ?? id
            case .normal:
                minScore = min(minScore, piece.score)
                maxScore = max(maxScore, piece.score)
            case .userDefined: userDefined.insert(Array(piece.text.utf8))
            default: break
            }
            guard [.normal, .userDefined, .unused].contains(piece.type), !piece.text.isEmpty else { continue }
            var node = 0
            for byte in piece.text.utf8 {
                let key = UInt64(node) << 8 | UInt64(byte)
                if let child = children[key] {
                    node = Int(child)
                } else {
                    children[key] = Int32(nodeValue.count)
                    node = nodeValue.count
                    nodeValue.append(-1)
                }
            }
            if nodeValue[node] < 0 { nodeValue[node] = Int32(id) }
        }
        guard let unknownID else { throw TokenizerError.invalidFile("spiece.model has no unknown piece") }
        self.children = children
        self.nodeValue = nodeValue
        self.userDefined = userDefined
        self.longestUserDefined = userDefined.map(\.count).max() ?? 0
        self.pieceIDs = pieceIDs
        self.unknownID = unknownID
        self.minScore = minScore
        self.maxScore = maxScore
    }

    /// The id of a piece; unknown pieces get `unknownID` (as `piece_to_id`).
    public func id(of piece: String) -> Int { pieceIDs[piece] ?? unknownID }

    /// The pieces of `text` with their ids.
    public func encode(_ text: String) -> [(piece: String, id: Int)] {
        let normalized = normalize(Array(text.utf8))
        guard !normalized.isEmpty else { return [] }
        var out: [(piece: String, id: Int)] = []
        var previousUnknown = false
        for (range, id) in viterbi(normalized) {
            let bytes = normalized[range]
            let isUnknown = id == unknownID
            if isUnknown, model.byteFallback {
                for byte in bytes {
                    let name = BPE.byteToken(byte)
                    out.append((name, self.id(of: name)))
                }
            } else if isUnknown, previousUnknown, let last = out.popLast() {
                out.append((last.piece + String(decoding: bytes, as: UTF8.self), unknownID))
            } else {
                out.append((String(decoding: bytes, as: UTF8.self), id))
            }
            previousUnknown = isUnknown
        }
        return out
    }

    // MARK: - Normalisation

    private static let space: [UInt8] = [0xE2, 0x96, 0x81]  // ▁

    /// `Normalizer::Normalize`: bytes in, normalised bytes out.
    func normalize(_ input: [UInt8]) -> [UInt8] {
        var position = 0
        if model.removeExtraWhitespaces {
            while position < input.count {
                let (length, replacement) = normalizePrefix(input, at: position)
                guard replacement.elementsEqual([0x20]) else { break }
                position += length
            }
        }
        guard position < input.count else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3)
        let whitespace: [UInt8] = model.escapeWhitespaces ? Self.space : [0x20]
        if !model.treatWhitespaceAsSuffix, model.addDummyPrefix { out += whitespace }
        var previousIsSpace = model.removeExtraWhitespaces
        while position < input.count {
            let (length, replacement) = normalizePrefix(input, at: position)
            var piece = replacement[...]
            while previousIsSpace, piece.first == 0x20 { piece = piece.dropFirst() }
            if !piece.isEmpty {
                for byte in piece {
                    if model.escapeWhitespaces, byte == 0x20 { out += Self.space } else { out.append(byte) }
                }
                previousIsSpace = piece.last == 0x20
            }
            position += length
            if !model.removeExtraWhitespaces { previousIsSpace = false }
        }
        if model.removeExtraWhitespaces {
            while out.count >= whitespace.count, out.suffix(whitespace.count).elementsEqual(whitespace) {
                out.removeLast(whitespace.count)
            }
        }
        if model.treatWhitespaceAsSuffix, model.addDummyPrefix { out += whitespace }
        return out
    }

    /// The rewrite of the text at `position`: a user-defined symbol (kept), the longest compiled
    /// rule, or one character as it is. → (input bytes consumed, output bytes)
    private func normalizePrefix(_ input: [UInt8], at position: Int) -> (Int, [UInt8]) {
        if longestUserDefined > 0 {
            var best = 0
            for length in 1...min(longestUserDefined, input.count - position)
            where userDefined.contains(Array(input[position..<(position + length)])) {
                best = length
            }
            if best > 0 { return (best, Array(input[position..<(position + best)])) }
        }
        if let charsMap, let match = charsMap.longestMatch(input, from: position) {
            return (match.length, Array(match.replacement))
        }
        let length = min(Self.utf8Length(input[position]), input.count - position)
        return (length, Array(input[position..<(position + length)]))
    }

    /// Bytes of the UTF-8 character that starts with `lead` (1 for continuation bytes).
    @inline(__always)
    static func utf8Length(_ lead: UInt8) -> Int {
        switch lead >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }

    // MARK: - Viterbi

    /// The best segmentation of normalised bytes: (byte range, piece id), left to right.
    private func viterbi(_ text: [UInt8]) -> [(Range<Int>, Int)] {
        let size = text.count
        var bestScore = [Float](repeating: 0, count: size + 1)
        var startsAt = [Int](repeating: -1, count: size + 1)
        var bestID = [Int](repeating: -1, count: size + 1)
        let unknownScore = Double(minScore) - 10
        var start = 0
        while start < size {
            let tillHere = Double(bestScore[start])
            let characterLength = min(Self.utf8Length(text[start]), size - start)
            var hasSingleCharacter = false
            var node = 0
            var end = start
            while end < size, let child = children[UInt64(node) << 8 | UInt64(text[end])] {
                node = Int(child)
                end += 1
                let id = Int(nodeValue[node])
                guard id >= 0, model.pieces[id].type != .unused else { continue }
                let length = end - start
                let score = model.pieces[id].type == .userDefined
                    ? Double(length) * Double(maxScore) - 0.1 : Double(model.pieces[id].score)
                let candidate = score + tillHere
                if startsAt[end] < 0 || candidate > Double(bestScore[end]) {
                    bestScore[end] = Float(candidate)
                    startsAt[end] = start
                    bestID[end] = id
                }
                if length == characterLength { hasSingleCharacter = true }
            }
            if !hasSingleCharacter {
                let end = start + characterLength
                let candidate = unknownScore + tillHere
                if startsAt[end] < 0 || candidate > Double(bestScore[end]) {
                    bestScore[end] = Float(candidate)
                    startsAt[end] = start
                    bestID[end] = unknownID
                }
            }
            start += characterLength
        }
        var result: [(Range<Int>, Int)] = []
        var end = size
        while end > 0, startsAt[end] >= 0 {
            result.append((startsAt[end]..<end, bestID[end]))
            end = startsAt[end]
        }
        return result.reversed()
    }
}
