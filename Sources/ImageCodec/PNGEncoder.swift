import CPNG
import Foundation

/// PNG encoding through libpng's simplified write API: 8-bit grey, grey+alpha, RGB or RGBA,
/// following the image's channel count. Alpha is stored straight (not premultiplied).
public enum PNGEncoder {
    /// The PNG file for `image`.
    public static func encode(_ image: Image) throws -> Data {
        guard image.width > 0, image.height > 0 else {
            throw ImageCodecError.invalidArgument("cannot encode an empty \(image.width)×\(image.height) image")
        }
        guard image.width <= 0x7FFF_FFFF / image.channels, image.height <= 0x7FFF_FFFF else {
            throw ImageCodecError.invalidArgument("\(image.width)×\(image.height) is too large for PNG")
        }
        var control = png_image()
        control.version = png_uint_32(PNG_IMAGE_VERSION)
        control.width = png_uint_32(image.width)
        control.height = png_uint_32(image.height)
        switch image.channels {
        case 1: control.format = png_uint_32(PNG_FORMAT_GRAY)
        case 2: control.format = png_uint_32(PNG_FORMAT_GA)
        case 3: control.format = png_uint_32(PNG_FORMAT_RGB)
        default:
            // PNG_FORMAT_RGBA is a nested macro that Swift does not import.
            control.format = png_uint_32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
        }
        defer { png_image_free(&control) }
        let stride = png_int_32(image.rowBytes)

        // First guess: half the raw size. libpng reports the size it needs when that is too small.
        var capacity = image.pixels.count / 2 + 1024
        for _ in 0..<2 {
            var output = Data(count: capacity)
            var written = png_alloc_size_t(capacity)
            let ok = output.withUnsafeMutableBytes { out in
                image.pixels.withUnsafeBytes { pixels in
                    png_image_write_to_memory(&control, out.baseAddress, &written, 0, pixels.baseAddress, stride, nil)
                }
            }
            if ok != 0 {
                output.count = Int(written)
                return output
            }
            guard Int(written) > capacity else { break }
            capacity = Int(written)
            control.warning_or_error = 0
        }
        var message = control.message
        let text = withUnsafeBytes(of: &message) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        throw ImageCodecError.encodingFailed(format: .png, detail: text.isEmpty ? "libpng failed" : text)
    }
}
