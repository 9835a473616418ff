import CTurboJPEG
import Foundation

/// JPEG encoding through libjpeg-turbo. Grey images are written as 1-component JPEGs, everything
/// else as YCbCr; an alpha channel is first composited on white (JPEG has no alpha).
public enum JPEGEncoder {
    /// Chroma subsampling of colour JPEGs.
    public enum ChromaSubsampling: Sendable {
        /// Full-resolution chroma.
        case none
        /// Half horizontal resolution.
        case half
        /// Half resolution in both directions (the usual choice, and Pillow's default).
        case quarter

        var turbo: Int32 {
            switch self {
            case .none: return Int32(TJSAMP_444.rawValue)
            case .half: return Int32(TJSAMP_422.rawValue)
            case .quarter: return Int32(TJSAMP_420.rawValue)
            }
        }
    }

    /// The JPEG file for `image` at `quality` (1…100; libjpeg's scale).
    public static func encode(_ image: Image, quality: Int = 90, chroma: ChromaSubsampling = .quarter) throws -> Data {
        guard (1...100).contains(quality) else {
            throw ImageCodecError.invalidArgument("JPEG quality must be 1…100, not \(quality)")
        }
        guard image.width > 0, image.height > 0, image.width <= 65_500, image.height <= 65_500 else {
            throw ImageCodecError.invalidArgument("JPEG cannot hold a \(image.width)×\(image.height) image")
        }
        let source: Image
        switch image.channels {
        case 1: source = image
        case 2: source = image.convertedToRGB(alpha: .compositeOnWhite).convertedToGrey()
        default: source = image.convertedToRGB(alpha: .compositeOnWhite)
        }
        guard let handle = tjInitCompress() else {
            throw ImageCodecError.encodingFailed(format: .jpeg, detail: "libjpeg-turbo could not start a compressor")
        }
        defer { tjDestroy(handle) }
        let grey = source.channels == 1
        var buffer: UnsafeMutablePointer<UInt8>?
        var size: UInt = 0
        let status = source.pixels.withUnsafeBufferPointer { pixels in
            tjCompress2(
                handle, pixels.baseAddress, Int32(source.width), 0, Int32(source.height),
                (grey ? TJPF_GRAY : TJPF_RGB).rawValue, &buffer, &size,
                grey ? Int32(TJSAMP_GRAY.rawValue) : chroma.turbo, Int32(quality), TJFLAG_ACCURATEDCT)
        }
        defer { if let buffer { tjFree(buffer) } }
        guard status == 0, let buffer else {
            let text = tjGetErrorStr2(handle).map { String(cString: $0) } ?? "libjpeg-turbo failed"
            throw ImageCodecError.encodingFailed(format: .jpeg, detail: text)
        }
        return Data(bytes: buffer, count: Int(size))
    }
}
