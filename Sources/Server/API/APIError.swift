import Foundation
import HTTPTypes
import Hummingbird
import Retrieval

/// The one error shape of the API: `{"error":{"code","message"}}` with a 4xx/5xx status.
/// Messages are written for the caller; internal details go to the log only.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    /// `{"error": {"code", "message"}, "detail": message}`: the `detail` copy keeps clients written for the
    /// original FastAPI demo (which read `detail`) informative.
    struct Body: Codable {
        struct Detail: Codable {
            var code: String
            var message: String
        }
        var error: Detail
        var detail: String
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder().encode(Body(error: .init(code: code, message: message), detail: message))
        var response = Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
        if status == .serviceUnavailable { response.headers[.retryAfter] = "5" }
        return response
    }

    /// Maps a search failure to its status, once.
    public init(_ error: SearchError) {
        switch error.code {
        case .invalidRequest: self.init(.badRequest, code: error.code.rawValue, error.message)
        case .unknownAlgorithm: self.init(.badRequest, code: error.code.rawValue, error.message)
        case .unsupported: self.init(.badRequest, code: error.code.rawValue, error.message)
        case .notFound: self.init(.notFound, code: error.code.rawValue, error.message)
        case .unavailable: self.init(.serviceUnavailable, code: error.code.rawValue, error.message)
        }
    }

    static func notFound(_ what: String) -> APIError { APIError(.notFound, code: "not_found", what) }
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, code: "invalid_request", message) }
    static let storeUnavailable = APIError(
        .serviceUnavailable, code: "unavailable", "the asset store is unavailable; try again shortly")
}
