/// Limits how many requests are in flight and how fast new ones start.
///
/// One instance is shared by every request of a client, so a run that embeds texts and images
/// concurrently still respects one concurrency limit and one requests-per-minute budget.
public actor Throttle {
    private let maxConcurrent: Int
    private let minimumSpacing: Duration
    private let clock: any ProviderClock
    private var inFlight = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var nextStart: Duration?

    /// - Parameters:
    ///   - maxConcurrent: requests allowed in flight at once (≥ 1).
    ///   - requestsPerMinute: start rate limit; `nil` or ≤ 0 means unlimited.
    ///   - clock: time source for the rate limit.
    public init(maxConcurrent: Int, requestsPerMinute: Double?, clock: any ProviderClock) {
        self.maxConcurrent = max(1, maxConcurrent)
        if let requestsPerMinute, requestsPerMinute > 0 {
            minimumSpacing = .seconds(double: 60 / requestsPerMinute)
        } else {
            minimumSpacing = .zero
        }
        self.clock = clock
    }

    /// Runs `body` once a concurrency slot is free and the rate limit allows a new start.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        try await waitForStartSlot()
        return try await body()
    }

    private func acquire() async {
        if inFlight < maxConcurrent {
            inFlight += 1
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    private func release() {
        if waiters.isEmpty {
            inFlight -= 1
        } else {
            // Hand the slot directly to the next waiter; `inFlight` stays the same.
            waiters.removeFirst().resume()
        }
    }

    /// Reserves the next start time (spacing starts `minimumSpacing` apart) and waits for it.
    private func waitForStartSlot() async throws {
        guard minimumSpacing > .zero else { return }
        let now = clock.now
        let start = max(now, nextStart ?? now)
        nextStart = start + minimumSpacing
        let wait = start - now
        if wait > .zero { try await clock.sleep(for: wait) }
    }
}
