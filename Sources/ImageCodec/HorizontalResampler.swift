/// A channel count known at compile time, so the per-pixel channel loops of the horizontal pass
/// are unrolled when the generic code is specialised.
protocol ChannelCount {
    static var value: Int { get }
}

enum Channels1: ChannelCount { static var value: Int { 1 } }
enum Channels2: ChannelCount { static var value: Int { 2 } }
enum Channels3: ChannelCount { static var value: Int { 3 } }
enum Channels4: ChannelCount { static var value: Int { 4 } }

/// The horizontal pass of Pillow's resampler over interleaved 8-bit rows:
/// `out[x] = clip8(2^21 + Σ_t in[first[x] + t] · w[x, t])` per channel.
struct HorizontalJob {
    let src: UnsafeBufferPointer<UInt8>
    let dst: UnsafeMutableBufferPointer<UInt8>
    let weights: UnsafeBufferPointer<Int32>
    let first: [Int]
    let count: [Int]
    let stride: Int
    let inRowBytes: Int
    let outWidth: Int

    @inline(__always)
    func run<C: ChannelCount>(_ rows: Range<Int>, _: C.Type) {
        let c = C.value
        let half = Int32(1 << (ResampleCoefficients.precisionBits - 1))
        let outRowBytes = outWidth * c
        first.withUnsafeBufferPointer { first in
            count.withUnsafeBufferPointer { count in
                for (outRow, y) in rows.enumerated() {
                    let rowIn = y * inRowBytes
                    let rowOut = outRow * outRowBytes
                    for xx in 0..<outWidth {
                        var acc = (half, half, half, half)
                        let k = xx * stride
                        var s = rowIn + first[xx] * c
                        for tap in 0..<count[xx] {
                            let w = weights[k + tap]
                            acc.0 &+= Int32(src[s]) &* w
                            if c > 1 { acc.1 &+= Int32(src[s + 1]) &* w }
                            if c > 2 { acc.2 &+= Int32(src[s + 2]) &* w }
                            if c > 3 { acc.3 &+= Int32(src[s + 3]) &* w }
                            s += c
                        }
                        let d = rowOut + xx * c
                        dst[d] = clip8(acc.0)
                        if c > 1 { dst[d + 1] = clip8(acc.1) }
                        if c > 2 { dst[d + 2] = clip8(acc.2) }
                        if c > 3 { dst[d + 3] = clip8(acc.3) }
                    }
                }
            }
        }
    }
}
