/// A forward-only reader over the bytes of a text file (OBJ, MTL), one line at a time.
///
/// Numbers are parsed by hand: Foundation's parsers are 10× slower on 100 MB of OBJ text.
/// Every read checks bounds; nothing here can read past the buffer.
struct ByteScanner {
    /// The whole file.
    let bytes: UnsafeBufferPointer<UInt8>
    /// Current read position.
    var position = 0
    /// 1-based number of the line being read (for error messages).
    var line = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position >= bytes.count }

    /// The byte at the current position, or 0 at the end.
    @inline(__always) var current: UInt8 { position < bytes.count ? bytes[position] : 0 }

    /// True at a newline, a comment, or the end of the buffer.
    @inline(__always) var isAtEndOfLine: Bool {
        let c = current
        return position >= bytes.count || c == 10 || c == 13 || c == 35  // \n \r #
    }

    /// Skips spaces, tabs and other horizontal white space (and a `\` line continuation).
    @inline(__always) mutating func skipSpaces() {
        while position < bytes.count {
            let c = bytes[position]
            if c == 32 || c == 9 || c == 11 || c == 12 {
                position += 1
            } else if c == 92, position + 1 < bytes.count, bytes[position + 1] == 10 || bytes[position + 1] == 13 {
                // Backslash-newline joins two lines.
                position += 1
                if bytes[position] == 13, position + 1 < bytes.count, bytes[position + 1] == 10 { position += 1 }
                position += 1
                line += 1
            } else {
                return
            }
        }
    }

    /// Moves to the start of the next line.
    mutating func nextLine() {
        while position < bytes.count, bytes[position] != 10 { position += 1 }
        if position < bytes.count {
            position += 1
            line += 1
        }
    }

    /// Reads the next token (up to white space) as raw bytes range.
    mutating func readToken() -> Range<Int> {
        skipSpaces()
        let start = position
        while position < bytes.count {
            let c = bytes[position]
            if c == 32 || c == 9 || c == 10 || c == 13 { break }
            position += 1
        }
        return start..<position
    }

    /// Whether the token at `range` spells `keyword`.
    func token(_ range: Range<Int>, is keyword: StaticString) -> Bool {
        guard range.count == keyword.utf8CodeUnitCount else { return false }
        let k = keyword.utf8Start
        for i in 0..<range.count where bytes[range.lowerBound + i] != k[i] { return false }
        return true
    }

    /// The rest of the line (without the comment part and trailing white space), decoded as text.
    /// Non-UTF-8 bytes (Latin-1 file names) are replaced, consistently for OBJ and MTL.
    mutating func readRestOfLine(keepComments: Bool = false) -> String {
        skipSpaces()
        let start = position
        while position < bytes.count {
            let c = bytes[position]
            if c == 10 || c == 13 || (!keepComments && c == 35) { break }
            position += 1
        }
        var end = position
        while end > start, bytes[end - 1] == 32 || bytes[end - 1] == 9 { end -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    /// Parses a decimal integer with optional sign; nil when no digits.
    @inline(__always) mutating func readInt() -> Int? {
        var negative = false
        if current == 45 {  // -
            negative = true
            position += 1
        } else if current == 43 {  // +
            position += 1
        }
        var value = 0
        var digits = 0
        while position < bytes.count {
            let d = Int(bytes[position]) &- 48
            guard d >= 0, d <= 9 else { break }
            if value < Int(Int32.max) { value = value &* 10 &+ d }  // saturates far beyond any index
            digits += 1
            position += 1
        }
        guard digits > 0 else { return nil }
        return negative ? -value : value
    }

    /// Parses a decimal floating-point number (`-1.5`, `.5`, `3.`, `1e-5`); nil when malformed.
    @inline(__always) mutating func readFloat() -> Float? {
        skipSpaces()
        var negative = false
        if current == 45 {
            negative = true
            position += 1
        } else if current == 43 {
            position += 1
        }
        var mantissa: UInt64 = 0
        var exponent = 0
        var digits = 0
        while position < bytes.count {
            let d = UInt64(bytes[position]) &- 48
            guard d <= 9 else { break }
            if mantissa < ByteScanner.mantissaLimit { mantissa = mantissa &* 10 &+ d } else { exponent += 1 }
            digits += 1
            position += 1
        }
        if current == 46 {  // .
            position += 1
            while position < bytes.count {
                let d = UInt64(bytes[position]) &- 48
                guard d <= 9 else { break }
                if mantissa < ByteScanner.mantissaLimit {
                    mantissa = mantissa &* 10 &+ d
                    exponent -= 1
                }
                digits += 1
                position += 1
            }
        }
        guard digits > 0 else { return nil }
        if current == 101 || current == 69 {  // e E
            position += 1
            guard let e = readInt() else { return nil }
            exponent += max(-400, min(400, e))
        }
        var value = Double(mantissa)
        if exponent != 0 {
            value = exponent > 0 ? value * ByteScanner.power10(exponent) : value / ByteScanner.power10(-exponent)
        }
        return Float(negative ? -value : value)
    }

    /// Digits beyond 17 significant ones cannot change a Float; they only shift the exponent.
    private static let mantissaLimit: UInt64 = 100_000_000_000_000_000

    /// 10^e for e ≥ 0 (exact up to 10^22, then by repeated multiplication; ∞ beyond Double's range).
    private static func power10(_ e: Int) -> Double {
        let table: [Double] = [
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
            1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
        ]
        if e < table.count { return table[e] }
        var result = 1e22
        var remaining = e - 22
        while remaining > 0, result.isFinite {
            let step = min(remaining, 22)
            result *= table[step]
            remaining -= step
        }
        return result
    }
}
