import Foundation
import Logging
import Retrieval
import Settings
import VectorStore

/// Loading embedding spaces for the CLI.
enum Spaces {
    /// The models folder: `ASSET3D_MODELS_DIR`, else `<data dir>/models`.
    static func modelsDirectory(_ settings: Settings) -> URL {
        settings.string(.modelsDir).map { URL(fileURLWithPath: $0).standardizedFileURL }
            ?? settings.dataDirectory.appendingPathComponent("models")
    }

    /// The factory for built-in spaces, configured from the settings.
    static func factory(_ settings: Settings, logger: Logger) -> SpaceFactory {
        SpaceFactory(
            modelsDirectory: modelsDirectory(settings),
            remote: RemoteSpaceSettings(
                dashScopeBaseURL: settings.string(.dashscopeBaseURL) ?? "https://dashscope.aliyuncs.com",
                dashScopeAPIKey: settings.string(.dashscopeAPIKey),
                embeddingBaseURL: settings.string(.embeddingBaseURL), embeddingAPIKey: settings.string(.embeddingAPIKey),
                model: settings.string(.embeddingModel), dimension: settings.int(.embeddingDimension),
                batchSize: settings.int(.embeddingBatchSize) ?? 10, logger: logger))
    }

    /// Parses `--spaces`: `lexical` is always built; the rest must be known.
    static func requested(_ list: String) throws -> [String] {
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty && $0 != SearchEngine.lexical }
        for name in names where !SpaceFactory.names.contains(name) {
            let known = ([SearchEngine.lexical] + SpaceFactory.names).joined(separator: ", ")
            if KnownSpaces.names.contains(name) {
                throw CLIError("the \(name) space is not available in this build yet (available: \(known))")
            }
            throw CLIError("unknown space \"\(name)\" (available: \(known))")
        }
        return Array(NSOrderedSet(array: names)) as? [String] ?? names
    }

    /// Loads the named spaces; a missing model is an error naming the folder to fill.
    static func load(_ names: [String], settings: Settings, logger: Logger) throws -> [any SpaceEmbedder] {
        let factory = factory(settings, logger: logger)
        return try names.map { try factory.load($0) }
    }

    /// For `serve`: every built-in space the store holds vectors for and whose model is installed.
    static func loadIndexed(in vectors: any VectorIndex, settings: Settings, logger: Logger) async throws
        -> [any SpaceEmbedder]
    {
        let factory = factory(settings, logger: logger)
        var loaded: [any SpaceEmbedder] = []
        for summary in try await vectors.spaces() where SpaceFactory.names.contains(summary.space.name) {
            do {
                let embedder = try factory.load(summary.space.name)
                guard embedder.space.modelID == summary.space.modelID,
                    embedder.space.dimension == summary.space.dimension
                else {
                    logger.warning(
                        "space \(summary.space.name) holds \(summary.space.modelID) (\(summary.space.dimension)-d) vectors but the configured model is \(embedder.space.modelID) (\(embedder.space.dimension)-d); skipped")
                    continue
                }
                loaded.append(embedder)
            } catch {
                logger.warning("space \(summary.space.name) is indexed but cannot be loaded: \(error)")
            }
        }
        return loaded
    }
}

extension StoreFactory.Handle {
    /// A search engine over this store with every indexed space whose model is installed.
    func searchEngine(settings: Settings, logger: Logger) async throws -> SearchEngine {
        let embedders = try await Spaces.loadIndexed(in: vectors, settings: settings, logger: logger)
        return SearchEngine(store: assets, vectors: vectors, embedders: embedders, logger: logger)
    }
}
