import HTTPTypes
import Hummingbird

/// Drops the body of `HEAD` responses; routes registered with ``Router/getAndHead(_:use:)`` answer `HEAD`
/// with the `GET` handler, so headers (type, caching) are the ones a `GET` would send.
struct HeadMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var response = try await next(request, context)
        if request.method == .head { response.body = ResponseBody() }
        return response
    }
}

extension Router where Context == AppRequestContext {
    /// Registers `handler` for `GET` and `HEAD`.
    func getAndHead(
        _ path: RouterPath, use handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Response
    ) {
        get(path, use: handler)
        head(path, use: handler)
    }
}
