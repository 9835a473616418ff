import Foundation
import NIOCore
import Testing
@testable import VectorStore

@Suite("pgvector wire format")
struct PGVectorTests {
    @Test("vector: int16 dimension, int16 zero, big-endian float32 components")
    func vectorBytes() throws {
        var buffer = ByteBuffer()
        PGVector([1, -2, 0.5]).write(into: &buffer)
        #expect(Array(buffer.readableBytesView) == [
            0x00, 0x03, 0x00, 0x00,
            0x3F, 0x80, 0x00, 0x00,  // 1
            0xC0, 0x00, 0x00, 0x00,  // -2
            0x3F, 0x00, 0x00, 0x00,  // 0.5
        ])
        let decoded = try PGVector.read(from: &buffer, format: .vector)
        #expect(decoded.components == [1, -2, 0.5])
    }

    @Test("halfvec: int16 dimension, int16 zero, big-endian float16 components")
    func halfvecBytes() throws {
        var buffer = ByteBuffer()
        PGVector([1, -2, 0.5], format: .halfvec).write(into: &buffer)
        #expect(Array(buffer.readableBytesView) == [0x00, 0x03, 0x00, 0x00, 0x3C, 0x00, 0xC0, 0x00, 0x38, 0x00])
        #expect(try PGVector.read(from: &buffer, format: .halfvec).components == [1, -2, 0.5])
    }

    @Test("Malformed values are refused: wrong length, non-zero padding")
    func malformed() {
        var short = ByteBuffer(bytes: [0x00, 0x02, 0x00, 0x00, 0x3F, 0x80, 0x00, 0x00])
        #expect(throws: (any Error).self) { try PGVector.read(from: &short, format: .vector) }
        var padded = ByteBuffer(bytes: [0x00, 0x01, 0x00, 0x01, 0x3F, 0x80, 0x00, 0x00])
        #expect(throws: (any Error).self) { try PGVector.read(from: &padded, format: .vector) }
    }

    @Test("Binary COPY stream: signature, header, tuples with length-prefixed fields, trailer")
    func copyStream() {
        var copy = BinaryCopyWriter(capacity: 64)
        copy.beginTuple(fieldCount: 3)
        copy.write(text: "a1")
        copy.write(int16: 3)
        copy.write(vector: PGVector([1]))
        copy.finish()
        let bytes = Array(copy.takeChunk().readableBytesView)
        let expected: [UInt8] =
            Array("PGCOPY\n".utf8) + [0xFF, 0x0D, 0x0A, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]  // signature, flags, ext
            + [0x00, 0x03]  // 3 fields
            + [0, 0, 0, 2] + Array("a1".utf8)
            + [0, 0, 0, 2, 0x00, 0x03]
            + [0, 0, 0, 8, 0x00, 0x01, 0x00, 0x00, 0x3F, 0x80, 0x00, 0x00]
            + [0xFF, 0xFF]  // trailer
        #expect(bytes == expected)
    }
}
