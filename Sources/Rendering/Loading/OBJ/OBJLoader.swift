import Foundation

/// Loads a Wavefront OBJ file with its material libraries and textures.
///
/// Real catalogs are messy; every defect that still leaves something to draw becomes a
/// ``MeshWarning`` with a fallback: a missing `mtllib` falls back to the folder's only `.mtl` (or
/// one named like the OBJ), undefined materials become grey, missing or undecodable textures
/// leave the material's colour, bump/specular maps are ignored.
enum OBJLoader {
    static func load(data: Data, url: URL) throws(RenderingError) -> (Mesh, [MeshWarning]) {
        let fileName = url.lastPathComponent
        let result = data.withUnsafeBytes { raw in
            Result { () throws(RenderingError) in
                try OBJParser.parse(raw.bindMemory(to: UInt8.self), fileName: fileName)
            }
        }
        let parsed = try result.get()
        guard parsed.faceCount > 0 else {
            throw RenderingError(.emptyMesh, "\(fileName) has no faces")
        }
        var warnings: [MeshWarning] = []
        if parsed.skippedElements > 0 {
            warnings.append(
                MeshWarning(.geometry, "\(parsed.skippedElements) points, lines or degenerate faces skipped"))
        }
        if parsed.droppedAttributeReferences > 0 {
            warnings.append(
                MeshWarning(
                    .geometry,
                    "\(parsed.droppedAttributeReferences) texture-coordinate or normal references out of range ignored")
            )
        }
        let folder = ModelFolder(root: url.deletingLastPathComponent())
        let library = loadMaterialLibraries(parsed, objName: fileName, folder: folder, &warnings)
        var textures = TextureCache(folder: folder)

        var materials: [Material] = []
        var slots: [Int] = []
        for name in parsed.materialNames {
            if let definition = library[name] {
                materials.append(makeMaterial(definition, &textures, &warnings))
            } else {
                let fallback = fallbackMaterial(named: name)
                let look = fallback.alphaMode == .blend ? "translucent grey" : "grey"
                warnings.append(MeshWarning(.undefinedMaterial, "material '\(name)' is not defined; using \(look)"))
                materials.append(fallback)
            }
            slots.append(materials.count - 1)
        }
        materials.append(Material(name: "default"))
        let mesh = OBJMeshBuilder.build(
            parsed, materials: materials, materialSlots: slots, defaultSlot: materials.count - 1)
        try mesh.validate()
        return (mesh, warnings)
    }

    /// Reads every `mtllib` (with fallbacks) into a name → definition table.
    private static func loadMaterialLibraries(
        _ parsed: OBJData, objName: String, folder: ModelFolder, _ warnings: inout [MeshWarning]
    ) -> [String: MTLMaterial] {
        var urls: [URL] = []
        for written in parsed.materialLibraries {
            if let (url, match) = folder.resolve(written) {
                urls.append(url)
                if case .substitute(let found) = match {
                    warnings.append(MeshWarning(.materialLibrary, "material library '\(written)' found as '\(found)'"))
                }
            } else {
                // "mtllib a.mtl b.mtl" names several libraries; a single name may also contain spaces.
                let parts = written.split(separator: " ").compactMap { folder.resolve(String($0))?.url }
                if parts.isEmpty {
                    warnings.append(MeshWarning(.materialLibrary, "material library '\(written)' not found"))
                }
                urls += parts
            }
        }
        if urls.isEmpty, !parsed.materialNames.isEmpty {
            // The library is missing or misnamed: take one named like the OBJ, else the folder's only one.
            let candidates = folder.files(withExtension: "mtl")
            let stem = (objName as NSString).deletingPathExtension.lowercased()
            let pick =
                candidates.first { ($0 as NSString).deletingPathExtension.lowercased() == stem }
                ?? (candidates.count == 1 ? candidates[0] : nil)
            if let pick {
                urls.append(folder.root.appendingPathComponent(pick))
                warnings.append(MeshWarning(.materialLibrary, "using material library '\(pick)' found in the folder"))
            }
        }
        var table: [String: MTLMaterial] = [:]
        for url in urls {
            guard let bytes = try? Data(contentsOf: url) else {
                warnings.append(MeshWarning(.materialLibrary, "material library '\(url.lastPathComponent)' unreadable"))
                continue
            }
            let materials = bytes.withUnsafeBytes { MTLParser.parse($0.bindMemory(to: UInt8.self)) }
            for material in materials where table[material.name] == nil { table[material.name] = material }
        }
        return table
    }

    /// Words in undefined material names that mean glass (English, Spanish, French, German).
    static let glassWords = ["glass", "transparent", "cristal", "crystal", "vidrio", "verre", "glas"]

    /// The stand-in for a material a file uses but never defines: grey, or translucent when its
    /// name says glass (an opaque grey pane would hide what is behind it in every view).
    static func fallbackMaterial(named name: String) -> Material {
        let lower = name.lowercased()
        guard glassWords.contains(where: { lower.contains($0) }) else { return Material(name: name) }
        return Material(name: name, baseColor: SIMD4(0.85, 0.9, 0.95, 0.3), alphaMode: .blend)
    }

    /// Converts an MTL definition, loading its texture.
    private static func makeMaterial(
        _ definition: MTLMaterial, _ textures: inout TextureCache, _ warnings: inout [MeshWarning]
    ) -> Material {
        var material = Material(name: definition.name, baseColor: SIMD4(definition.diffuse, definition.opacity))
        for map in definition.ignoredMaps {
            warnings.append(MeshWarning(.ignoredFeature, "material '\(definition.name)': \(map) ignored"))
        }
        if let path = definition.diffuseMap, let texture = textures.texture(path, for: definition.name, &warnings) {
            material.texture = texture
            // Exporters often write Kd 0 0 0 next to a texture; a black multiplier would hide it.
            if !definition.hasDiffuse || definition.diffuse == .zero {
                material.baseColor = SIMD4(1, 1, 1, definition.opacity)
            }
            if texture.hasAlpha { material.alphaMode = texture.alphaIsBinary ? .mask(cutoff: 0.5) : .blend }
        }
        if let alphaMap = definition.alphaMap, alphaMap != definition.diffuseMap {
            warnings.append(MeshWarning(.ignoredFeature, "material '\(definition.name)': separate alpha map ignored"))
        }
        if definition.opacity < 1 { material.alphaMode = .blend }
        return material
    }
}
