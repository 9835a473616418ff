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
/// Index arithmetic wraps (`&+`) because every index is bounded by the coefficient tables, which
/// `ResampleCoefficients` builds inside the row; the checked forms cost a third of the time here.
struct HorizontalJob {
    let src: UnsafePointer<UInt8>
    let dst: UnsafeMutablePointer<UInt8>
    let weights: UnsafePointer<Int32>
    let first: UnsafePointer<Int>
    let count: UnsafePointer<Int>
    let stride: Int
    let inRowBytes: Int
    let outWidth: Int

    @inline(__always)
    func run<C: ChannelCount>(_ rows: Range<Int>, _: C.Type) {
        let c = C.value
        let half = Int32(1 << (ResampleCoefficients.precisionBits - 1))
        var out = dst
        for y in rows {
            let rowIn = src + y &* inRowBytes
            var k = weights
            for xx in 0..<outWidth {
                var a0 = half, a1 = half, a2 = half, a3 = half
                var s = rowIn + first[xx] &* c
                for tap in 0..<count[xx] {
                    let w = k[tap]
                    a0 &+= Int32(s[0]) &* w
                    if c > 1 { a1 &+= Int32(s[1]) &* w }
                    if c > 2 { a2 &+= Int32(s[2]) &* w }
                    if c > 3 { a3 &+= Int32(s[3]) &* w }
                    s += c
                }
                out[0] = clip8(a0)
                if c > 1 { out[1] = clip8(a1) }
                if c > 2 { out[2] = clip8(a2) }
                if c > 3 { out[3] = clip8(a3) }
                out += c
                k += stride
            }
        }
    }
}
