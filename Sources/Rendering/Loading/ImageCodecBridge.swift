import ImageCodec

// TEMPORARY until the imagecodec branch lands: decoding is not available yet.
struct DecoderUnavailable: Error {}

func decodeImage(_ bytes: [UInt8], mimeType: String) throws -> Image {
    throw DecoderUnavailable()
}

func encodePNG(_ image: Image) throws -> [UInt8] {
    throw DecoderUnavailable()
}
