import ArgumentParser
import Foundation
import Logging
import Retrieval
import Server
import Settings
import VectorStore

/// `asset3d serve`: the HTTP API and the web page.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the API and the web page.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Address to listen on (ASSET3D_HOST, default 127.0.0.1).")
    var host: String?

    @Option(help: "Port (ASSET3D_PORT, default 8000).")
    var port: Int?

    @Option(help: "embedded or postgres (ASSET3D_STORE; postgres when DATABASE_URL is set).")
    var store: String?

    func run() async throws {
        var extra: [SettingKey: String] = [:]
        if let host { extra[.host] = host }
        if let port { extra[.port] = String(port) }
        if let store { extra[.store] = store }
        let settings = try await global.settings(extra)
        let logger = settings.logger("asset3d.server")
        try await StoreFactory.withStore(settings, logger: logger) { store in
            let engine = try await store.searchEngine(settings: settings, logger: logger)
            let services = ServerServices(
                store: store.assets, vectors: store.vectors, engine: engine, storeName: store.name, defaultTopK: settings.int(.defaultTopK) ?? 10)
            let host = settings.string(.host) ?? "127.0.0.1"
            let port = settings.int(.port) ?? 8000
            let count = try await store.assets.assetCount()
            let algorithms = await engine.availableAlgorithms().joined(separator: ", ")
            logger.info("serving \(count) assets from the \(store.name) store (\(algorithms)) on http://\(host):\(port)")
            // The BM25 index is built in the background while the server starts listening; queries that
            // arrive before it is ready wait for this same build.
            let warmUp = Task {
                let start = ContinuousClock.now
                do throws(SearchError) {
                    let indexed = try await engine.prepareLexicalIndex()
                    let elapsed = (ContinuousClock.now - start).components
                    let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
                    logger.info("lexical index ready: \(indexed) assets in \(String(format: "%.1f", seconds)) s")
                } catch {
                    logger.warning("lexical index not built yet: \(error.message)")
                }
            }
            defer { warmUp.cancel() }
            try await runServer(services, host: host, port: port, logger: logger)
        }
    }
}
