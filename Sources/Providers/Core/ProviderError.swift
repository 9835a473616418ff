/// The one error type of the `Providers` module.
///
/// Like postgres-nio's `PSQLError`, it is a struct with an extensible ``Code`` plus context. Its
/// ``description`` is meant for users and logs: it names what failed and what to do, and it never
/// contains an API key (server messages are passed through ``SecretRedactor`` before they are
/// stored here, and request headers are never stored at all).
public struct ProviderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case missingAPIKey, invalidConfiguration, unsupported, http, rateLimited, timeout
            case connection, malformedResponse, invalidVector, imageEncoding, stateFile
            case batchFailed, unusableOutput, cancelled
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No API key was configured for a service that needs one.
        public static let missingAPIKey = Code(.missingAPIKey)
        /// A configuration value is out of range or inconsistent.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The model or server does not support what was asked (e.g. fusion on `multimodal-embedding-v1`).
        public static let unsupported = Code(.unsupported)
        /// The server answered with a non-success HTTP status that is not retried.
        public static let http = Code(.http)
        /// HTTP 429 until the retry budget ran out.
        public static let rateLimited = Code(.rateLimited)
        /// The request did not complete within its deadline.
        public static let timeout = Code(.timeout)
        /// The connection failed (refused, reset, TLS, DNS).
        public static let connection = Code(.connection)
        /// The server's body is not the documented JSON shape.
        public static let malformedResponse = Code(.malformedResponse)
        /// A returned embedding is empty, has the wrong dimension, is non-finite or all zero.
        public static let invalidVector = Code(.invalidVector)
        /// An image could not be brought within the size limit of the model.
        public static let imageEncoding = Code(.imageEncoding)
        /// The batch state file could not be read or written.
        public static let stateFile = Code(.stateFile)
        /// A batch job ended as `failed`, `expired` or `cancelled`, or an item was missing from its output.
        public static let batchFailed = Code(.batchFailed)
        /// The model answered, but the answer cannot be used (empty, cut off); worth another run.
        public static let unusableOutput = Code(.unusableOutput)
        /// The surrounding task was cancelled.
        public static let cancelled = Code(.cancelled)

        /// The code's name, e.g. `rateLimited`.
        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// Human-readable explanation (already redacted).
    public var message: String
    /// HTTP status when the failure came from a response.
    public var httpStatus: Int?
    /// The provider's own error code, e.g. `Throttling.RateQuota` or `invalid_request_error`.
    public var providerCode: String?
    /// The provider's request id, useful when asking its support.
    public var requestID: String?

    /// Creates an error; `message` must already be free of secrets.
    public init(
        _ code: Code, _ message: String, httpStatus: Int? = nil, providerCode: String? = nil,
        requestID: String? = nil
    ) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.providerCode = providerCode
        self.requestID = requestID
    }

    /// The error for a missing key; its message names the environment variable to set.
    public static func missingAPIKey(service: String, variable: String) -> ProviderError {
        ProviderError(
            .missingAPIKey,
            "\(service) needs an API key but none is configured: set the environment variable \(variable)")
    }

    /// Whether trying the same request again later can succeed (used by retries and by callers
    /// deciding whether a failed item is worth another run).
    public var isTransient: Bool {
        switch code {
        case .rateLimited, .timeout, .connection, .malformedResponse, .batchFailed, .unusableOutput: return true
        case .http: return (httpStatus ?? 0) >= 500
        default: return false
        }
    }

    /// Whether the server refused the request because of its content (400, 413, 422) — then
    /// sending the items of a batch one by one isolates the bad one. Auth and quota errors are not.
    public var blamesTheInput: Bool {
        code == .http && [400, 413, 422].contains(httpStatus ?? 0)
    }

    /// `code: message (HTTP status, provider code) [request id]`.
    public var description: String {
        var text = "\(code): \(message)"
        if let httpStatus {
            text += " (HTTP \(httpStatus)" + (providerCode.map { ", \($0)" } ?? "") + ")"
        } else if let providerCode {
            text += " (\(providerCode))"
        }
        if let requestID { text += " [request \(requestID)]" }
        return text
    }
}
