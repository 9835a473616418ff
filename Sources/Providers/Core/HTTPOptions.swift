import AsyncHTTPClient
import Logging

/// Transport settings shared by every client of this module.
public struct HTTPOptions: Sendable {
    /// Deadline of one attempt (connect + send + wait + read).
    public var requestTimeout: Duration
    /// Retry behaviour for transient failures.
    public var retry: RetryPolicy
    /// Requests in flight at once per client.
    public var maxConcurrentRequests: Int
    /// Start-rate limit per client; `nil` = unlimited.
    public var requestsPerMinute: Double?
    /// Largest response body accepted (batch output files can be big).
    public var maxResponseBytes: Int

    /// Transport defaults: 60 s per attempt, ``RetryPolicy`` defaults, 4 requests in flight,
    /// no rate limit, 256 MB bodies.
    public init(
        requestTimeout: Duration = .seconds(60), retry: RetryPolicy = RetryPolicy(),
        maxConcurrentRequests: Int = 4, requestsPerMinute: Double? = nil, maxResponseBytes: Int = 256 << 20
    ) {
        self.requestTimeout = requestTimeout
        self.retry = retry
        self.maxConcurrentRequests = max(1, maxConcurrentRequests)
        self.requestsPerMinute = requestsPerMinute
        self.maxResponseBytes = maxResponseBytes
    }
}

/// What the clients need from the outside world, injected so tests control time and randomness.
public struct ProviderEnvironment: Sendable {
    /// The HTTP client (defaults to AsyncHTTPClient's shared singleton, which needs no shutdown).
    public var httpClient: HTTPClient
    /// Time source for backoff, rate limits and polling.
    public var clock: any ProviderClock
    /// Jitter source.
    public var random: any RandomSource
    /// Where progress, retries and failures are logged (never keys or request headers).
    public var logger: Logger

    /// Defaults: AsyncHTTPClient's shared client, the system clock and random source, logger `asset3d.providers`.
    public init(
        httpClient: HTTPClient = .shared, clock: any ProviderClock = SystemClock(),
        random: any RandomSource = SystemRandomSource(), logger: Logger = Logger(label: "asset3d.providers")
    ) {
        self.httpClient = httpClient
        self.clock = clock
        self.random = random
        self.logger = logger
    }
}
