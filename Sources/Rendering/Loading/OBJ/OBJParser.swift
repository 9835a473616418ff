/// The raw contents of an OBJ file: attribute pools and polygons as index triples.
///
/// Indices are resolved to 0-based (negative ones relative to the pool size at that line) and
/// range-checked here, so later stages can index without checks.
struct OBJData {
    var positions: [SIMD3<Float>] = []
    /// Per-position colours from `v x y z r g b` lines; empty when the file has none.
    var positionColors: [SIMD3<Float>] = []
    var texcoords: [SIMD2<Float>] = []
    var normals: [SIMD3<Float>] = []
    /// Per polygon corner: position, texcoord (-1 none) and normal (-1 none) indices.
    var cornerPosition: [Int32] = []
    var cornerTexcoord: [Int32] = []
    var cornerNormal: [Int32] = []
    /// Polygon i has corners `faceStart[i] ..< faceStart[i + 1]`.
    var faceStart: [Int32] = [0]
    /// Per polygon: index into `materialNames` (-1 when no `usemtl` came before it).
    var faceMaterial: [Int32] = []
    /// Per polygon: smoothing group (0 = flat, `s off`).
    var faceSmoothing: [Int32] = []
    /// Material names in order of first `usemtl`.
    var materialNames: [String] = []
    /// `mtllib` arguments, as written.
    var materialLibraries: [String] = []
    /// Polygons with fewer than three corners, and `l`/`p` elements, skipped.
    var skippedElements = 0
    /// Texture-coordinate or normal references outside their pools, dropped (the corner then
    /// has no texture coordinate / a computed normal). Position references are never dropped.
    var droppedAttributeReferences = 0

    var faceCount: Int { faceStart.count - 1 }
}

/// Parses OBJ text (Wavefront) into ``OBJData``.
enum OBJParser {
    /// Parses `bytes`; `fileName` is only used in error messages.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, fileName: String) throws(RenderingError) -> OBJData {
        var data = OBJData()
        var scanner = ByteScanner(bytes)
        var currentMaterial: Int32 = -1
        var materialIndex: [String: Int32] = [:]
        var smoothing: Int32 = 0
        // Rough pre-sizing: a typical OBJ line is ~30 bytes.
        data.positions.reserveCapacity(bytes.count / 60)
        data.cornerPosition.reserveCapacity(bytes.count / 20)

        func fail(_ what: String) -> RenderingError {
            RenderingError(.malformed, "\(fileName) line \(scanner.line): \(what)")
        }

        while !scanner.isAtEnd {
            let keyword = scanner.readToken()
            if keyword.isEmpty {
                scanner.nextLine()
                continue
            }
            let first = bytes[keyword.lowerBound]
            if first == 118 {  // v…
                if keyword.count == 1 {
                    guard let x = scanner.readFloat(), let y = scanner.readFloat(), let z = scanner.readFloat() else {
                        throw fail("a vertex needs three numbers")
                    }
                    data.positions.append(SIMD3(x, y, z))
                    // Optional w, or r g b (a colour when there are exactly three more numbers).
                    var extra: [Float] = []
                    scanner.skipSpaces()
                    while !scanner.isAtEndOfLine, extra.count < 4, let value = scanner.readFloat() {
                        extra.append(value)
                        scanner.skipSpaces()
                    }
                    if extra.count >= 3 {
                        if data.positionColors.count < data.positions.count - 1 {
                            data.positionColors += Array(
                                repeating: SIMD3(repeating: 1),
                                count: data.positions.count - 1 - data.positionColors.count)
                        }
                        data.positionColors.append(SIMD3(extra[0], extra[1], extra[2]))
                    }
                } else if scanner.token(keyword, is: "vt") {
                    guard let u = scanner.readFloat() else { throw fail("a texture coordinate needs a number") }
                    scanner.skipSpaces()
                    let v = scanner.isAtEndOfLine ? 0 : (scanner.readFloat() ?? 0)
                    data.texcoords.append(SIMD2(u, v))
                } else if scanner.token(keyword, is: "vn") {
                    guard let x = scanner.readFloat(), let y = scanner.readFloat(), let z = scanner.readFloat() else {
                        throw fail("a normal needs three numbers")
                    }
                    data.normals.append(SIMD3(x, y, z))
                }
            } else if first == 102, keyword.count == 1 {  // f
                let start = data.cornerPosition.count
                while true {
                    scanner.skipSpaces()
                    if scanner.isAtEndOfLine { break }
                    guard let v = scanner.readInt() else { throw fail("a face corner needs a vertex index") }
                    var t = 0, n = 0
                    if scanner.current == 47 {  // /
                        scanner.position += 1
                        if scanner.current != 47 { t = scanner.readInt() ?? 0 }
                        if scanner.current == 47 {
                            scanner.position += 1
                            n = scanner.readInt() ?? 0
                        }
                    }
                    data.cornerPosition.append(
                        try resolve(v, count: data.positions.count, "vertex", scanner.line, fileName))
                    // A real catalog model (Sweet Home 3D's truck) refers to one texture coordinate
                    // past the end; losing that corner's coordinate beats losing the model.
                    let texcoord = t == 0 ? -1 : resolveAttribute(t, count: data.texcoords.count)
                    let normal = n == 0 ? -1 : resolveAttribute(n, count: data.normals.count)
                    if (t != 0 && texcoord < 0) || (n != 0 && normal < 0) { data.droppedAttributeReferences += 1 }
                    data.cornerTexcoord.append(texcoord)
                    data.cornerNormal.append(normal)
                    let c = scanner.current
                    if !(c == 32 || c == 9 || c == 10 || c == 13 || c == 35 || c == 0 || c == 92) {
                        throw fail("unexpected character in a face")
                    }
                }
                if data.cornerPosition.count - start < 3 {
                    data.cornerPosition.removeSubrange(start...)
                    data.cornerTexcoord.removeSubrange(start...)
                    data.cornerNormal.removeSubrange(start...)
                    data.skippedElements += 1
                } else {
                    data.faceStart.append(Int32(data.cornerPosition.count))
                    data.faceMaterial.append(currentMaterial)
                    data.faceSmoothing.append(smoothing)
                }
            } else if scanner.token(keyword, is: "usemtl") {
                let name = scanner.readRestOfLine()
                if let index = materialIndex[name] {
                    currentMaterial = index
                } else {
                    currentMaterial = Int32(data.materialNames.count)
                    materialIndex[name] = currentMaterial
                    data.materialNames.append(name)
                }
            } else if scanner.token(keyword, is: "mtllib") {
                let library = scanner.readRestOfLine()
                if !library.isEmpty { data.materialLibraries.append(library) }
            } else if scanner.token(keyword, is: "s") {
                let value = scanner.readToken()
                smoothing = scanner.token(value, is: "off") ? 0 : Int32(clamping: parseDecimal(bytes, value) ?? 1)
            } else if scanner.token(keyword, is: "l") || scanner.token(keyword, is: "p") {
                data.skippedElements += 1
            }
            // o, g, # and unknown statements carry nothing we draw.
            scanner.nextLine()
        }
        if data.positionColors.count > 0, data.positionColors.count < data.positions.count {
            data.positionColors += Array(
                repeating: SIMD3(repeating: 1), count: data.positions.count - data.positionColors.count)
        }
        return data
    }

    /// 1-based or negative (relative) OBJ index → 0-based index, or an out-of-range error.
    @inline(__always) private static func resolve(
        _ index: Int, count: Int, _ what: String, _ line: Int, _ fileName: String
    ) throws(RenderingError) -> Int32 {
        let resolved = index > 0 ? index - 1 : count + index
        guard resolved >= 0, resolved < count else {
            throw RenderingError(
                .outOfRange, "\(fileName) line \(line): \(what) index \(index) is out of range (\(count) defined)")
        }
        return Int32(resolved)
    }

    /// Like ``resolve(_:count:_:_:_:)`` for texture coordinates and normals, but -1 when out of range.
    @inline(__always) private static func resolveAttribute(_ index: Int, count: Int) -> Int32 {
        let resolved = index > 0 ? index - 1 : count + index
        return resolved >= 0 && resolved < count ? Int32(resolved) : -1
    }

    /// A decimal integer spelled by `range`, if it is one.
    private static func parseDecimal(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard !range.isEmpty, range.count < 10 else { return nil }
        var value = 0
        for i in range {
            let d = Int(bytes[i]) - 48
            guard d >= 0, d <= 9 else { return nil }
            value = value * 10 + d
        }
        return value
    }
}
