/// Reads the protocol-buffer wire format, just enough for SentencePiece's `ModelProto`: varints,
/// 32-bit floats and length-delimited fields; other fields are skipped. Every read is bounds
/// checked, so a damaged file is a typed error, never a crash.
struct ProtobufReader {
    /// Wire types of the protobuf encoding.
    enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, startGroup = 3, endGroup = 4, fixed32 = 5
    }

    private let bytes: [UInt8]
    private var position: Int
    private let end: Int

    init(_ bytes: [UInt8]) {
        self.init(bytes, range: 0..<bytes.count)
    }

    private init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        self.position = range.lowerBound
        self.end = range.upperBound
    }

    var isAtEnd: Bool { position >= end }

    /// The next field's number and wire type.
    mutating func nextField() throws -> (number: Int, type: WireType) {
        let tag = try varint()
        guard let type = WireType(rawValue: tag & 7), tag >> 3 > 0, tag >> 3 < (1 << 29) else {
            throw Self.corrupt("field tag \(tag)")
        }
        return (Int(tag >> 3), type)
    }

    mutating func varint() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end, shift < 64 else { throw Self.corrupt("varint") }
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
    }

    mutating func float() throws -> Float {
        guard end - position >= 4 else { throw Self.corrupt("float") }
        var bits: UInt32 = 0
        for k in 0..<4 { bits |= UInt32(bytes[position + k]) << (8 * UInt32(k)) }
        position += 4
        return Float(bitPattern: bits)
    }

    /// The bytes of a length-delimited field.
    mutating func lengthDelimited() throws -> ArraySlice<UInt8> {
        let length = try varint()
        guard length <= UInt64(end - position) else { throw Self.corrupt("length \(length)") }
        let slice = bytes[position..<(position + Int(length))]
        position += Int(length)
        return slice
    }

    /// A reader over a nested message.
    mutating func message() throws -> ProtobufReader {
        let slice = try lengthDelimited()
        return ProtobufReader(bytes, range: slice.startIndex..<slice.endIndex)
    }

    mutating func string() throws -> String {
        String(decoding: try lengthDelimited(), as: UTF8.self)
    }

    /// Skips a field of `type`.
    mutating func skip(_ type: WireType) throws {
        switch type {
        case .varint: _ = try varint()
        case .fixed64:
            guard end - position >= 8 else { throw Self.corrupt("fixed64") }
            position += 8
        case .fixed32:
            guard end - position >= 4 else { throw Self.corrupt("fixed32") }
            position += 4
        case .lengthDelimited: _ = try lengthDelimited()
        case .startGroup, .endGroup: throw Self.corrupt("groups are not used by SentencePiece")
        }
    }

    private static func corrupt(_ what: String) -> TokenizerError {
        .invalidFile("spiece.model is not a valid SentencePiece model (bad \(what))")
    }
}
