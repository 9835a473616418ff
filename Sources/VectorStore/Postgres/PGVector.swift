import NIOCore
import PostgresNIO

/// pgvector's binary wire format, written by us (no global type registry): a `vector` is
/// `int16 dim, int16 unused (0), dim × float32`, a `halfvec` is `int16 dim, int16 unused (0), dim × float16`,
/// all big-endian. Used for query parameters and for binary `COPY`.
///
/// pgvector's type OIDs differ per database, so parameters are sent with the unspecified type (OID 0) and
/// every SQL use casts them (`$1::vector(768)`), which lets the server pick the type and read our bytes with
/// its binary input function.
struct PGVector: Sendable, Hashable {
    /// Which pgvector type the bytes are for.
    enum Format: String, Sendable {
        /// `vector`: 4-byte floats, up to 2,000 dimensions indexable by HNSW.
        case vector
        /// `halfvec`: 2-byte floats, up to 4,000 dimensions indexable by HNSW.
        case halfvec

        /// Bytes per component.
        var componentWidth: Int { self == .vector ? 4 : 2 }
    }

    var components: [Float]
    var format: Format

    init(_ components: [Float], format: Format = .vector) {
        self.components = components
        self.format = format
    }

    /// Size of the encoded value in bytes (without a length prefix).
    var encodedByteCount: Int { 4 + components.count * format.componentWidth }

    /// Appends the binary representation (without a length prefix).
    func write(into buffer: inout ByteBuffer) {
        buffer.writeInteger(Int16(truncatingIfNeeded: components.count), endianness: .big)
        buffer.writeInteger(Int16(0), endianness: .big)
        // One bulk write per vector: per-component writes dominate a large COPY otherwise.
        switch format {
        case .vector:
            let words = components.map { $0.bitPattern.bigEndian }
            words.withUnsafeBytes { _ = buffer.writeBytes($0) }
        case .halfvec:
            let words = components.map { Float16($0).bitPattern.bigEndian }
            words.withUnsafeBytes { _ = buffer.writeBytes($0) }
        }
    }

    /// Reads a value of `format` spanning the whole buffer.
    static func read(from buffer: inout ByteBuffer, format: Format) throws -> PGVector {
        guard let dimension = buffer.readInteger(endianness: .big, as: Int16.self),
            let unused = buffer.readInteger(endianness: .big, as: Int16.self), dimension >= 0, unused == 0,
            buffer.readableBytes == Int(dimension) * format.componentWidth
        else { throw PostgresDecodingError.Code.failure }
        var components: [Float] = []
        components.reserveCapacity(Int(dimension))
        for _ in 0..<Int(dimension) {
            switch format {
            case .vector:
                guard let bits = buffer.readInteger(endianness: .big, as: UInt32.self) else {
                    throw PostgresDecodingError.Code.failure
                }
                components.append(Float(bitPattern: bits))
            case .halfvec:
                guard let bits = buffer.readInteger(endianness: .big, as: UInt16.self) else {
                    throw PostgresDecodingError.Code.failure
                }
                components.append(Float(Float16(bitPattern: bits)))
            }
        }
        return PGVector(components, format: format)
    }
}

extension PGVector: PostgresThrowingDynamicTypeEncodable {
    /// Unspecified: the SQL text casts the parameter to `vector(d)` or `halfvec(d)`.
    var psqlType: PostgresDataType { .null }
    var psqlFormat: PostgresFormat { .binary }

    func encode<JSONEncoder: PostgresJSONEncoder>(
        into byteBuffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
    ) throws {
        guard components.count <= Int(Int16.max) else {
            throw StoreError.invalidArgument("a vector has \(components.count) components; pgvector allows 16,000")
        }
        write(into: &byteBuffer)
    }
}

/// Decodes a `vector` column (cast `halfvec` columns to `vector` in the query).
extension PGVector: PostgresDecodable {
    init<JSONDecoder: PostgresJSONDecoder>(
        from buffer: inout ByteBuffer, type: PostgresDataType, format: PostgresFormat,
        context: PostgresDecodingContext<JSONDecoder>
    ) throws {
        guard format == .binary else { throw PostgresDecodingError.Code.typeMismatch }
        self = try PGVector.read(from: &buffer, format: .vector)
    }
}

/// Builds the body of a `COPY … FROM STDIN WITH (FORMAT binary)`: signature, header, tuples, trailer.
struct BinaryCopyWriter {
    private(set) var buffer: ByteBuffer

    init(allocator: ByteBufferAllocator = ByteBufferAllocator(), capacity: Int = 1 << 20) {
        buffer = allocator.buffer(capacity: capacity)
        buffer.writeBytes(Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00])  // 11-byte signature
        buffer.writeInteger(Int32(0), endianness: .big)  // flags: no OIDs
        buffer.writeInteger(Int32(0), endianness: .big)  // header extension length
    }

    /// Starts a tuple of `fieldCount` fields.
    mutating func beginTuple(fieldCount: Int16) {
        buffer.writeInteger(fieldCount, endianness: .big)
    }

    mutating func write(text: String) {
        let bytes = Array(text.utf8)
        buffer.writeInteger(Int32(bytes.count), endianness: .big)
        buffer.writeBytes(bytes)
    }

    mutating func write(int16: Int16) {
        buffer.writeInteger(Int32(2), endianness: .big)
        buffer.writeInteger(int16, endianness: .big)
    }

    mutating func write(vector: PGVector) {
        buffer.writeInteger(Int32(vector.encodedByteCount), endianness: .big)
        vector.write(into: &buffer)
    }

    /// Appends the end-of-data marker.
    mutating func finish() {
        buffer.writeInteger(Int16(-1), endianness: .big)
    }

    /// Hands out what was written so far and starts an empty buffer (for streaming large copies).
    mutating func takeChunk() -> ByteBuffer {
        let chunk = buffer
        buffer = ByteBufferAllocator().buffer(capacity: chunk.capacity)
        return chunk
    }
}
