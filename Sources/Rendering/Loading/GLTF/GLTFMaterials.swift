import Foundation

/// Converts glTF materials (and their base-colour textures) on first use, once each.
struct GLTFMaterials {
    let document: GLTFDocument
    let buffers: [Data]
    let folder: ModelFolder
    /// Converted materials; primitives refer to them by slot.
    private(set) var converted: [Material] = []
    private(set) var warnings: [MeshWarning] = []
    private var slots: [Int: Int] = [:]
    private var defaultSlot: Int?
    private var images: [Int: Texture?] = [:]
    private var budget = TextureDecoder.Budget()

    init(document: GLTFDocument, buffers: [Data], folder: ModelFolder) {
        self.document = document
        self.buffers = buffers
        self.folder = folder
    }

    /// The slot of glTF material `index` (nil or invalid: a default grey material).
    mutating func slot(for index: Int?) -> Int {
        guard let index, let entries = document.materials, entries.indices.contains(index) else {
            if let defaultSlot { return defaultSlot }
            converted.append(Material(name: "default", doubleSided: false))
            defaultSlot = converted.count - 1
            return converted.count - 1
        }
        if let slot = slots[index] { return slot }
        converted.append(convert(entries[index], index: index))
        slots[index] = converted.count - 1
        return converted.count - 1
    }

    /// Which `TEXCOORD_n` the material's base colour texture reads.
    func texcoordSet(for index: Int?) -> Int {
        guard let index, let entries = document.materials, entries.indices.contains(index) else { return 0 }
        let entry = entries[index]
        let reference =
            entry.pbrMetallicRoughness?.baseColorTexture
            ?? entry.extensions?.specularGlossiness?.diffuseTexture
        return max(0, reference?.texCoord ?? 0)
    }

    private mutating func convert(_ entry: GLTFDocument.MaterialEntry, index: Int) -> Material {
        let name = entry.name ?? "material\(index)"
        var factor: [Float]? = entry.pbrMetallicRoughness?.baseColorFactor
        var reference = entry.pbrMetallicRoughness?.baseColorTexture
        if let specGloss = entry.extensions?.specularGlossiness {
            factor = specGloss.diffuseFactor ?? factor
            reference = specGloss.diffuseTexture ?? reference
        }
        var color = SIMD4<Float>(1, 1, 1, 1)
        if let f = factor, f.count == 4, f.allSatisfy(\.isFinite) {
            let rgb = SIMD3(f[0], f[1], f[2]).clamped(lowerBound: .zero, upperBound: SIMD3(repeating: 1))
            color = SIMD4(GLTFMaterials.linearToDisplay(rgb), min(1, max(0, f[3])))
        }
        var material = Material(name: name, baseColor: color, doubleSided: entry.doubleSided ?? false)
        switch entry.alphaMode ?? "OPAQUE" {
        case "MASK": material.alphaMode = .mask(cutoff: entry.alphaCutoff ?? 0.5)
        case "BLEND": material.alphaMode = .blend
        default: material.alphaMode = .opaque
        }
        if let reference {
            if reference.extensions?["KHR_texture_transform"] != nil {
                warnings.append(MeshWarning(.ignoredFeature, "material '\(name)': KHR_texture_transform ignored"))
            }
            material.texture = texture(reference.index, material: name)
        }
        return material
    }

    /// Texture `index` (image + sampler), decoded once per image.
    private mutating func texture(_ index: Int, material: String) -> Texture? {
        guard let entries = document.textures, entries.indices.contains(index) else {
            warnings.append(MeshWarning(.texture, "material '\(material)': texture \(index) does not exist"))
            return nil
        }
        let entry = entries[index]
        guard let source = entry.source ?? entry.extensions?.webp?.source else {
            let why = entry.extensions?.basisu != nil ? "KTX2/Basis images are not supported" : "no image"
            warnings.append(MeshWarning(.texture, "material '\(material)': texture \(index): \(why)"))
            return nil
        }
        var wrapS = WrapMode.repeating, wrapT = WrapMode.repeating
        if let samplerIndex = entry.sampler, let samplers = document.samplers, samplers.indices.contains(samplerIndex) {
            wrapS = GLTFMaterials.wrapMode(samplers[samplerIndex].wrapS)
            wrapT = GLTFMaterials.wrapMode(samplers[samplerIndex].wrapT)
        }
        if images[source] == nil { images[source] = decodeImage(source, material: material) }
        guard var texture = images[source] ?? nil else { return nil }
        texture.wrapS = wrapS
        texture.wrapT = wrapT
        return texture
    }

    private mutating func decodeImage(_ index: Int, material: String) -> Texture? {
        guard let entries = document.images, entries.indices.contains(index) else {
            warnings.append(MeshWarning(.texture, "material '\(material)': image \(index) does not exist"))
            return nil
        }
        let entry = entries[index]
        var bytes: Data?
        if let viewIndex = entry.bufferView {
            if let views = document.bufferViews, views.indices.contains(viewIndex),
                buffers.indices.contains(views[viewIndex].buffer)
            {
                let view = views[viewIndex], buffer = buffers[view.buffer]
                let start = view.byteOffset ?? 0
                if start >= 0, view.byteLength >= 0, start <= buffer.count, view.byteLength <= buffer.count - start {
                    bytes = buffer.subdata(in: buffer.startIndex + start..<buffer.startIndex + start + view.byteLength)
                }
            }
        } else if let uri = entry.uri {
            if uri.hasPrefix("data:") {
                bytes = DataURI.decode(uri)
            } else if let (url, _) = folder.resolve(uri.removingPercentEncoding ?? uri) {
                bytes = try? Data(contentsOf: url)
            }
        }
        guard let bytes else {
            warnings.append(MeshWarning(.texture, "material '\(material)': image \(index) not found; colour only"))
            return nil
        }
        do {
            return try TextureDecoder.decode([UInt8](bytes), budget: &budget)
        } catch {
            warnings.append(MeshWarning(.texture, "material '\(material)': image \(index): \(error.message)"))
            return nil
        }
    }

    static func wrapMode(_ code: Int?) -> WrapMode {
        switch code {
        case 33071: return .clampToEdge
        case 33648: return .mirroredRepeat
        default: return .repeating
        }
    }

    /// glTF colour factors are linear; our materials hold display (sRGB) values.
    static func linearToDisplay(_ c: SIMD3<Float>) -> SIMD3<Float> {
        func f(_ x: Float) -> Float {
            let v = min(1, max(0, x))
            return v <= 0.003_130_8 ? v * 12.92 : 1.055 * pow(v, 1 / 2.4) - 0.055
        }
        return SIMD3(f(c.x), f(c.y), f(c.z))
    }

    /// Inverse of ``linearToDisplay(_:)`` (used by the exporter).
    static func displayToLinear(_ c: SIMD3<Float>) -> SIMD3<Float> {
        func f(_ x: Float) -> Float {
            let v = min(1, max(0, x))
            return v <= 0.040_45 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        return SIMD3(f(c.x), f(c.y), f(c.z))
    }
}
