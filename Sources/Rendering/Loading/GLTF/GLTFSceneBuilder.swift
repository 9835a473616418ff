/// Walks the node hierarchy and appends every mesh primitive, transformed to world space.
struct GLTFSceneBuilder {
    let document: GLTFDocument
    let reader: GLTFAccessorReader
    let fileName: String
    /// The accumulated geometry; its materials are filled in by the loader.
    private(set) var mesh = Mesh(positions: [], submeshes: [], materials: [])
    private var hasTexcoords = false
    private var hasColors = false
    private var visits = 0
    private var indexTotal = 0
    /// Limits on what a small file can expand to by instancing meshes from many nodes (or a node
    /// listed many times as a child): beyond them loading stops with an error.
    static let maxNodeVisits = 100_000
    static let maxVertices = 20_000_000
    static let maxIndices = 60_000_000

    init(document: GLTFDocument, reader: GLTFAccessorReader, fileName: String) {
        self.document = document
        self.reader = reader
        self.fileName = fileName
    }

    /// Visits node `index` under the parent's world transform.
    mutating func visit(
        _ index: Int, parent: Matrix4, depth: Int, materials: inout GLTFMaterials, _ warnings: inout [MeshWarning]
    ) throws(RenderingError) {
        guard let nodes = document.nodes, nodes.indices.contains(index) else {
            throw RenderingError(.outOfRange, "\(fileName): node \(index) does not exist")
        }
        guard depth < GLTFLoader.maxDepth else {
            throw RenderingError(
                .malformed, "\(fileName): node hierarchy deeper than \(GLTFLoader.maxDepth) (a cycle?)")
        }
        visits += 1
        guard visits <= GLTFSceneBuilder.maxNodeVisits else {
            throw RenderingError(
                .outOfRange,
                "\(fileName): the node hierarchy expands to more than \(GLTFSceneBuilder.maxNodeVisits) nodes")
        }
        let node = nodes[index]
        let world = parent * localTransform(node)
        if let meshIndex = node.mesh {
            try addMesh(meshIndex, transform: world, materials: &materials, &warnings)
        }
        for child in node.children ?? [] {
            try visit(child, parent: world, depth: depth + 1, materials: &materials, &warnings)
        }
    }

    private func localTransform(_ node: GLTFDocument.Node) -> Matrix4 {
        if let values = node.matrix, let matrix = Matrix4(columnMajor: values) { return matrix }
        func vector3(_ v: [Float]?, _ fallback: SIMD3<Float>) -> SIMD3<Float> {
            guard let v, v.count == 3, v.allSatisfy(\.isFinite) else { return fallback }
            return SIMD3(v[0], v[1], v[2])
        }
        var rotation = SIMD4<Float>(0, 0, 0, 1)
        if let r = node.rotation, r.count == 4, r.allSatisfy(\.isFinite) { rotation = SIMD4(r[0], r[1], r[2], r[3]) }
        return Matrix4(
            translation: vector3(node.translation, .zero), rotation: rotation,
            scale: vector3(node.scale, SIMD3(1, 1, 1)))
    }

    /// Appends every primitive of mesh `index` under `transform`.
    mutating func addMesh(
        _ index: Int, transform: Matrix4, materials: inout GLTFMaterials, _ warnings: inout [MeshWarning]
    ) throws(RenderingError) {
        guard let meshes = document.meshes, meshes.indices.contains(index) else {
            throw RenderingError(.outOfRange, "\(fileName): mesh \(index) does not exist")
        }
        // Exporters (ours included) often give all primitives of a mesh the same attribute
        // accessors; such primitives share one copy of the vertices.
        var shared: [String: UInt32] = [:]
        for primitive in meshes[index].primitives {
            try addPrimitive(primitive, transform: transform, materials: &materials, shared: &shared, &warnings)
        }
    }

    private mutating func addPrimitive(
        _ primitive: GLTFDocument.Primitive, transform: Matrix4, materials: inout GLTFMaterials,
        shared: inout [String: UInt32], _ warnings: inout [MeshWarning]
    ) throws(RenderingError) {
        if let ext = primitive.extensions?.keys.first(where: { GLTFLoader.geometryExtensions.contains($0) }) {
            throw RenderingError(.unsupportedFeature, "\(fileName): a primitive uses \(ext), which is not supported")
        }
        let mode = primitive.mode ?? 4
        guard [4, 5, 6].contains(mode) else {
            warnings.append(MeshWarning(.geometry, "a primitive with mode \(mode) (points or lines) skipped"))
            return
        }
        guard let positionAccessor = primitive.attributes["POSITION"] else {
            warnings.append(MeshWarning(.geometry, "a primitive without POSITION skipped"))
            return
        }
        let (positionValues, positionComponents) = try reader.floats(positionAccessor)
        guard positionComponents == 3 else {
            throw RenderingError(.malformed, "\(fileName): POSITION is not VEC3")
        }
        let count = positionValues.count / 3
        var indices =
            try primitive.indices.map { (i) throws(RenderingError) in try reader.indices(i) }
            ?? (0..<UInt32(clamping: count)).map { $0 }
        if let bad = indices.first(where: { Int($0) >= count }) {
            throw RenderingError(.outOfRange, "\(fileName): index \(bad) is out of range (\(count) vertices)")
        }
        indices = GLTFSceneBuilder.triangleList(indices, mode: mode)

        let slot = materials.slot(for: primitive.material)
        let texcoordSet = materials.texcoordSet(for: primitive.material)
        let attributes = primitive.attributes
        let key = [
            "\(positionAccessor)", "\(attributes["NORMAL"] ?? -1)", "\(attributes["TEXCOORD_\(texcoordSet)"] ?? -1)",
            "\(attributes["COLOR_0"] ?? -1)",
        ].joined(separator: ",")
        if attributes["NORMAL"] != nil, let base = shared[key] {
            try checkGrowth(vertices: 0, indices: indices.count)
            mesh.submeshes.append(Submesh(indices: indices.map { $0 + base }, material: slot))
            return
        }
        try checkGrowth(vertices: max(count, indices.count), indices: indices.count)
        var part = Mesh(positions: [], submeshes: [Submesh(indices: indices, material: slot)], materials: [])
        part.positions = (0..<count).map {
            SIMD3(positionValues[3 * $0], positionValues[3 * $0 + 1], positionValues[3 * $0 + 2])
        }
        if let accessor = primitive.attributes["NORMAL"] {
            let (values, components) = try reader.floats(accessor)
            if components == 3, values.count == count * 3 {
                part.normals = (0..<count).map {
                    normalized(SIMD3(values[3 * $0], values[3 * $0 + 1], values[3 * $0 + 2]))
                }
            }
        }
        if let accessor = primitive.attributes["TEXCOORD_\(texcoordSet)"] {
            let (values, components) = try reader.floats(accessor)
            if components == 2, values.count == count * 2 {
                part.texcoords = (0..<count).map { SIMD2(values[2 * $0], values[2 * $0 + 1]) }
            }
        }
        if let accessor = primitive.attributes["COLOR_0"] {
            let (values, components) = try reader.floats(accessor)
            if components == 3 || components == 4, values.count == count * components {
                part.colors = (0..<count).map { i in
                    let base = i * components
                    let rgb = SIMD3(values[base], values[base + 1], values[base + 2])
                    return SIMD4(GLTFMaterials.linearToDisplay(rgb), components == 4 ? values[base + 3] : 1)
                }
            }
        }
        if part.normals.isEmpty {
            // The spec asks for flat shading when normals are missing: one vertex per corner.
            part = GLTFSceneBuilder.unshared(part)
        } else {
            shared[key] = UInt32(mesh.positions.count)
        }
        part = part.transformed(by: transform)
        append(part)
    }

    /// Triangle strips and fans as plain triangle lists.
    static func triangleList(_ indices: [UInt32], mode: Int) -> [UInt32] {
        guard mode != 4 else { return Array(indices.prefix(indices.count - indices.count % 3)) }
        guard indices.count >= 3 else { return [] }
        var out: [UInt32] = []
        out.reserveCapacity((indices.count - 2) * 3)
        for i in 2..<indices.count {
            if mode == 5 {
                // Every other strip triangle is wound the other way round.
                if i % 2 == 0 {
                    out += [indices[i - 2], indices[i - 1], indices[i]]
                } else {
                    out += [indices[i - 1], indices[i - 2], indices[i]]
                }
            } else {
                out += [indices[0], indices[i - 1], indices[i]]
            }
        }
        return out
    }

    /// A copy with one vertex per triangle corner and flat face normals.
    static func unshared(_ part: Mesh) -> Mesh {
        var out = Mesh(positions: [], submeshes: [], materials: [])
        for submesh in part.submeshes {
            var indices: [UInt32] = []
            for t in stride(from: 0, to: submesh.indices.count, by: 3) {
                let corners = submesh.indices[t..<t + 3].map(Int.init)
                let (a, b, c) = (part.positions[corners[0]], part.positions[corners[1]], part.positions[corners[2]])
                let n = normalized(cross(b - a, c - a))
                for corner in corners {
                    indices.append(UInt32(out.positions.count))
                    out.positions.append(part.positions[corner])
                    out.normals.append(n)
                    if !part.texcoords.isEmpty { out.texcoords.append(part.texcoords[corner]) }
                    if !part.colors.isEmpty { out.colors.append(part.colors[corner]) }
                }
            }
            out.submeshes.append(Submesh(indices: indices, material: submesh.material))
        }
        return out
    }

    /// Throws when adding `vertices` and `indices` would pass the expansion limits.
    private mutating func checkGrowth(vertices: Int, indices: Int) throws(RenderingError) {
        indexTotal += indices
        guard mesh.positions.count + vertices <= GLTFSceneBuilder.maxVertices, indexTotal <= GLTFSceneBuilder.maxIndices
        else {
            let limits = "\(GLTFSceneBuilder.maxVertices) vertices or \(GLTFSceneBuilder.maxIndices / 3) triangles"
            throw RenderingError(.outOfRange, "\(fileName): the scene expands to more than \(limits)")
        }
    }

    /// Appends a primitive (materials already resolved to global slots).
    private mutating func append(_ part: Mesh) {
        let base = UInt32(mesh.positions.count)
        let (n0, n1) = (mesh.positions.count, part.positions.count)
        if !part.texcoords.isEmpty, !hasTexcoords {
            mesh.texcoords = Array(repeating: .zero, count: n0)
            hasTexcoords = true
        }
        if hasTexcoords {
            mesh.texcoords += part.texcoords.isEmpty ? Array(repeating: .zero, count: n1) : part.texcoords
        }
        if !part.colors.isEmpty, !hasColors {
            mesh.colors = Array(repeating: SIMD4(repeating: 1), count: n0)
            hasColors = true
        }
        if hasColors {
            mesh.colors += part.colors.isEmpty ? Array(repeating: SIMD4(repeating: 1), count: n1) : part.colors
        }
        mesh.positions += part.positions
        mesh.normals += part.normals
        for submesh in part.submeshes {
            mesh.submeshes.append(Submesh(indices: submesh.indices.map { $0 + base }, material: submesh.material))
        }
    }
}
