/// Turns ``OBJData`` polygons into an indexed triangle ``Mesh``.
///
/// OBJ indexes positions, texture coordinates and normals separately; a mesh vertex is one
/// distinct (position, texcoord, normal) triple. Missing normals are computed: flat per polygon
/// outside smoothing groups (`s off`, or no `s` at all), area-weighted per position inside one.
enum OBJMeshBuilder {
    /// Builds the mesh. `faceMaterialSlot[m]` maps `OBJData.materialNames[m]` to an index in
    /// `materials`; polygons with no `usemtl` use `defaultSlot`.
    static func build(
        _ data: OBJData, materials: [Material], materialSlots: [Int], defaultSlot: Int
    ) -> Mesh {
        let generatedNormalBase = Int32(data.normals.count)
        let (cornerNormal, generatedNormals) = completeNormals(data)

        // Deduplicate corners into vertices with a chain per position index: a position rarely has
        // more than a handful of (texcoord, normal) combinations, so a hash table is not needed.
        var head = [Int32](repeating: -1, count: data.positions.count)
        var next: [Int32] = []
        var vertexPosition: [Int32] = [], vertexTexcoord: [Int32] = [], vertexNormal: [Int32] = []
        let cornerCount = data.cornerPosition.count
        next.reserveCapacity(cornerCount / 2)
        var cornerVertex = [UInt32](repeating: 0, count: cornerCount)
        for c in 0..<cornerCount {
            let p = data.cornerPosition[c], t = data.cornerTexcoord[c], n = cornerNormal[c]
            var v = head[Int(p)]
            while v >= 0, vertexTexcoord[Int(v)] != t || vertexNormal[Int(v)] != n { v = next[Int(v)] }
            if v < 0 {
                v = Int32(vertexPosition.count)
                vertexPosition.append(p)
                vertexTexcoord.append(t)
                vertexNormal.append(n)
                next.append(head[Int(p)])
                head[Int(p)] = v
            }
            cornerVertex[c] = UInt32(v)
        }

        var positions = [SIMD3<Float>](), normals = [SIMD3<Float>](), texcoords = [SIMD2<Float>]()
        positions.reserveCapacity(vertexPosition.count)
        normals.reserveCapacity(vertexPosition.count)
        let hasTexcoords = vertexTexcoord.contains { $0 >= 0 }
        for v in 0..<vertexPosition.count {
            positions.append(data.positions[Int(vertexPosition[v])])
            let n = vertexNormal[v]
            normals.append(
                n < generatedNormalBase
                    ? normalized(data.normals[Int(n)]) : generatedNormals[Int(n - generatedNormalBase)])
            if hasTexcoords {
                let t = vertexTexcoord[v]
                // OBJ's v axis points up the image; ours (glTF's) points down.
                texcoords.append(t >= 0 ? SIMD2(data.texcoords[Int(t)].x, 1 - data.texcoords[Int(t)].y) : .zero)
            }
        }
        var colors: [SIMD4<Float>] = []
        if !data.positionColors.isEmpty {
            colors = vertexPosition.map { SIMD4(data.positionColors[Int($0)], 1) }
        }

        // Fan-triangulate polygons into one index list per material.
        var lists = [[UInt32]](repeating: [], count: materials.count)
        for f in 0..<data.faceCount {
            let start = Int(data.faceStart[f]), end = Int(data.faceStart[f + 1])
            let m = data.faceMaterial[f]
            let slot = m >= 0 && Int(m) < materialSlots.count ? materialSlots[Int(m)] : defaultSlot
            let first = cornerVertex[start]
            for c in (start + 1)..<(end - 1) {
                lists[slot].append(first)
                lists[slot].append(cornerVertex[c])
                lists[slot].append(cornerVertex[c + 1])
            }
        }
        let submeshes = lists.enumerated().compactMap { slot, indices in
            indices.isEmpty ? nil : Submesh(indices: indices, material: slot)
        }
        return Mesh(
            positions: positions, normals: normals, texcoords: texcoords, colors: colors,
            submeshes: submeshes, materials: materials)
    }

    /// Per corner, a normal index: the file's own, or `data.normals.count + k` for the k-th
    /// generated normal. Returns the indices and the generated (unit) normals.
    static func completeNormals(_ data: OBJData) -> (cornerNormal: [Int32], generated: [SIMD3<Float>]) {
        var cornerNormal = data.cornerNormal
        guard cornerNormal.contains(-1) else { return (cornerNormal, []) }
        let base = Int32(data.normals.count)
        var generated: [SIMD3<Float>] = []
        // Smooth accumulators: a chain per position of (group, slot in `generated`).
        var head = [Int32](repeating: -1, count: data.positions.count)
        var chainGroup: [Int32] = [], chainSlot: [Int32] = [], chainNext: [Int32] = []
        for f in 0..<data.faceCount {
            let start = Int(data.faceStart[f]), end = Int(data.faceStart[f + 1])
            guard (start..<end).contains(where: { cornerNormal[$0] < 0 }) else { continue }
            // Newell's method: area-weighted normal of a possibly non-planar polygon.
            var faceNormal = SIMD3<Float>.zero
            for c in start..<end {
                let a = data.positions[Int(data.cornerPosition[c])]
                let b = data.positions[Int(data.cornerPosition[c + 1 < end ? c + 1 : start])]
                faceNormal += SIMD3((a.y - b.y) * (a.z + b.z), (a.z - b.z) * (a.x + b.x), (a.x - b.x) * (a.y + b.y))
            }
            let group = data.faceSmoothing[f]
            if group == 0 {
                let slot = Int32(generated.count)
                generated.append(faceNormal)
                for c in start..<end where cornerNormal[c] < 0 { cornerNormal[c] = base + slot }
                continue
            }
            for c in start..<end where cornerNormal[c] < 0 {
                let p = Int(data.cornerPosition[c])
                var e = head[p]
                while e >= 0, chainGroup[Int(e)] != group { e = chainNext[Int(e)] }
                if e < 0 {
                    e = Int32(chainGroup.count)
                    chainGroup.append(group)
                    chainSlot.append(Int32(generated.count))
                    chainNext.append(head[p])
                    head[p] = e
                    generated.append(.zero)
                }
                let slot = Int(chainSlot[Int(e)])
                generated[slot] += faceNormal
                cornerNormal[c] = base + Int32(slot)
            }
        }
        return (cornerNormal, generated.map { normalized($0) })
    }
}
