import Foundation
import ImageCodec
import Testing

@testable import Providers

/// The data URIs sent for images.
@Suite struct ImagePayloadTests {
    static func decode(_ uri: String) throws -> Image {
        let payload = try #require(Data(base64Encoded: String(uri.dropFirst(ImagePayload.prefix.count))))
        return try ImageDecoder.decode(payload)
    }

    @Test func smallImagesAreSentAsLosslessPNG() throws {
        let image = TestImages.gradient(width: 40, height: 30, seed: 3)
        let uri = try ImagePayload.dataURI(for: image, limits: .init(maxBytes: 1 << 20, maxPixels: 1 << 20))
        #expect(uri.hasPrefix("data:image/png;base64,"))
        #expect(try Self.decode(uri) == image)
    }

    @Test func transparentPixelsBecomeWhite() throws {
        // Left pixel: opaque red; right pixel: fully transparent (stored black).
        let image = Image(width: 2, height: 1, channels: 4, pixels: [255, 0, 0, 255, 0, 0, 0, 0])
        let decoded = try Self.decode(
            try ImagePayload.dataURI(for: image, limits: .init(maxBytes: 1 << 20, maxPixels: 100)))
        #expect(decoded.channels == 3)
        #expect(decoded.pixels == [255, 0, 0, 255, 255, 255])
    }

    @Test func imagesShrinkUntilTheyFitAndImpossibleLimitsAreReported() throws {
        let noise = TestImages.noise(width: 300, height: 200)
        let uri = try ImagePayload.dataURI(for: noise, limits: .init(maxBytes: 40_000, maxPixels: 1 << 20))
        #expect(uri.utf8.count <= 40_000)
        let shrunk = try Self.decode(uri)
        #expect(shrunk.width < 300 && shrunk.height < 200)
        // Aspect ratio kept (3:2) within a pixel.
        #expect(abs(Double(shrunk.width) / Double(shrunk.height) - 1.5) < 0.05)
        do throws(ProviderError) {
            _ = try ImagePayload.dataURI(for: noise, limits: .init(maxBytes: 100, maxPixels: 1 << 20))
            Issue.record("a 100-byte limit was met")
        } catch {
            #expect(error.code == .imageEncoding)
        }
    }
}
