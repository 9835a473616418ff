/// SentencePiece's compiled normalization rules (`precompiled_charsmap`, e.g. `nmt_nfkc`): a
/// Darts-clone double-array trie over UTF-8 byte sequences whose values point into a pool of
/// NUL-terminated replacement strings. The blob is `<trie size: UInt32 LE><trie units><pool>`.
struct PrecompiledCharsMap: Sendable, Equatable {
    private let units: [UInt32]
    private let pool: [UInt8]

    init(_ blob: [UInt8]) throws {
        guard blob.count > 4 else { throw TokenizerError.invalidFile("precompiled_charsmap is too short") }
        let trieSize = Int(blob[0]) | Int(blob[1]) << 8 | Int(blob[2]) << 16 | Int(blob[3]) << 24
        guard trieSize % 4 == 0, trieSize < blob.count - 4 + 1, 4 + trieSize <= blob.count else {
            throw TokenizerError.invalidFile("precompiled_charsmap trie size \(trieSize) exceeds the blob")
        }
        var units = [UInt32](repeating: 0, count: trieSize / 4)
        for i in units.indices {
            let b = 4 + 4 * i
            units[i] = UInt32(blob[b]) | UInt32(blob[b + 1]) << 8 | UInt32(blob[b + 2]) << 16 | UInt32(blob[b + 3]) << 24
        }
        guard !units.isEmpty else { throw TokenizerError.invalidFile("precompiled_charsmap has an empty trie") }
        self.units = units
        self.pool = Array(blob[(4 + trieSize)...])
    }

    // Darts-clone unit layout.
    @inline(__always) private static func hasLeaf(_ unit: UInt32) -> Bool { (unit >> 8) & 1 == 1 }
    @inline(__always) private static func value(_ unit: UInt32) -> Int { Int(unit & ((1 << 31) - 1)) }
    @inline(__always) private static func label(_ unit: UInt32) -> UInt32 { unit & ((1 << 31) | 0xFF) }
    @inline(__always) private static func offset(_ unit: UInt32) -> Int {
        Int((unit >> 10) << ((unit & (1 << 9)) >> 6))
    }

    /// The longest rule matching a prefix of `bytes[start...]`: its length in input bytes and the
    /// replacement bytes.
    func longestMatch(_ bytes: [UInt8], from start: Int) -> (length: Int, replacement: ArraySlice<UInt8>)? {
        var node = Self.offset(units[0])
        var best: (length: Int, value: Int)?
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            node ^= Int(byte)
            guard node >= 0, node < units.count else { break }
            let unit = units[node]
            guard Self.label(unit) == UInt32(byte) else { break }
            node ^= Self.offset(unit)
            guard node >= 0, node < units.count else { break }
            if Self.hasLeaf(unit) { best = (i - start + 1, Self.value(units[node])) }
            i += 1
        }
        guard let best, best.value < pool.count else { return nil }
        var end = best.value
        while end < pool.count, pool[end] != 0 { end += 1 }
        return (best.length, pool[best.value..<end])
    }
}
