import ImageCodec

/// The glTF JSON document written by ``GLBExporter``; property names match the spec.
struct GLTFOutput: Encodable {
    var asset = AssetOut()
    var scene = 0
    var scenes = [SceneOut(nodes: [0])]
    var nodes = [NodeOut(mesh: 0)]
    var meshes: [MeshOut] = []
    var materials: [MaterialOut] = []
    var textures: [TextureOut]?
    var images: [ImageOut]?
    var samplers: [SamplerOut]?
    var accessors: [AccessorOut] = []
    var bufferViews: [BufferViewOut] = []
    var buffers: [BufferOut] = []
    /// Textures already written, to share images between materials.
    private var written: [(texture: Texture, index: Int)] = []

    private enum CodingKeys: String, CodingKey {
        case asset, scene, scenes, nodes, meshes, materials, textures, images, samplers, accessors, bufferViews, buffers
    }

    struct AssetOut: Encodable {
        var version = "2.0"
        var generator = "AssetRetrieval3D Rendering"
    }

    struct SceneOut: Encodable { var nodes: [Int] }
    struct NodeOut: Encodable { var mesh: Int }
    struct MeshOut: Encodable { var primitives: [PrimitiveOut] }

    struct PrimitiveOut: Encodable {
        var attributes: [String: Int]
        var indices: Int
        var material: Int
    }

    struct AccessorOut: Encodable {
        var bufferView: Int
        var componentType: Int
        var count: Int
        var type: String
        var min: [Float]?
        var max: [Float]?
    }

    struct BufferViewOut: Encodable {
        var buffer: Int
        var byteOffset: Int
        var byteLength: Int
        var target: Int?
    }

    struct BufferOut: Encodable { var byteLength: Int }

    struct TextureOut: Encodable {
        var sampler: Int
        var source: Int
    }

    struct ImageOut: Encodable {
        var bufferView: Int
        var mimeType: String
    }

    struct SamplerOut: Encodable {
        var magFilter = 9729  // LINEAR
        var minFilter = 9987  // LINEAR_MIPMAP_LINEAR
        var wrapS: Int
        var wrapT: Int
    }

    struct MaterialOut: Encodable {
        struct TextureInfo: Encodable { var index: Int }
        struct PBR: Encodable {
            var baseColorFactor: [Float]
            var baseColorTexture: TextureInfo?
            var metallicFactor: Float = 0
            var roughnessFactor: Float = 1
        }

        var name: String
        var pbrMetallicRoughness: PBR
        var alphaMode: String
        var alphaCutoff: Float?
        var doubleSided: Bool

        init(_ material: Material, texture: Int?) {
            name = material.name
            let c = material.baseColor
            let rgb = GLTFMaterials.displayToLinear(SIMD3(c.x, c.y, c.z))
            pbrMetallicRoughness = PBR(
                baseColorFactor: [rgb.x, rgb.y, rgb.z, min(1, max(0, c.w.isFinite ? c.w : 1))],
                baseColorTexture: texture.map { TextureInfo(index: $0) })
            switch material.alphaMode {
            case .opaque: alphaMode = "OPAQUE"
            case .mask(let cutoff):
                alphaMode = "MASK"
                alphaCutoff = cutoff
            case .blend: alphaMode = "BLEND"
            }
            doubleSided = material.doubleSided
        }
    }

    /// Adds an accessor over buffer view `view`; returns its index.
    mutating func addAccessor(
        view: Int, componentType: Int, count: Int, type: String, min: [Float]? = nil, max: [Float]? = nil
    ) -> Int {
        accessors.append(
            AccessorOut(bufferView: view, componentType: componentType, count: count, type: type, min: min, max: max))
        return accessors.count - 1
    }

    /// Adds `texture` (image, sampler, texture), reusing an identical one; returns the texture index.
    mutating func addTexture(_ texture: Texture, into writer: inout GLBBufferWriter) throws(RenderingError) -> Int {
        if let previous = written.first(where: {
            $0.texture.wrapS == texture.wrapS && $0.texture.wrapT == texture.wrapT
                && $0.texture.encoded == texture.encoded && $0.texture.image == texture.image
        }) {
            return previous.index
        }
        let encoded: EncodedImage
        if let original = texture.encoded {
            encoded = original
        } else {
            do {
                encoded = EncodedImage(data: try encodePNG(texture.image), mimeType: "image/png")
            } catch {
                throw RenderingError(.image, "a texture could not be encoded as PNG")
            }
        }
        var images = self.images ?? [], samplers = self.samplers ?? [], textures = self.textures ?? []
        images.append(ImageOut(bufferView: writer.append(raw: encoded.data, target: nil), mimeType: encoded.mimeType))
        samplers.append(SamplerOut(wrapS: GLTFOutput.code(texture.wrapS), wrapT: GLTFOutput.code(texture.wrapT)))
        textures.append(TextureOut(sampler: samplers.count - 1, source: images.count - 1))
        (self.images, self.samplers, self.textures) = (images, samplers, textures)
        written.append((texture, textures.count - 1))
        return textures.count - 1
    }

    static func code(_ wrap: WrapMode) -> Int {
        switch wrap {
        case .repeating: return 10497
        case .clampToEdge: return 33071
        case .mirroredRepeat: return 33648
        }
    }
}
