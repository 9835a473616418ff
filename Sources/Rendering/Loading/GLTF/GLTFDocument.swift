/// The parts of a glTF 2.0 JSON document this loader reads; property names match the spec.
struct GLTFDocument: Decodable {
    var scene: Int?
    var scenes: [Scene]?
    var nodes: [Node]?
    var meshes: [MeshEntry]?
    var accessors: [Accessor]?
    var bufferViews: [BufferView]?
    var buffers: [Buffer]?
    var materials: [MaterialEntry]?
    var textures: [TextureEntry]?
    var images: [ImageEntry]?
    var samplers: [Sampler]?
    var extensionsUsed: [String]?
    var extensionsRequired: [String]?

    struct Scene: Decodable {
        var nodes: [Int]?
    }

    struct Node: Decodable {
        var children: [Int]?
        var mesh: Int?
        var matrix: [Float]?
        var translation: [Float]?
        var rotation: [Float]?
        var scale: [Float]?
    }

    struct MeshEntry: Decodable {
        var primitives: [Primitive]
    }

    struct Primitive: Decodable {
        var attributes: [String: Int]
        var indices: Int?
        var material: Int?
        var mode: Int?
        var extensions: [String: IgnoredJSON]?
    }

    struct Accessor: Decodable {
        var bufferView: Int?
        var byteOffset: Int?
        var componentType: Int
        var normalized: Bool?
        var count: Int
        var type: String
        var sparse: Sparse?
    }

    struct Sparse: Decodable {
        var count: Int
        var indices: SparseIndices
        var values: SparseValues
    }

    struct SparseIndices: Decodable {
        var bufferView: Int
        var byteOffset: Int?
        var componentType: Int
    }

    struct SparseValues: Decodable {
        var bufferView: Int
        var byteOffset: Int?
    }

    struct BufferView: Decodable {
        var buffer: Int
        var byteOffset: Int?
        var byteLength: Int
        var byteStride: Int?
    }

    struct Buffer: Decodable {
        var uri: String?
        var byteLength: Int
    }

    struct MaterialEntry: Decodable {
        var name: String?
        var pbrMetallicRoughness: PBR?
        var alphaMode: String?
        var alphaCutoff: Float?
        var doubleSided: Bool?
        var extensions: MaterialExtensions?
    }

    struct PBR: Decodable {
        var baseColorFactor: [Float]?
        var baseColorTexture: TextureReference?
    }

    struct MaterialExtensions: Decodable {
        // Older exporters (Sketchfab, some converters) still write the retired spec/gloss model.
        var specularGlossiness: SpecularGlossiness?

        enum CodingKeys: String, CodingKey {
            case specularGlossiness = "KHR_materials_pbrSpecularGlossiness"
        }
    }

    struct SpecularGlossiness: Decodable {
        var diffuseFactor: [Float]?
        var diffuseTexture: TextureReference?
    }

    struct TextureReference: Decodable {
        var index: Int
        var texCoord: Int?
        var extensions: [String: IgnoredJSON]?
    }

    struct TextureEntry: Decodable {
        var sampler: Int?
        var source: Int?
        var extensions: TextureExtensions?
    }

    struct TextureExtensions: Decodable {
        var webp: ExtensionSource?
        var basisu: ExtensionSource?

        enum CodingKeys: String, CodingKey {
            case webp = "EXT_texture_webp"
            case basisu = "KHR_texture_basisu"
        }
    }

    struct ExtensionSource: Decodable {
        var source: Int?
    }

    struct ImageEntry: Decodable {
        var uri: String?
        var bufferView: Int?
        var mimeType: String?
    }

    struct Sampler: Decodable {
        var wrapS: Int?
        var wrapT: Int?
    }
}

/// Any JSON value, accepted and thrown away (extension payloads we only check for presence).
struct IgnoredJSON: Decodable {
    init(from decoder: any Decoder) throws {}
}
