import Hummingbird
import Logging
import NIOCore

/// Per-request context: Hummingbird's core storage plus the request id every response carries.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``RequestIDMiddleware``; echoed in `X-Request-Id` and in every log line of the request.
    public var requestID: String = ""
    /// Uploads larger than this are refused with 413 (image queries are the only bodies of size).
    public var maxUploadSize: Int { 16 << 20 }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }
}
