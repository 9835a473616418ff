import Foundation

/// How often and how patiently a request is retried.
///
/// Retried: HTTP 408, 429, 500, 502, 503, 504, timeouts, connection errors and malformed success
/// bodies. The wait before attempt `n + 1` is `min(maxDelay, baseDelay · multiplier^(n-1))`,
/// scaled by a jitter factor drawn uniformly from `[1 - jitter, 1]`; when the server sent
/// `Retry-After` (seconds or an HTTP date) or `retry-after-ms`, the wait is at least that long
/// (capped at `maxRetryAfter`, so a hostile header cannot park a run for days).
public struct RetryPolicy: Sendable, Hashable {
    /// Total attempts per request, the first included (1 = no retry).
    public var maxAttempts: Int
    /// Wait before the first retry.
    public var baseDelay: Duration
    /// Growth factor per retry.
    public var multiplier: Double
    /// Upper bound of the exponential part.
    public var maxDelay: Duration
    /// Fraction of the delay that is randomised (0 = none, 1 = "full jitter").
    public var jitter: Double
    /// Upper bound on a server-requested `Retry-After`.
    public var maxRetryAfter: Duration

    /// Defaults: 5 attempts, 0.5 s doubling to at most 30 s, half of each wait randomised, `Retry-After` up to 5 min.
    public init(
        maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(500), multiplier: Double = 2,
        maxDelay: Duration = .seconds(30), jitter: Double = 0.5, maxRetryAfter: Duration = .seconds(300)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.multiplier = max(1, multiplier)
        self.maxDelay = maxDelay
        self.jitter = min(1, max(0, jitter))
        self.maxRetryAfter = maxRetryAfter
    }

    /// A policy that never retries.
    public static let none = RetryPolicy(maxAttempts: 1)

    /// The wait after failed attempt number `attempt` (1-based), given a random unit value and
    /// an optional server-requested minimum.
    public func delay(afterAttempt attempt: Int, unit: Double, retryAfter: Duration? = nil) -> Duration {
        let exponent = Double(max(0, attempt - 1))
        let exponential = min(maxDelay.seconds, baseDelay.seconds * pow(multiplier, exponent))
        let factor = 1 - jitter + jitter * min(max(unit, 0), 1)
        var wait = exponential * factor
        if let retryAfter { wait = max(wait, min(retryAfter.seconds, maxRetryAfter.seconds)) }
        return .seconds(double: wait)
    }

    /// Whether an HTTP status is worth retrying.
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504
    }
}

/// Reads `retry-after-ms`, then `Retry-After` (delta-seconds or HTTP-date).
enum RetryAfter {
    static func parse(milliseconds: String?, header: String?, now: Date = Date()) -> Duration? {
        if let milliseconds, let value = Double(milliseconds.trimmingCharacters(in: .whitespaces)), value >= 0 {
            return .seconds(double: value / 1000)
        }
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Double(header) { return seconds >= 0 ? .seconds(double: seconds) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: header) else { return nil }
        return .seconds(double: max(0, date.timeIntervalSince(now)))
    }
}
