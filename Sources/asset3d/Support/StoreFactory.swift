import Foundation
import Logging
import Settings
import VectorStore

/// Opens the configured store: `--store`/`ASSET3D_STORE`, else postgres when `DATABASE_URL` is set, else embedded.
enum StoreFactory {
    enum Kind: String {
        case embedded, postgres
    }

    static func kind(_ settings: Settings) throws -> Kind {
        if let explicit = settings.string(.store) {
            guard let kind = Kind(rawValue: explicit.lowercased()) else {
                throw CLIError("unknown store \"\(explicit)\"; use embedded or postgres")
            }
            return kind
        }
        return settings.string(.databaseURL) == nil ? .embedded : .postgres
    }

    /// An opened store: assets and vectors (one object for both stores) and its name.
    struct Handle {
        var assets: any AssetStore
        var vectors: any VectorIndex
        var name: String
    }

    /// Opens the configured store.
    static func open(_ settings: Settings, logger: Logger) throws -> Handle {
        switch try kind(settings) {
        case .embedded:
            let store = try EmbeddedStore(directory: settings.dataDirectory, logger: logger)
            return Handle(assets: store, vectors: store, name: Kind.embedded.rawValue)
        case .postgres:
            throw CLIError("the PostgreSQL store is not available in this build yet; use --store embedded")
        }
    }
}
