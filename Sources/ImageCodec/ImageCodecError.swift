/// Everything that can go wrong while decoding, encoding or transforming an image. Descriptions are
/// meant for the person who sent the file: they name the problem, never internal paths or memory.
public enum ImageCodecError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The data has no bytes at all.
    case empty
    /// The data is not a JPEG, PNG or WebP image; `detail` says what it looks like instead.
    case unrecognizedFormat(detail: String)
    /// The data starts like an image of `format` but ends before the image does.
    case truncated(format: ImageFormat)
    /// The data starts like an image of `format` but its content is damaged; `detail` comes from the decoder.
    case corrupt(format: ImageFormat, detail: String)
    /// A valid image of a kind this codec does not handle (e.g. 12-bit JPEG).
    case unsupported(format: ImageFormat, detail: String)
    /// The header announces more pixels than the configured limit (decompression-bomb guard);
    /// nothing was allocated for it.
    case tooLarge(width: Int, height: Int, limit: Int)
    /// Encoding failed inside the codec library.
    case encodingFailed(format: ImageFormat, detail: String)
    /// A caller passed a value outside the allowed range (size, channel count, quality…).
    case invalidArgument(String)
    /// A file could not be read.
    case unreadableFile(path: String, detail: String)
    /// A `preprocessor_config.json` that cannot be followed (unknown processor, bad sizes…).
    case invalidConfiguration(String)

    /// A sentence for the person who sent the data.
    public var description: String {
        switch self {
        case .empty:
            return "the image data is empty (0 bytes)"
        case .unrecognizedFormat(let detail):
            return "the data is not a JPEG, PNG or WebP image (\(detail))"
        case .truncated(let format):
            return "the \(format.displayName) image is truncated: the data ends before the image does"
        case .corrupt(let format, let detail):
            return "the \(format.displayName) image is corrupt: \(detail)"
        case .unsupported(let format, let detail):
            return "unsupported \(format.displayName) image: \(detail)"
        case .tooLarge(let width, let height, let limit):
            return "the image is \(width)×\(height) pixels, more than the limit of \(limit) pixels"
        case .encodingFailed(let format, let detail):
            return "\(format.displayName) encoding failed: \(detail)"
        case .invalidArgument(let detail):
            return "invalid argument: \(detail)"
        case .unreadableFile(let path, let detail):
            return "cannot read \(path): \(detail)"
        case .invalidConfiguration(let detail):
            return "invalid image preprocessor configuration: \(detail)"
        }
    }
}
