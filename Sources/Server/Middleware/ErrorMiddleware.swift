import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Turns every error into the API's JSON error shape: Hummingbird's own errors (404 route, 413 body,
/// decoding failures) keep their status with a clean message; anything unexpected becomes a 500 whose
/// details are logged with the request id and never returned.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            throw error
        } catch let error as HTTPError {
            throw APIError(error.status, code: Self.code(for: error.status), Self.message(for: error))
        } catch let error as DecodingError {
            throw APIError(.badRequest, code: "invalid_json", Self.describe(error))
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            throw APIError(.internalServerError, code: "internal", "internal error (request \(context.requestID))")
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 404: "not_found"
        case 405: "method_not_allowed"
        case 413: "payload_too_large"
        case 415: "unsupported_media_type"
        case 400..<500: "invalid_request"
        case 503: "unavailable"
        default: "internal"
        }
    }

    static func message(for error: HTTPError) -> String {
        if let body = error.body, !body.isEmpty { return body }
        switch error.status.code {
        case 404: return "no such route"
        case 413: return "request body too large"
        default: return error.status.reasonPhrase
        }
    }

    /// A decoding error described by field path, without Swift type names.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "body" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing field \(path(context.codingPath + [key]))"
        case .typeMismatch(_, let context): return "wrong type for \(path(context.codingPath))"
        case .valueNotFound(_, let context): return "null or missing value for \(path(context.codingPath))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "body is not valid JSON" : "invalid value for \(path(context.codingPath))"
        @unknown default: return "invalid request body"
        }
    }
}
