import Foundation
import ImageCodec
import Testing

/// Decoded pixels against Pillow's (after `ImageOps.exif_transpose`), per fixture file.
@Suite struct DecoderTests {
    static let cases = (try? Fixtures.load().manifest.decode) ?? []

    @Test(arguments: cases.map(\.file))
    func decodesLikePillow(file: String) throws {
        let fixtures = try Fixtures.load()
        let expected = try #require(fixtures.manifest.decode.first { $0.file == file })
        let image = try ImageDecoder.decode(fixtures.data(file))
        #expect(image.width == expected.width)
        #expect(image.height == expected.height)
        #expect(image.channels == expected.channels)
        let difference = maxDifference(image.pixels, fixtures.bytes(expected.pixels))
        #expect(
            difference <= expected.tolerance, "max |Δ| = \(difference) for \(file) (Pillow mode \(expected.pilMode))")
    }

    @Test func fixturesArePresent() throws {
        #expect(Self.cases.count >= 30)
    }
}
