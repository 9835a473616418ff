/// A planar float image, channel-major: `values[c * height * width + y * width + x]`
/// (the `[C, H, W]` layout of a `pixel_values` entry). Encoders read it directly.
public struct FloatImage: Sendable, Equatable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// Number of planes.
    public var channels: Int
    /// `channels × height × width` values, plane after plane.
    public var values: [Float]

    /// Wraps planar values (traps when the count does not match the shape).
    public init(width: Int, height: Int, channels: Int, values: [Float]) {
        precondition(values.count == width * height * channels, "values do not match the shape")
        self.width = width
        self.height = height
        self.channels = channels
        self.values = values
    }
}

extension Image {
    /// Hugging Face's `rescale` then `normalize` on this 8-bit image, as float32 planes:
    /// `v = Float(Double(sample) × rescaleFactor)` (rescale multiplies in float64, then casts),
    /// then `(v − Float(mean[c])) / Float(std[c])` in float32. Either step may be skipped (nil);
    /// with neither, the samples are just converted. `mean`/`std` need one value per channel.
    public func planar(rescaleFactor: Double?, mean: [Double]?, std: [Double]?) throws -> FloatImage {
        guard (mean == nil) == (std == nil) else {
            throw ImageCodecError.invalidArgument("normalisation needs both mean and std")
        }
        if let mean, mean.count != channels {
            throw ImageCodecError.invalidArgument("\(mean.count) mean values for \(channels) channels")
        }
        if let std, std.count != channels {
            throw ImageCodecError.invalidArgument("\(std.count) std values for \(channels) channels")
        }
        let plane = width * height
        let c = channels
        // One lookup table per channel: 256 possible inputs, so every sample costs one load.
        var tables = [Float](repeating: 0, count: 256 * c)
        for ch in 0..<c {
            for v in 0..<256 {
                var x = rescaleFactor.map { Float(Double(v) * $0) } ?? Float(v)
                if let mean, let std { x = (x - Float(mean[ch])) / Float(std[ch]) }
                tables[ch * 256 + v] = x
            }
        }
        var values = [Float](repeating: 0, count: plane * c)
        pixels.withUnsafeBufferPointer { src in
            values.withUnsafeMutableBufferPointer { dst in
                tables.withUnsafeBufferPointer { table in
                    for ch in 0..<c {
                        let lut = ch * 256
                        let base = ch * plane
                        for i in 0..<plane { dst[base + i] = table[lut + Int(src[i * c + ch])] }
                    }
                }
            }
        }
        return FloatImage(width: width, height: height, channels: c, values: values)
    }
}
