import AssetCatalog
import Encoders
import Foundation

/// The spaces the product knows by name (DESIGN.md, "Embedding spaces"), and how to load them from the
/// model store (`<models dir>/<repo id>`).
public struct SpaceDefinition: Sendable, Hashable {
    /// API/CLI name.
    public var name: String
    /// Default Hugging Face repository id.
    public var modelID: String
    /// Whether the model has an image tower.
    public var multimodal: Bool
}

/// Loads built-in spaces.
public struct SpaceFactory: Sendable {
    /// Built-in local spaces by name.
    public static let definitions: [String: SpaceDefinition] = [
        "minilm": SpaceDefinition(name: "minilm", modelID: "sentence-transformers/all-MiniLM-L6-v2", multimodal: false),
    ]

    /// Folder holding model folders by repository id.
    public let modelsDirectory: URL

    public init(modelsDirectory: URL) { self.modelsDirectory = modelsDirectory }

    /// The folder a space's model is expected in.
    public func folder(for definition: SpaceDefinition) -> URL {
        modelsDirectory.appendingPathComponent(definition.modelID, isDirectory: true)
    }

    /// Loads the embedder of a built-in space, with a clear error when its model is not installed.
    public func load(_ name: String) throws -> any SpaceEmbedder {
        guard let definition = Self.definitions[name] else {
            let known = Self.definitions.keys.sorted().joined(separator: ", ")
            throw SpaceError("unknown space \"\(name)\"; built-in local spaces: \(known)")
        }
        let folder = folder(for: definition)
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("config.json").path)
            || FileManager.default.fileExists(atPath: folder.appendingPathComponent("modules.json").path)
        else {
            throw SpaceError(
                "the \(name) space needs \(definition.modelID) in \(folder.path); "
                    + "run `asset3d models pull \(definition.modelID)` or copy the Hugging Face folder there")
        }
        let encoder = try EncoderRegistry.loadTextEncoder(folder: folder, modelID: definition.modelID)
        return LocalTextEmbedder(name: name, encoder: encoder)
    }
}
