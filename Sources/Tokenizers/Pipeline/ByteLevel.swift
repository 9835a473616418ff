/// GPT-2's reversible byte → printable character map, used by byte-level BPE (CLIP, GPT-2,
/// RoBERTa): printable Latin-1 bytes map to themselves, the other 68 bytes to U+0100 onwards in
/// byte order, so every UTF-8 byte of a text becomes one visible vocabulary character.
enum ByteLevel {
    /// `alphabet[b]` is the character that stands for byte `b`.
    static let alphabet: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                table[byte] = Unicode.Scalar(next) ?? " "
                next += 1
            }
        }
        return table
    }()

    /// The byte-level characters of a piece of text: its UTF-8 bytes, each mapped through `alphabet`.
    static func encode(_ text: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(text.count)
        for scalar in text {
            UTF8.encode(scalar) { out.append(alphabet[Int($0)]) }
        }
        return out
    }

    /// GPT-2's split (`use_regex` of the `ByteLevel` pre-tokenizer).
    static let gpt2Split: RegexPattern? =
        try? RegexPattern(#"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#)
}
