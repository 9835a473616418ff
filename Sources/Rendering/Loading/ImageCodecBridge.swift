import Foundation
import ImageCodec

/// Pixel budget for one texture (e.g. 8192 × 6144); larger files are refused from their header
/// before any pixel memory is allocated.
let textureDecodeLimits = DecodeLimits(maxPixels: 50_000_000)

/// Decodes texture bytes. EXIF orientation is not applied: texture coordinates address the
/// pixels as stored, which is what modelling tools and glTF viewers sample.
func decodeImage(_ bytes: [UInt8]) throws -> Image {
    try ImageDecoder.decode(bytes, limits: textureDecodeLimits, applyOrientation: false)
}

/// PNG bytes of `image` (for textures that have no original file).
func encodePNG(_ image: Image) throws -> [UInt8] {
    [UInt8](try PNGEncoder.encode(image))
}
