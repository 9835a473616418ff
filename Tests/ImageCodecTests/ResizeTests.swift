import Foundation
import ImageCodec
import Testing

/// `Image.resized` against `PIL.Image.resize`, bit for bit, for every filter, up and down, on grey,
/// grey+alpha, RGB and RGBA sources.
@Suite struct ResizeTests {
    static let cases = (try? Fixtures.load().manifest.resize) ?? []

    static var labels: [String] {
        cases.indices.map { i in
            let c = cases[i]
            return "\(i): \(c.source) → \(c.width)×\(c.height) filter \(c.filter)"
        }
    }

    @Test(arguments: labels)
    func matchesPillow(label: String) throws {
        let fixtures = try Fixtures.load()
        let index = try #require(Int(label.prefix { $0 != ":" }))
        let expected = fixtures.manifest.resize[index]
        let source = try ImageDecoder.decode(fixtures.data(expected.source))
        let filter = try #require(ResamplingFilter(rawValue: expected.filter))
        let result = try source.resized(width: expected.width, height: expected.height, filter: filter)
        #expect(result.width == expected.width && result.height == expected.height)
        #expect(result.channels == source.channels)
        let difference = maxDifference(result.pixels, fixtures.bytes(expected.pixels))
        #expect(difference == 0, "max |Δ| = \(difference) (\(expected.mode))")
    }

    @Test func sameSizeIsACopyAndBadSizesThrow() throws {
        let image = Image(width: 3, height: 2, filledWith: [9, 8, 7])
        #expect(try image.resized(width: 3, height: 2, filter: .bicubic) == image)
        #expect(throws: ImageCodecError.self) { try image.resized(width: 0, height: 2, filter: .bilinear) }
        #expect(throws: ImageCodecError.self) { try image.resized(width: 2, height: -1, filter: .nearest) }
    }

    @Test func fixturesCoverEveryFilter() {
        #expect(Set(Self.cases.map(\.filter)) == Set(ResamplingFilter.allCases.map(\.rawValue)))
        #expect(Self.cases.count >= 60)
    }
}
