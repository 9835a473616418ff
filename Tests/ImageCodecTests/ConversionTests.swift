import Foundation
import ImageCodec
import Testing

/// Channel conversions against transformers' `convert_to_rgb`, Pillow's `convert` and `alpha_composite`.
@Suite struct ConversionTests {
    static let cases = (try? Fixtures.load().manifest.convert) ?? []

    @Test(arguments: cases.map(\.image))
    func matchesTransformersAndPillow(image file: String) throws {
        let fixtures = try Fixtures.load()
        let expected = try #require(fixtures.manifest.convert.first { $0.image == file })
        let image = try ImageDecoder.decode(fixtures.data(file))
        let discarded = image.convertedToRGB(alpha: .discard)
        #expect(discarded.channels == 3)
        #expect(maxDifference(discarded.pixels, fixtures.bytes(expected.rgb)) == 0, "convert_to_rgb, \(file)")
        let composited = image.convertedToRGB(alpha: .compositeOnWhite)
        #expect(maxDifference(composited.pixels, fixtures.bytes(expected.overWhite)) == 0, "alpha_composite, \(file)")
    }

    @Test func greyAndAlphaLayouts() {
        let la = Image(width: 2, height: 1, channels: 2, pixels: [10, 255, 200, 0])
        #expect(la.convertedToRGBA().pixels == [10, 10, 10, 255, 200, 200, 200, 0])
        #expect(la.convertedToRGB(alpha: .discard).pixels == [10, 10, 10, 200, 200, 200])
        #expect(la.convertedToRGB(alpha: .compositeOnWhite).pixels == [10, 10, 10, 255, 255, 255])
        let rgb = Image(width: 1, height: 1, channels: 3, pixels: [255, 128, 0])
        #expect(rgb.convertedToRGBA().pixels == [255, 128, 0, 255])
        // Pillow: L = (255·19595 + 128·38470 + 0·7471 + 32768) >> 16 = 151
        #expect(rgb.convertedToGrey().pixels == [151])
        #expect(rgb.convertedToRGB(alpha: .compositeOnWhite) == rgb)
    }
}

/// Encoders: PNG round-trips exactly, JPEG within its quantisation error.
@Suite struct EncoderTests {
    @Test(arguments: [1, 2, 3, 4])
    func pngRoundTrips(channels: Int) throws {
        var generator = SplitMix64(seed: UInt64(channels))
        let pixels = (0..<(31 * 17 * channels)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let image = Image(width: 31, height: 17, channels: channels, pixels: pixels)
        let data = try PNGEncoder.encode(image)
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(try ImageDecoder.decode(data) == image)
    }

    @Test func pngGrowsItsBufferForIncompressibleData() throws {
        var generator = SplitMix64(seed: 99)
        let pixels = (0..<(300 * 200 * 4)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let image = Image(width: 300, height: 200, channels: 4, pixels: pixels)
        let data = try PNGEncoder.encode(image)
        #expect(data.count > pixels.count / 2)
        #expect(try ImageDecoder.decode(data) == image)
    }

    @Test func jpegRoundTripsWithinQuantisationError() throws {
        let fixtures = try Fixtures.load()
        let image = try ImageDecoder.decode(fixtures.data("images/photo.jpg"))
        for (quality, bound) in [(95, 3.0), (60, 8.0)] {
            let data = try JPEGEncoder.encode(image, quality: quality, chroma: .none)
            let back = try ImageDecoder.decode(data)
            #expect(back.width == image.width && back.height == image.height && back.channels == 3)
            let meanError =
                zip(back.pixels, image.pixels).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) }
                / Double(image.pixels.count)
            #expect(meanError < bound, "mean |Δ| \(meanError) at quality \(quality)")
        }
        let small = try JPEGEncoder.encode(image, quality: 20)
        let large = try JPEGEncoder.encode(image, quality: 95)
        #expect(small.count < large.count)
    }

    @Test func jpegWritesGreyAndFlattensAlpha() throws {
        let grey = Image(width: 8, height: 8, filledWith: [77])
        let decodedGrey = try ImageDecoder.decode(JPEGEncoder.encode(grey))
        #expect(decodedGrey.channels == 1)
        #expect(decodedGrey.pixels.allSatisfy { abs(Int($0) - 77) <= 1 })
        let transparent = Image(width: 8, height: 8, filledWith: [0, 0, 0, 0])
        let decoded = try ImageDecoder.decode(JPEGEncoder.encode(transparent))
        #expect(decoded.pixels.allSatisfy { $0 >= 254 })  // white
    }

    @Test func encodersRejectBadArguments() {
        let image = Image(width: 2, height: 2, filledWith: [1, 2, 3])
        #expect(throws: ImageCodecError.self) { try JPEGEncoder.encode(image, quality: 0) }
        #expect(throws: ImageCodecError.self) {
            try PNGEncoder.encode(Image(width: 0, height: 3, channels: 3, pixels: []))
        }
    }
}
