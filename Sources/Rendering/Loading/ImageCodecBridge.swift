import Foundation
import ImageCodec

/// Pixel budget for one texture (4096 × 4096; the Sweet Home 3D catalog's largest is 1024²);
/// larger files are refused from their header before any pixel memory is allocated.
let textureDecodeLimits = DecodeLimits(maxPixels: 16_777_216)

/// Decodes texture bytes. EXIF orientation is not applied: texture coordinates address the
/// pixels as stored, which is what modelling tools and glTF viewers sample.
func decodeImage(_ bytes: [UInt8]) throws -> Image {
    try ImageDecoder.decode(bytes, limits: textureDecodeLimits, applyOrientation: false)
}

/// PNG bytes of `image` (for textures that have no original file).
func encodePNG(_ image: Image) throws -> [UInt8] {
    [UInt8](try PNGEncoder.encode(image))
}
