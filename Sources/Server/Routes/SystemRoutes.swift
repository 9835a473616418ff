import Foundation
import Retrieval
import VectorStore
import HTTPTypes
import Hummingbird
import Logging

/// `GET /health` and `GET /openapi.json`.
struct SystemRoutes {
    let services: ServerServices

    func register(on router: Router<AppRequestContext>) {
        router.get("/health") { _, context in
            let algorithms = await services.engine.availableAlgorithms()
            do {
                let count = try await services.store.assetCount()
                return try jsonResponse(
                    HealthDTO(status: "ok", store: services.storeName, assets: count, algorithms: algorithms,
                              version: AppVersion.current))
            } catch {
                context.logger.error("health check: store failure", metadata: ["error": "\(error)"])
                return try jsonResponse(
                    HealthDTO(status: "unavailable", store: services.storeName, assets: nil, algorithms: algorithms,
                              version: AppVersion.current),
                    status: .serviceUnavailable)
            }
        }
        router.get("/openapi.json") { _, _ in
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

/// The version reported by `/health` and `asset3d --version`.
public enum AppVersion {
    public static let current = "0.1.0"
}
