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

    /// The asset store and its name.
    static func open(_ settings: Settings, logger: Logger) throws -> (store: any AssetStore, name: String) {
        switch try kind(settings) {
        case .embedded:
            let store = try EmbeddedStore(directory: settings.dataDirectory, logger: logger)
            return (store, Kind.embedded.rawValue)
        case .postgres:
            throw CLIError("the PostgreSQL store is not available in this build yet; use --store embedded")
        }
    }
}
