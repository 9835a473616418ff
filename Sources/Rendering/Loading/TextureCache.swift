import Foundation
import ImageCodec

/// Loads each texture file of one model once, with the folder's path fallbacks and warnings.
struct TextureCache {
    let folder: ModelFolder
    private var loaded: [String: Texture?] = [:]
    private var budget = TextureDecoder.Budget()

    init(folder: ModelFolder) {
        self.folder = folder
    }

    /// The texture `written` refers to, or nil (with a warning) when it is missing or undecodable.
    mutating func texture(_ written: String, for material: String, _ warnings: inout [MeshWarning]) -> Texture? {
        guard let (url, match) = folder.resolve(written) else {
            warnings.append(
                MeshWarning(.texture, "material '\(material)': texture '\(written)' not found; colour only"))
            return nil
        }
        if case .substitute(let found) = match {
            warnings.append(MeshWarning(.texture, "material '\(material)': texture '\(written)' found as '\(found)'"))
        }
        let key = url.path
        if let cached = loaded[key] { return cached }
        var texture: Texture?
        do {
            let data = try Data(contentsOf: url)
            texture = try TextureDecoder.decode([UInt8](data), budget: &budget)
        } catch let error as RenderingError {
            warnings.append(MeshWarning(.texture, "material '\(material)': texture '\(written)': \(error.message)"))
        } catch {
            warnings.append(MeshWarning(.texture, "material '\(material)': texture '\(written)' unreadable"))
        }
        loaded[key] = texture
        return texture
    }
}

/// Decodes texture files with ``ImageCodec`` after sniffing their format from the first bytes.
enum TextureDecoder {
    /// Largest texture side accepted; bigger files are refused rather than allocated.
    static let maxSide = 16_384

    /// The image format of `bytes`, from its magic number.
    static func mimeType(of bytes: [UInt8]) -> String? {
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return "image/png" }
        if bytes.starts(with: [0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if bytes.count >= 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            return "image/webp"
        }
        return nil
    }

    /// Texels one model may decode in all (4 × 4096²): a folder of many large textures stops
    /// costing memory there, the rest of its textures fall back to colour with a warning.
    struct Budget {
        var remaining = 67_108_864
    }

    /// Decodes PNG, JPEG or WebP bytes into a texture that keeps PNG/JPEG bytes for export.
    static func decode(
        _ bytes: [UInt8], wrapS: WrapMode = .repeating, wrapT: WrapMode = .repeating, budget: inout Budget
    ) throws(RenderingError) -> Texture {
        guard budget.remaining > 0 else { throw RenderingError(.image, "the model's texture memory budget is spent") }
        let texture = try decode(bytes, wrapS: wrapS, wrapT: wrapT)
        budget.remaining -= texture.image.width * texture.image.height
        return texture
    }

    /// Decodes PNG, JPEG or WebP bytes into a texture that keeps PNG/JPEG bytes for export.
    static func decode(
        _ bytes: [UInt8], wrapS: WrapMode = .repeating, wrapT: WrapMode = .repeating
    ) throws(RenderingError) -> Texture {
        guard let mime = mimeType(of: bytes) else {
            throw RenderingError(.image, "not a PNG, JPEG or WebP image")
        }
        let image: Image
        do {
            image = try decodeImage(bytes)
        } catch {
            throw RenderingError(.image, "undecodable \(mime) (\(error))")
        }
        guard image.width > 0, image.height > 0, image.width <= maxSide, image.height <= maxSide else {
            throw RenderingError(.image, "image size \(image.width)×\(image.height) is not usable")
        }
        let keep = mime == "image/webp" ? nil : EncodedImage(data: bytes, mimeType: mime)
        return Texture(image: image, wrapS: wrapS, wrapT: wrapT, encoded: keep)
    }
}
