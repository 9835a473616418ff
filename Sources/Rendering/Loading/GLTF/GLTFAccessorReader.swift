import Foundation

/// Reads glTF accessors out of the loaded buffers with every offset, stride and count checked
/// against the bytes actually present (not the lengths the file claims).
struct GLTFAccessorReader {
    let document: GLTFDocument
    /// Buffer contents by buffer index.
    let buffers: [Data]
    let fileName: String
    /// Cap on accessors with no buffer view (all zeros, possibly sparse), which cost memory
    /// without costing file size.
    static let maxZeroFilledCount = 4_000_000

    private func fail(_ code: RenderingError.Code, _ what: String) -> RenderingError {
        RenderingError(code, "\(fileName): \(what)")
    }

    static func componentCount(_ type: String) -> Int? {
        ["SCALAR": 1, "VEC2": 2, "VEC3": 3, "VEC4": 4, "MAT2": 4, "MAT3": 9, "MAT4": 16][type]
    }

    static func componentSize(_ componentType: Int) -> Int? {
        [5120: 1, 5121: 1, 5122: 2, 5123: 2, 5125: 4, 5126: 4][componentType]
    }

    /// The accessor's values as floats, `componentCount` per element (normalised integers are
    /// mapped to 0…1 or −1…1; other integers are converted as-is).
    func floats(_ index: Int) throws(RenderingError) -> (values: [Float], components: Int) {
        guard let accessors = document.accessors, accessors.indices.contains(index) else {
            throw fail(.outOfRange, "accessor \(index) does not exist")
        }
        let accessor = accessors[index]
        guard let components = GLTFAccessorReader.componentCount(accessor.type),
            let size = GLTFAccessorReader.componentSize(accessor.componentType)
        else { throw fail(.malformed, "accessor \(index) has type \(accessor.type)/\(accessor.componentType)") }
        guard accessor.count >= 0 else { throw fail(.malformed, "accessor \(index) has a negative count") }
        var values: [Float]
        if let viewIndex = accessor.bufferView {
            let span = try view(
                viewIndex, offset: accessor.byteOffset ?? 0, count: accessor.count, elementSize: components * size)
            values = withBytes(span) { bytes in
                GLTFAccessorReader.convert(
                    bytes, count: accessor.count, components: components, stride: span.stride,
                    componentType: accessor.componentType, normalized: accessor.normalized ?? false)
            }
        } else {
            guard accessor.count <= GLTFAccessorReader.maxZeroFilledCount else {
                throw fail(.outOfRange, "accessor \(index) claims \(accessor.count) elements without data")
            }
            values = [Float](repeating: 0, count: accessor.count * components)
        }
        if let sparse = accessor.sparse {
            guard sparse.count >= 0, sparse.count <= accessor.count else {
                throw fail(.outOfRange, "accessor \(index) has \(sparse.count) sparse entries for \(accessor.count)")
            }
            let targets = try indexValues(
                view: sparse.indices.bufferView, offset: sparse.indices.byteOffset ?? 0,
                componentType: sparse.indices.componentType, count: sparse.count)
            let span = try view(
                sparse.values.bufferView, offset: sparse.values.byteOffset ?? 0, count: sparse.count,
                elementSize: components * size)
            let replacements = withBytes(span) { bytes in
                GLTFAccessorReader.convert(
                    bytes, count: sparse.count, components: components, stride: span.stride,
                    componentType: accessor.componentType, normalized: accessor.normalized ?? false)
            }
            for (k, target) in targets.enumerated() {
                guard Int(target) < accessor.count else {
                    throw fail(.outOfRange, "sparse index \(target) out of range")
                }
                for c in 0..<components { values[Int(target) * components + c] = replacements[k * components + c] }
            }
        }
        return (values, components)
    }

    /// An index accessor as 32-bit indices.
    func indices(_ index: Int) throws(RenderingError) -> [UInt32] {
        guard let accessors = document.accessors, accessors.indices.contains(index) else {
            throw fail(.outOfRange, "index accessor \(index) does not exist")
        }
        let accessor = accessors[index]
        guard accessor.type == "SCALAR", let viewIndex = accessor.bufferView, accessor.sparse == nil else {
            // Rare enough to go through the general path (sparse or zero-filled index lists).
            let (values, components) = try floats(index)
            guard components == 1 else { throw fail(.malformed, "index accessor \(index) is not SCALAR") }
            return values.map { $0 >= 0 && $0 < 4e9 ? UInt32($0) : UInt32.max }
        }
        return try indexValues(
            view: viewIndex, offset: accessor.byteOffset ?? 0, componentType: accessor.componentType,
            count: accessor.count)
    }

    private func indexValues(
        view viewIndex: Int, offset: Int, componentType: Int, count: Int
    )
        throws(RenderingError) -> [UInt32]
    {
        guard [5121, 5123, 5125].contains(componentType), let size = GLTFAccessorReader.componentSize(componentType)
        else { throw fail(.malformed, "indices have component type \(componentType)") }
        guard count >= 0 else { throw fail(.malformed, "negative index count") }
        let span = try view(viewIndex, offset: offset, count: count, elementSize: size)
        return withBytes(span) { bytes in
            var out = [UInt32](repeating: 0, count: count)
            for i in 0..<count {
                let at = i * span.stride
                switch size {
                case 1: out[i] = UInt32(bytes[at])
                case 2: out[i] = UInt32(bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self))
                default: out[i] = bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self)
                }
            }
            return out
        }
    }

    /// A checked region of one buffer.
    private struct Span {
        var buffer: Int
        var start: Int
        var stride: Int
    }

    /// Runs `body` on the bytes of `span` (from its start to the end of its buffer).
    private func withBytes<T>(_ span: Span, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        buffers[span.buffer].withUnsafeBytes { raw in
            body(UnsafeRawBufferPointer(rebasing: raw[min(span.start, raw.count)..<raw.count]))
        }
    }

    /// Where `count` elements start `offset` bytes into buffer view `viewIndex`, and the stride
    /// between them; throws unless all of them lie inside the real buffer.
    private func view(
        _ viewIndex: Int, offset: Int, count: Int, elementSize: Int
    )
        throws(RenderingError) -> Span
    {
        guard let views = document.bufferViews, views.indices.contains(viewIndex) else {
            throw fail(.outOfRange, "buffer view \(viewIndex) does not exist")
        }
        let view = views[viewIndex]
        guard buffers.indices.contains(view.buffer) else {
            throw fail(.outOfRange, "buffer \(view.buffer) does not exist")
        }
        let buffer = buffers[view.buffer]
        let viewOffset = view.byteOffset ?? 0
        let stride = view.byteStride ?? elementSize
        guard viewOffset >= 0, view.byteLength >= 0, offset >= 0, stride >= elementSize, stride <= 1024,
            viewOffset <= buffer.count, view.byteLength <= buffer.count - viewOffset
        else {
            throw fail(.outOfRange, "buffer view \(viewIndex) lies outside its \(buffer.count)-byte buffer")
        }
        if count > 0 {
            let (span, o1) = stride.multipliedReportingOverflow(by: count - 1)
            let (end, o2) = span.addingReportingOverflow(offset + elementSize)
            guard !o1, !o2, end <= view.byteLength else {
                throw fail(
                    .outOfRange, "\(count) elements do not fit in buffer view \(viewIndex) (\(view.byteLength) bytes)")
            }
        }
        return Span(buffer: view.buffer, start: viewOffset + offset, stride: stride)
    }

    /// Converts packed components to floats.
    private static func convert(
        _ bytes: UnsafeRawBufferPointer, count: Int, components: Int, stride: Int, componentType: Int,
        normalized: Bool
    ) -> [Float] {
        var out = [Float](repeating: 0, count: count * components)
        out.withUnsafeMutableBufferPointer { dst in
            for i in 0..<count {
                let base = i * stride
                for c in 0..<components {
                    let v: Float
                    switch componentType {
                    case 5120:
                        let x = Float(bytes.loadUnaligned(fromByteOffset: base + c, as: Int8.self))
                        v = normalized ? max(x / 127, -1) : x
                    case 5121:
                        let x = Float(bytes[base + c])
                        v = normalized ? x / 255 : x
                    case 5122:
                        let x = Float(bytes.loadUnaligned(fromByteOffset: base + 2 * c, as: Int16.self))
                        v = normalized ? max(x / 32767, -1) : x
                    case 5123:
                        let x = Float(bytes.loadUnaligned(fromByteOffset: base + 2 * c, as: UInt16.self))
                        v = normalized ? x / 65535 : x
                    case 5125:
                        v = Float(bytes.loadUnaligned(fromByteOffset: base + 4 * c, as: UInt32.self))
                    default:
                        v = bytes.loadUnaligned(fromByteOffset: base + 4 * c, as: Float.self)
                    }
                    dst[i * components + c] = v
                }
            }
        }
        return out
    }
}
