import Foundation
import ImageCodec

/// Turns an image into the `data:image/png;base64,…` URI the services accept, within a model's
/// limits: alpha is composited on white, images above the pixel budget are downscaled (aspect
/// kept, antialiased bilinear), and if the encoded URI is still larger than the byte limit the
/// image is shrunk further and re-encoded until it fits.
enum ImagePayload {
    struct Limits: Sendable {
        /// Largest data URI, in bytes (the base64 text, which is what travels).
        var maxBytes: Int
        /// Largest pixel count before encoding.
        var maxPixels: Int
        /// Never shrink below this side length; an image that does not fit then is an error.
        var minSide = 32
    }

    static let prefix = "data:image/png;base64,"

    static func dataURI(for image: Image, limits: Limits) throws(ProviderError) -> String {
        guard image.width > 0, image.height > 0 else {
            throw ProviderError(.imageEncoding, "image has no pixels")
        }
        // Transparent backgrounds become white, as asset views are shown; the services would
        // otherwise see whatever colour the transparent pixels happen to store.
        var current = image.hasAlpha ? image.convertedToRGB(alpha: .compositeOnWhite) : image
        let pixels = image.width * image.height
        if pixels > limits.maxPixels {
            let scale = (Double(limits.maxPixels) / Double(pixels)).squareRoot()
            current = try resized(current, scale: scale, minSide: limits.minSide)
        }
        while true {
            let uri = prefix + (try encodePNG(current)).base64EncodedString()
            if uri.utf8.count <= limits.maxBytes { return uri }
            // PNG size grows roughly with area: aim a little below the limit.
            let scale = min(0.9, (Double(limits.maxBytes) / Double(uri.utf8.count)).squareRoot() * 0.95)
            if min(current.width, current.height) <= limits.minSide {
                throw ProviderError(
                    .imageEncoding,
                    "image \(image.width)×\(image.height) does not fit in \(limits.maxBytes) bytes "
                        + "even at \(current.width)×\(current.height)"
                )
            }
            current = try resized(current, scale: scale, minSide: limits.minSide)
        }
    }

    private static func resized(_ image: Image, scale: Double, minSide: Int) throws(ProviderError) -> Image {
        let shortSide = Double(min(image.width, image.height))
        let factor = max(scale, Double(minSide) / shortSide)
        let width = max(1, Int((Double(image.width) * factor).rounded()))
        let height = max(1, Int((Double(image.height) * factor).rounded()))
        do {
            return try image.resized(width: width, height: height, filter: .bilinear)
        } catch {
            throw ProviderError(.imageEncoding, "could not resize the image: \(error)")
        }
    }

    private static func encodePNG(_ image: Image) throws(ProviderError) -> Data {
        do {
            return try PNGEncoder.encode(image)
        } catch {
            throw ProviderError(.imageEncoding, "could not encode the image as PNG: \(error)")
        }
    }
}
