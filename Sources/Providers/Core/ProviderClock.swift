/// Time as the providers see it: a monotonic "now" and a way to wait.
///
/// Retries, rate limits and batch polling all go through this protocol so tests can run them
/// against a virtual clock (no real sleeping) and check the exact waits.
public protocol ProviderClock: Sendable {
    /// Monotonic time since an arbitrary origin.
    var now: Duration { get }
    /// Suspends for `duration` (throws `CancellationError` when the task is cancelled).
    func sleep(for duration: Duration) async throws
}

/// The real clock (`ContinuousClock`).
public struct SystemClock: ProviderClock {
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant

    /// A clock whose origin is now.
    public init() { origin = clock.now }

    /// Time since the clock was created.
    public var now: Duration { clock.now - origin }

    /// Sleeps on `ContinuousClock`.
    public func sleep(for duration: Duration) async throws {
        guard duration > .zero else { return }
        try await clock.sleep(for: duration)
    }
}

/// Where jitter comes from; injected so backoff timing is reproducible in tests.
public protocol RandomSource: Sendable {
    /// A value in `0..<1`.
    func nextUnit() -> Double
}

/// The system random number generator.
public struct SystemRandomSource: RandomSource {
    /// The system source.
    public init() {}
    /// A uniform value in `0..<1`.
    public func nextUnit() -> Double { Double.random(in: 0..<1) }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// A duration from fractional seconds (negative values become zero).
    static func seconds(double value: Double) -> Duration {
        guard value.isFinite, value > 0 else { return .zero }
        return .nanoseconds(Int64((value * 1e9).rounded()))
    }
}
