import Foundation

/// A parsed Java `.properties` file (the format of Sweet Home 3D's furniture catalogs).
///
/// Follows `java.util.Properties.load`: `#`/`!` comments, `=`/`:`/whitespace separators, backslash
/// line continuations (leading blanks of the next line dropped), `\t \n \r \f \uXXXX` escapes and
/// `\x` → `x` for anything else. Bytes are decoded as UTF-8 when valid and as ISO-8859-1 otherwise,
/// as Java 9+ resource bundles do.
public struct JavaProperties: Sendable, Equatable {
    /// Key/value pairs; a key repeated later in the file overrides the earlier one.
    public private(set) var values: [String: String]

    public init(values: [String: String] = [:]) { self.values = values }

    /// Parses raw file bytes.
    public init(data: Data) throws(CatalogError) {
        let text: String
        if let utf8 = String(data: data, encoding: .utf8) {
            text = utf8
        } else if let latin1 = String(data: data, encoding: .isoLatin1) {
            text = latin1
        } else {
            throw CatalogError(.malformedProperties, "properties file is neither UTF-8 nor ISO-8859-1")
        }
        try self.init(text: text)
    }

    /// Parses already decoded text.
    public init(text: String) throws(CatalogError) {
        var values: [String: String] = [:]
        for line in Self.logicalLines(of: text) {
            let (key, value) = try Self.split(line)
            values[key] = value
        }
        self.values = values
    }

    /// The value for `key`, or nil.
    public subscript(key: String) -> String? { values[key] }

    // MARK: - Parsing

    private static func isBlank(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\u{0C}" }

    /// Joins continuation lines and drops comments and blank lines; returns raw (still escaped) lines.
    static func logicalLines(of text: String) -> [Substring] {
        var result: [Substring] = []
        var pending = ""
        var continuing = false
        // Split on \n, \r\n and \r alike.
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for rawLine in normalized.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.drop(while: isBlank)
            if !continuing {
                if line.isEmpty || line.first == "#" || line.first == "!" { continue }
            }
            // A line continues when it ends in an odd number of backslashes.
            let trailingBackslashes = line.reversed().prefix(while: { $0 == "\\" }).count
            if trailingBackslashes % 2 == 1 {
                pending += line.dropLast()
                continuing = true
            } else {
                pending += line
                result.append(Substring(pending))
                pending = ""
                continuing = false
            }
        }
        if continuing && !pending.isEmpty { result.append(Substring(pending)) }
        return result
    }

    /// Splits a logical line into an unescaped key and value.
    static func split(_ line: Substring) throws(CatalogError) -> (String, String) {
        var index = line.startIndex
        var keyEnd = line.endIndex
        var escaped = false
        while index < line.endIndex {
            let c = line[index]
            if escaped {
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == "=" || c == ":" || isBlank(c) {
                keyEnd = index
                break
            }
            index = line.index(after: index)
        }
        let rawKey = line[line.startIndex..<keyEnd]
        var valueStart = keyEnd
        // Skip blanks, at most one separator, then blanks again.
        while valueStart < line.endIndex, isBlank(line[valueStart]) { valueStart = line.index(after: valueStart) }
        if valueStart < line.endIndex, line[valueStart] == "=" || line[valueStart] == ":" {
            valueStart = line.index(after: valueStart)
        }
        while valueStart < line.endIndex, isBlank(line[valueStart]) { valueStart = line.index(after: valueStart) }
        return (try unescape(rawKey), try unescape(line[valueStart...]))
    }

    /// Resolves backslash escapes, including `\uXXXX` (surrogate pairs are joined).
    static func unescape(_ raw: Substring) throws(CatalogError) -> String {
        guard raw.contains("\\") else { return String(raw) }
        var utf16: [UInt16] = []
        utf16.reserveCapacity(raw.utf16.count)
        var iterator = raw.makeIterator()
        while let c = iterator.next() {
            guard c == "\\" else {
                utf16.append(contentsOf: c.utf16)
                continue
            }
            guard let next = iterator.next() else { break }  // a lone trailing backslash is dropped, as Java does
            switch next {
            case "t": utf16.append(0x09)
            case "n": utf16.append(0x0A)
            case "r": utf16.append(0x0D)
            case "f": utf16.append(0x0C)
            case "u":
                var code: UInt16 = 0
                for _ in 0..<4 {
                    guard let h = iterator.next(), let digit = h.hexDigitValue else {
                        throw CatalogError(.malformedProperties, "malformed \\uXXXX escape in \"\(raw.prefix(60))\"")
                    }
                    code = code << 4 | UInt16(digit)
                }
                utf16.append(code)
            default: utf16.append(contentsOf: next.utf16)
            }
        }
        return String(decoding: utf16, as: UTF16.self)
    }
}
