import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One HTTP request as the clients describe it.
struct OutgoingRequest: Sendable {
    enum Method: String, Sendable {
        case get, post
    }

    var method: Method
    var url: String
    var headers: [(String, String)] = []
    var body: [UInt8]? = nil
    /// Short name for logs, e.g. `embeddings` (never contains data or secrets).
    var label: String
}

/// A successful (2xx) response.
struct IncomingResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
}

/// Sends requests with a deadline, retries transient failures with backoff and jitter, honours
/// `Retry-After`, and applies the client's concurrency and rate limits.
///
/// Every error that leaves it is a ``ProviderError`` whose text went through the redactor.
/// Authorization headers are added here from `apiKey` so no caller ever handles the key.
final class ProviderTransport: Sendable {
    let service: String
    let options: HTTPOptions
    let environment: ProviderEnvironment
    let redactor: SecretRedactor
    let usage = UsageMeter()
    private let apiKey: String?
    private let throttle: Throttle

    init(service: String, apiKey: String?, options: HTTPOptions, environment: ProviderEnvironment) {
        self.service = service
        self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
        self.options = options
        self.environment = environment
        self.redactor = SecretRedactor(secrets: [apiKey])
        self.throttle = Throttle(
            maxConcurrent: options.maxConcurrentRequests, requestsPerMinute: options.requestsPerMinute,
            clock: environment.clock)
    }

    var logger: Logger { environment.logger }

    /// Sends `request` and decodes the 2xx body with `decode`; a decode failure counts as a
    /// transient failure (a proxy can truncate a body) and is retried like a 5xx.
    /// - Parameter retry: overrides the client's policy, e.g. `.none` for a request that must not
    ///   be sent twice (creating a batch job).
    func perform<T: Sendable>(
        _ request: OutgoingRequest, usage callMeter: UsageMeter? = nil, retry: RetryPolicy? = nil,
        decode: @Sendable (IncomingResponse) throws -> T
    ) async throws -> T {
        let policy = retry ?? options.retry
        // Counts go to the client's total and to the caller's per-call meter.
        func count(_ update: (inout ProviderUsage) -> Void) {
            usage.add(update)
            callMeter?.add(update)
        }
        var attempt = 0
        while true {
            attempt += 1
            if Task.isCancelled { throw ProviderError(.cancelled, "\(service) \(request.label) was cancelled") }
            let failure: ProviderError
            var retryAfter: Duration?
            do {
                let response = try await throttle.run { try await self.sendOnce(request) }
                do {
                    let value = try decode(response)
                    count { $0.requests += 1 }
                    return value
                } catch let error as ProviderError {
                    failure = error
                } catch {
                    failure = ProviderError(
                        .malformedResponse,
                        "\(service) \(request.label) returned a body that is not the documented JSON: "
                            + redactor.redactAndTruncate(String(describing: error)))
                }
            } catch let error as AttemptFailure {
                failure = error.error
                retryAfter = error.retryAfter
            } catch let error as ProviderError {
                failure = error
            } catch {
                failure = classify(error, label: request.label)
            }
            let retryable =
                failure.code == .http
                ? RetryPolicy.isRetryable(status: failure.httpStatus ?? 0)
                : [.rateLimited, .timeout, .connection, .malformedResponse].contains(failure.code)
            guard retryable, attempt < policy.maxAttempts else {
                logger.warning(
                    "request failed",
                    metadata: [
                        "service": "\(service)", "request": "\(request.label)", "attempts": "\(attempt)",
                        "error": "\(failure)",
                    ])
                throw failure
            }
            let wait = policy.delay(afterAttempt: attempt, unit: environment.random.nextUnit(), retryAfter: retryAfter)
            logger.info(
                "retrying request",
                metadata: [
                    "service": "\(service)", "request": "\(request.label)", "attempt": "\(attempt)",
                    "wait_ms": "\(Int(wait.seconds * 1000))", "error": "\(failure)",
                ])
            count { $0.retries += 1 }
            do { try await environment.clock.sleep(for: wait) } catch {
                throw ProviderError(.cancelled, "\(service) \(request.label) was cancelled while waiting to retry")
            }
        }
    }

    /// A failed attempt plus the server's requested wait.
    private struct AttemptFailure: Error {
        var error: ProviderError
        var retryAfter: Duration?
    }

    private func sendOnce(_ request: OutgoingRequest) async throws -> IncomingResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = request.method == .get ? .GET : .POST
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if let apiKey { outgoing.headers.replaceOrAdd(name: "Authorization", value: "Bearer \(apiKey)") }
        if let body = request.body { outgoing.body = .bytes(ByteBuffer(bytes: body)) }
        logger.debug(
            "request",
            metadata: [
                "service": "\(service)", "request": "\(request.label)",
                "method": "\(request.method.rawValue)", "bytes": "\(request.body?.count ?? 0)",
            ])
        let timeout = TimeAmount.nanoseconds(Int64(options.requestTimeout.seconds * 1e9))
        let response = try await environment.httpClient.execute(outgoing, timeout: timeout)
        var buffer = try await response.body.collect(upTo: options.maxResponseBytes)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        let status = Int(response.status.code)
        if (200..<300).contains(status) {
            return IncomingResponse(status: status, headers: response.headers, body: bytes)
        }
        let details = ErrorBody.parse(bytes)
        let retryAfter = RetryAfter.parse(
            milliseconds: response.headers.first(name: "retry-after-ms"),
            header: response.headers.first(name: "Retry-After"))
        let message = redactor.redactAndTruncate(details.message ?? String(decoding: bytes.prefix(300), as: UTF8.self))
        let code: ProviderError.Code = status == 429 ? .rateLimited : .http
        throw AttemptFailure(
            error: ProviderError(
                code, "\(service) \(request.label) was refused: \(message.isEmpty ? "no message" : message)",
                httpStatus: status, providerCode: details.code.map(redactor.redact),
                requestID: details.requestID ?? response.headers.first(name: "x-request-id")),
            retryAfter: retryAfter)
    }

    private func classify(_ error: any Error, label: String) -> ProviderError {
        if error is CancellationError { return ProviderError(.cancelled, "\(service) \(label) was cancelled") }
        if let client = error as? HTTPClientError {
            if client == .deadlineExceeded || client == .readTimeout || client == .connectTimeout {
                return ProviderError(.timeout, "\(service) \(label) timed out after \(options.requestTimeout)")
            }
            if client == .cancelled { return ProviderError(.cancelled, "\(service) \(label) was cancelled") }
        }
        if error is NIOTooManyBytesError {
            return ProviderError(
                .malformedResponse, "\(service) \(label) response exceeds \(options.maxResponseBytes) bytes")
        }
        return ProviderError(
            .connection,
            "\(service) \(label) could not reach the server: "
                + redactor.redactAndTruncate(String(describing: error)))
    }
}

/// The error bodies of the services this module talks to:
/// DashScope `{"code","message","request_id"}`, OpenAI `{"error":{"message","type","code"}}`,
/// and older vLLM `{"object":"error","message","type","code"}`.
enum ErrorBody {
    struct Details {
        var code: String?
        var message: String?
        var requestID: String?
    }

    static func parse(_ bytes: [UInt8]) -> Details {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            return Details()
        }
        if let error = object["error"] as? [String: Any] {
            let code =
                (error["code"] as? String) ?? (error["type"] as? String) ?? (error["code"] as? Int).map(String.init)
            return Details(code: code, message: error["message"] as? String, requestID: object["request_id"] as? String)
        }
        let code =
            (object["code"] as? String) ?? (object["type"] as? String) ?? (object["code"] as? Int).map(String.init)
        return Details(code: code, message: object["message"] as? String, requestID: object["request_id"] as? String)
    }
}
