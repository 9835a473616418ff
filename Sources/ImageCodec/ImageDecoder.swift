import Foundation

/// Decodes JPEG, PNG and WebP data into an `Image`, recognising the format from the content.
///
/// Results follow Pillow (`PIL.Image.open(...)`, then `ImageOps.exif_transpose`, as Hugging Face's
/// `load_image` does):
/// - grey → 1 channel; grey+alpha (or grey with a tRNS key) → 2; RGB, palette, CMYK/YCCK JPEG → 3;
///   RGBA, palette or RGB with transparency, WebP with alpha → 4;
/// - 16-bit PNG samples keep their high byte (see `PNGDecoder` for the one rounding case);
/// - the EXIF orientation (JPEG APP1, PNG eXIf, WebP EXIF, or XMP `tiff:Orientation`) is applied.
///
/// Every failure is an `ImageCodecError`; the decompression-bomb guard (`DecodeLimits`) is checked
/// against the header before any pixel buffer is allocated.
public enum ImageDecoder {
    /// Decodes `data`; with `applyOrientation` false the pixels stay as stored.
    public static func decode(
        _ data: Data, limits: DecodeLimits = .default, applyOrientation: Bool = true
    )
        throws -> Image
    {
        try data.withUnsafeBytes { try decode(bytes: $0, limits: limits, applyOrientation: applyOrientation) }
    }

    /// Decodes the bytes of an encoded image.
    public static func decode(
        _ bytes: [UInt8], limits: DecodeLimits = .default, applyOrientation: Bool = true
    )
        throws -> Image
    {
        try bytes.withUnsafeBytes { try decode(bytes: $0, limits: limits, applyOrientation: applyOrientation) }
    }

    /// Reads and decodes the file at `url` (the name's extension is not consulted).
    public static func decode(
        contentsOf url: URL, limits: DecodeLimits = .default, applyOrientation: Bool = true
    )
        throws -> Image
    {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw ImageCodecError.unreadableFile(path: url.path, detail: "the file could not be opened or read")
        }
        return try decode(data, limits: limits, applyOrientation: applyOrientation)
    }

    /// Decodes from raw memory; the other entry points end here.
    public static func decode(
        bytes: UnsafeRawBufferPointer, limits: DecodeLimits = .default,
        applyOrientation: Bool = true
    ) throws -> Image {
        let format = try detectFormat(bytes)
        let image: Image
        var orientation: Orientation?
        switch format {
        case .jpeg:
            let (decoded, markers) = try JPEGDecoder.decode(bytes, limits: limits)
            image = decoded
            orientation = orientationFrom(exif: markers.exif, xmp: markers.xmp)
        case .png:
            let (decoded, chunks) = try PNGDecoder.decode(bytes, limits: limits)
            image = decoded
            orientation = orientationFrom(exif: chunks.exif, xmp: chunks.xmp)
        case .webp:
            let (decoded, metadata) = try WebPDecoder.decode(bytes, limits: limits)
            image = decoded
            orientation = orientationFrom(exif: metadata.exif, xmp: metadata.xmp)
        }
        guard applyOrientation, let orientation else { return image }
        return image.oriented(orientation)
    }

    /// The format of `bytes`, or the error the decoder would report for data that is no image.
    public static func detectFormat(_ bytes: UnsafeRawBufferPointer) throws -> ImageFormat {
        guard !bytes.isEmpty else { throw ImageCodecError.empty }
        guard let format = ImageFormat.sniff(bytes) else {
            throw ImageCodecError.unrecognizedFormat(detail: ImageFormat.describeUnrecognized(bytes))
        }
        return format
    }

    /// Pillow's rule: the EXIF orientation, else the XMP one.
    private static func orientationFrom(exif: [UInt8]?, xmp: [UInt8]?) -> Orientation? {
        if let exif, let orientation = Orientation.fromEXIF(exif) { return orientation }
        if let xmp { return Orientation.fromXMP(xmp) }
        return nil
    }
}
