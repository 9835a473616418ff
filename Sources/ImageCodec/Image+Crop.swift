/// Cropping with Pillow's and Hugging Face's conventions: areas outside the image are zero.
extension Image {
    /// The `width × height` region whose top-left corner is (`x`, `y`) in this image. The region
    /// may reach outside the image (even lie wholly outside); those pixels are 0 in every channel,
    /// as with Pillow's `Image.crop`.
    public func cropped(x: Int, y: Int, width newWidth: Int, height newHeight: Int) throws -> Image {
        guard newWidth >= 1, newHeight >= 1 else {
            throw ImageCodecError.invalidArgument("cannot crop to \(newWidth)×\(newHeight)")
        }
        let (area, overflow) = newWidth.multipliedReportingOverflow(by: newHeight)
        guard !overflow, area <= Int(Int32.max) else {
            throw ImageCodecError.invalidArgument("\(newWidth)×\(newHeight) is too large")
        }
        if x == 0, y == 0, newWidth == width, newHeight == height { return self }
        let c = channels
        var out = [UInt8](repeating: 0, count: newWidth * newHeight * c)
        // Overlap of the region with the image, in image coordinates.
        let left = max(x, 0), right = min(x + newWidth, width)
        let top = max(y, 0), bottom = min(y + newHeight, height)
        if left < right && top < bottom {
            let runBytes = (right - left) * c
            pixels.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    for row in top..<bottom {
                        let s = (row * width + left) * c
                        let d = ((row - y) * newWidth + (left - x)) * c
                        for i in 0..<runBytes { dst[d + i] = src[s + i] }
                    }
                }
            }
        }
        return Image(width: newWidth, height: newHeight, channels: c, pixels: out)
    }

    /// Hugging Face's `center_crop`: the region starts at `⌊(W − width)/2⌋`, `⌊(H − height)/2⌋`
    /// (Python floor division, so a crop larger than the image is padded with zeros, the extra
    /// going to the right/bottom when it is odd).
    public func centerCropped(width newWidth: Int, height newHeight: Int) throws -> Image {
        try cropped(
            x: floorDivide(width - newWidth, 2), y: floorDivide(height - newHeight, 2),
            width: newWidth, height: newHeight)
    }
}

/// Python's `//` for a positive divisor.
@inline(__always)
func floorDivide(_ a: Int, _ b: Int) -> Int {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}
