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

/// EXIF/XMP orientation parsing and the eight transforms.
@Suite struct OrientationTests {
    @Test func everyOrientationChangesTheStoredPixelsAsPillowDoes() throws {
        let fixtures = try Fixtures.load()
        let upright = try ImageDecoder.decode(fixtures.data("images/exif_1.jpg"))
        for value in 2...8 {
            let data = try fixtures.data("images/exif_\(value).jpg")
            let stored = try ImageDecoder.decode(data, applyOrientation: false)
            let turned = try ImageDecoder.decode(data)
            let orientation = try #require(Orientation(rawValue: value))
            #expect(stored.oriented(orientation) == turned)
            #expect(turned != stored || value == 1)
            // Orientations 5…8 swap the axes.
            #expect(
                (turned.width, turned.height)
                    == (value >= 5 ? (upright.height, upright.width) : (upright.width, upright.height)))
        }
        let xmp = try fixtures.data("images/xmp_orientation.jpg")
        #expect(try ImageDecoder.decode(xmp) == ImageDecoder.decode(xmp, applyOrientation: false).oriented(.down))
    }

    @Test func transformsComposeAsExpected() {
        let image = Image(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])
        #expect(image.oriented(.upMirrored).pixels == [3, 2, 1, 6, 5, 4])
        #expect(image.oriented(.down).pixels == [6, 5, 4, 3, 2, 1])
        #expect(image.oriented(.downMirrored).pixels == [4, 5, 6, 1, 2, 3])
        #expect(image.oriented(.leftMirrored).pixels == [1, 4, 2, 5, 3, 6])  // transpose
        #expect(image.oriented(.right).pixels == [4, 1, 5, 2, 6, 3])  // 90° clockwise
        #expect(image.oriented(.rightMirrored).pixels == [6, 3, 5, 2, 4, 1])  // transverse
        #expect(image.oriented(.left).pixels == [3, 6, 2, 5, 1, 4])  // 90° counter-clockwise
        #expect(image.oriented(.right).oriented(.left) == image)
    }

    @Test func bigEndianAndDamagedEXIF() throws {
        // "MM", 42, IFD at 8, one entry: tag 0x0112, SHORT, count 1, value 6.
        let bigEndian: [UInt8] = [0x4D, 0x4D, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]
        let jpeg = try JPEGEncoder.encode(Image(width: 4, height: 2, filledWith: [200, 10, 10]))
        // Insert an APP1 "Exif" segment right after SOI.
        let payload = Array("Exif".utf8) + [0, 0] + bigEndian
        let segment: [UInt8] =
            [0xFF, 0xE1, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        let tagged = Array(jpeg.prefix(2)) + segment + Array(jpeg.dropFirst(2))
        let image = try ImageDecoder.decode(tagged)
        #expect((image.width, image.height) == (2, 4))
        // A truncated IFD is ignored, not an error.
        let damaged = Array("Exif".utf8) + [0, 0] + Array(bigEndian.prefix(12))
        let damagedSegment: [UInt8] = [0xFF, 0xE1, 0, UInt8(damaged.count + 2)] + damaged
        let plain = try ImageDecoder.decode(Array(jpeg.prefix(2)) + damagedSegment + Array(jpeg.dropFirst(2)))
        #expect((plain.width, plain.height) == (4, 2))
    }
}
