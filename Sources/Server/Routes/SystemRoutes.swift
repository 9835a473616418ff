import AssetCatalog
import Foundation
import Logging
import NIOCore
import Prometheus
import Retrieval
import VectorStore
import HTTPTypes
import Hummingbird
import Logging

/// `GET /health` and `GET /openapi.json`.
struct SystemRoutes {
    let services: ServerServices

    func register(on router: Router<AppRequestContext>) {
        router.getAndHead("/health") { _, context in
            let algorithms = await services.engine.availableAlgorithms()
            do {
                let count = try await services.store.assetCount()
                return try jsonResponse(
                    HealthDTO(status: "healthy", store: services.storeName, assets: count, algorithms: algorithms,
                              version: AppVersion.current))
            } catch {
                context.logger.error("health check: store failure", metadata: ["error": "\(error)"])
                return try jsonResponse(
                    HealthDTO(status: "unavailable", store: services.storeName, assets: nil, algorithms: algorithms,
                              version: AppVersion.current),
                    status: .serviceUnavailable)
            }
        }
        router.getAndHead("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: ServerMetrics.registry.emitToBuffer())))
        }
        router.getAndHead("/spaces") { _, context in
            try jsonResponse(try await spaces(context))
        }
        router.getAndHead("/openapi.json") { _, _ in
            guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
                let data = try? Data(contentsOf: url)
            else {
                throw APIError(.internalServerError, code: "internal", "the OpenAPI document is missing from this build")
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
    }
}

extension SystemRoutes {
    /// What each indexed space holds and can do.
    func spaces(_ context: AppRequestContext) async throws -> [SpaceDTO] {
        let loaded = Dictionary(
            services.engine.loadedSpaces.map { ($0.space.name, $0) }, uniquingKeysWith: { first, _ in first })
        let summaries: [SpaceSummary]
        do {
            summaries = try await services.vectors?.spaces() ?? []
        } catch {
            context.logger.error("store failure", metadata: ["error": "\(error)"])
            throw APIError.storeUnavailable
        }
        return summaries.map { summary in
            let embedder = loaded[summary.space.name]
            return SpaceDTO(
                name: summary.space.name, modelID: summary.space.modelID, revision: summary.space.revision,
                dimension: summary.space.dimension, loaded: embedder != nil,
                languages: (embedder?.textLanguages ?? []).map { $0 == .en ? "en" : "zh" }.sorted(),
                images: embedder?.readsImages ?? false,
                counts: Dictionary(summary.counts.map { ($0.key.rawValue, $0.value) }, uniquingKeysWith: +))
        }
    }
}

/// The version reported by `/health` and `asset3d --version`.
public enum AppVersion {
    public static let current = "0.1.0"
}
