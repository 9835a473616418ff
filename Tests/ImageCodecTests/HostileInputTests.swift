import Foundation
import ImageCodec
import Testing

/// Damaged, empty, mislabelled and oversized inputs: each must give a typed error with a clear
/// message, never a crash or a huge allocation.
@Suite struct HostileInputTests {
    static let cases = (try? Fixtures.load().manifest.hostile) ?? []

    @Test(arguments: cases.map(\.file))
    func failsWithTypedError(file: String) throws {
        let fixtures = try Fixtures.load()
        let expected = try #require(fixtures.manifest.hostile.first { $0.file == file })
        let data = try fixtures.data(file)
        do {
            let image = try ImageDecoder.decode(data)
            Issue.record("\(file) decoded to a \(image.width)×\(image.height) image instead of failing")
        } catch let error as ImageCodecError {
            #expect(kind(of: error) == expected.error, "\(file): \(error)")
            #expect(!error.description.isEmpty)
        }
    }

    @Test func messagesNameTheProblem() throws {
        let fixtures = try Fixtures.load()
        func message(_ file: String) throws -> String {
            do {
                _ = try ImageDecoder.decode(fixtures.data(file))
                return ""
            } catch {
                return String(describing: error)
            }
        }
        #expect(try message("images/empty.png") == "the image data is empty (0 bytes)")
        #expect(try message("images/text.png").contains("looks like text"))
        #expect(try message("images/huge.png").contains("60000×60000"))
        #expect(try message("images/truncated.jpg").contains("truncated"))
    }

    @Test func limitIsConfigurable() throws {
        let fixtures = try Fixtures.load()
        let data = try fixtures.data("images/rgb.png")  // 37×23 = 851 pixels
        #expect(throws: ImageCodecError.tooLarge(width: 37, height: 23, limit: 850)) {
            try ImageDecoder.decode(data, limits: DecodeLimits(maxPixels: 850))
        }
        #expect(try ImageDecoder.decode(data, limits: DecodeLimits(maxPixels: 851)).width == 37)
    }

    @Test func everyPrefixOfEveryFormatFailsCleanly() throws {
        // Truncation at every length of a few small files: typed errors or (for lengths that
        // still hold the whole image) a correct decode, never a crash.
        let fixtures = try Fixtures.load()
        for file in ["images/grey_trns.png", "images/exif_3.jpg", "images/lossless_alpha.webp"] {
            let data = try fixtures.data(file)
            let full = try ImageDecoder.decode(data)
            for length in stride(from: 0, to: data.count, by: max(1, data.count / 97)) {
                do {
                    let image = try ImageDecoder.decode(data.prefix(length))
                    #expect(image.width == full.width && image.height == full.height)
                } catch is ImageCodecError {
                    // expected
                }
            }
        }
    }

    @Test func randomBytesAfterEachSignatureFail() throws {
        var generator = SplitMix64(seed: 7)
        let signatures: [[UInt8]] = [
            [0xFF, 0xD8, 0xFF], [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
            Array("RIFF".utf8) + [0x40, 0, 0, 0] + Array("WEBPVP8 ".utf8),
        ]
        for signature in signatures {
            for _ in 0..<50 {
                let tail = (0..<Int(generator.next() % 300)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                #expect(throws: ImageCodecError.self) { try ImageDecoder.decode(signature + tail) }
            }
        }
    }

    private func kind(of error: ImageCodecError) -> String {
        switch error {
        case .empty: return "empty"
        case .unrecognizedFormat: return "unrecognizedFormat"
        case .truncated: return "truncated"
        case .corrupt: return "corrupt"
        case .unsupported: return "unsupported"
        case .tooLarge: return "tooLarge"
        case .encodingFailed: return "encodingFailed"
        case .invalidArgument: return "invalidArgument"
        case .unreadableFile: return "unreadableFile"
        case .invalidConfiguration: return "invalidConfiguration"
        }
    }
}

/// A small deterministic generator for test data.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Headers that announce more pixels than the data could ever hold.
@Suite struct LyingHeaderTests {
    @Test func pngWithTooLittleDataIsRejectedBeforeAllocation() throws {
        // 9000×9000 RGB (81 Mpx, under the default limit) with 30 bytes of image data.
        var png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            let length = UInt32(data.count)
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in body {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
            }
            crc ^= 0xFFFF_FFFF
            return withUnsafeBytes(of: length.bigEndian, Array.init) + body
                + withUnsafeBytes(of: crc.bigEndian, Array.init)
        }
        let side = withUnsafeBytes(of: UInt32(9000).bigEndian, Array.init)
        png += chunk("IHDR", side + side + [8, 2, 0, 0, 0])
        png += chunk("IDAT", [UInt8](repeating: 0x55, count: 30))
        png += chunk("IEND", [])
        #expect(throws: ImageCodecError.self) { try ImageDecoder.decode(png) }
        do {
            _ = try ImageDecoder.decode(png)
        } catch {
            #expect(String(describing: error).contains("cannot hold 9000×9000"))
        }
    }
}
