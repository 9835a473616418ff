import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the router: middleware (request id → access log → metrics → CORS → JSON errors → HEAD → static
/// files), then routes.
public func buildRouter(_ services: ServerServices) -> Router<AppRequestContext> {
    ServerMetrics.bootstrap()
    let router = Router(context: AppRequestContext.self)
    router.middlewares.add(RequestIDMiddleware())
    router.middlewares.add(AccessLogMiddleware())
    router.middlewares.add(MetricsMiddleware())
    router.middlewares.add(
        CORSMiddleware(allowOrigin: .all, allowHeaders: [.contentType, .requestID], allowMethods: [.get, .post, .options]))
    router.middlewares.add(ErrorMiddleware())
    router.middlewares.add(HeadMiddleware())
    if let webRoot = services.webRoot {
        router.middlewares.add(FileMiddleware(webRoot.path, searchForIndexHtml: true))
    }
    router.middlewares.add(FileMiddleware(services.threeJSRoot.path, urlBasePath: "/vendor/three"))
    SystemRoutes(services: services).register(on: router)
    SearchRoutes(services: services).register(on: router)
    AssetRoutes(services: services).register(on: router)
    return router
}

/// Builds the application listening on `host:port`; `services` are run alongside it (e.g. a DB pool).
public func buildApplication(
    _ serverServices: ServerServices, host: String, port: Int, logger: Logger, lifecycleServices: [any Service] = []
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(serverServices),
        configuration: .init(address: .hostname(host, port: port), serverName: "asset3d"),
        services: lifecycleServices,
        logger: logger)
}

/// Builds and runs the application until SIGINT/SIGTERM (graceful shutdown).
public func runServer(
    _ serverServices: ServerServices, host: String, port: Int, logger: Logger, lifecycleServices: [any Service] = []
) async throws {
    let app = buildApplication(
        serverServices, host: host, port: port, logger: logger, lifecycleServices: lifecycleServices)
    try await app.runService()
}
