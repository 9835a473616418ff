/// Why a search could not be answered. `code` maps to an HTTP status once, in the server.
public struct SearchError: Error, Sendable, CustomStringConvertible {
    /// Coarse reason.
    public enum Code: String, Sendable {
        /// The request itself is wrong (empty query, top_k out of range…): 400.
        case invalidRequest = "invalid_request"
        /// No such algorithm/space: 400.
        case unknownAlgorithm = "unknown_algorithm"
        /// The algorithm exists but cannot serve this request (language, modality, not indexed): 400.
        case unsupported = "unsupported"
        /// An asset id that does not exist: 404.
        case notFound = "not_found"
        /// A dependency (database, remote embedder) is down: 503.
        case unavailable = "unavailable"
    }

    public let code: Code
    /// Safe to show to the caller.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
