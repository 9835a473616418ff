import Foundation
import Testing

@testable import Providers

/// Backoff timing, `Retry-After`, rate limiting — checked exactly on the virtual clock.
@Suite struct RetryTests {
    @Test func backoffGrowsExponentiallyWithJitterAndIsCapped() {
        let policy = RetryPolicy(
            maxAttempts: 10, baseDelay: .milliseconds(500), multiplier: 2, maxDelay: .seconds(4), jitter: 0.5)
        // Jitter factor = 1 - 0.5 + 0.5·unit.
        #expect(policy.delay(afterAttempt: 1, unit: 1) == .milliseconds(500))
        #expect(policy.delay(afterAttempt: 1, unit: 0) == .milliseconds(250))
        #expect(policy.delay(afterAttempt: 2, unit: 0.5) == .milliseconds(750))
        #expect(policy.delay(afterAttempt: 3, unit: 1) == .seconds(2))
        #expect(policy.delay(afterAttempt: 6, unit: 1) == .seconds(4))  // capped
        // Retry-After wins when longer, and is itself capped.
        #expect(policy.delay(afterAttempt: 1, unit: 1, retryAfter: .seconds(7)) == .seconds(7))
        #expect(policy.delay(afterAttempt: 3, unit: 1, retryAfter: .milliseconds(10)) == .seconds(2))
        #expect(policy.delay(afterAttempt: 1, unit: 1, retryAfter: .seconds(100_000)) == .seconds(300))
    }

    /// A DashScope embedder on a fake whose first answers are the given faults.
    func run(
        faults: [FakeDashScope.Fault], attempts: Int = 5, requestsPerMinute: Double? = nil, concurrency: Int = 4,
        items: [EmbeddingItem] = [EmbeddingItem(id: "x", content: .text("chair"))]
    ) async throws -> (EmbeddingRun, TestEnvironment, FakeHTTPServer) {
        let environment = TestEnvironment()
        let fake = FakeDashScope(apiKey: DashScopeEmbedderTests.key)
        fake.inject(faults)
        let server = try await FakeHTTPServer.start { await fake.handle($0) }
        let embedder = try DashScopeEmbedder(
            configuration: DashScopeEmbeddingConfiguration(
                baseURL: server.baseURL, apiKey: DashScopeEmbedderTests.key, batchSize: 1,
                http: .test(attempts: attempts, concurrency: concurrency, requestsPerMinute: requestsPerMinute)),
            environment: environment.provider)
        let result = await embedder.embed(items)
        await server.stop()
        return (result, environment, server)
    }

    @Test func retryAfterIsHonouredOn429() async throws {
        let (result, environment, server) = try await run(faults: [
            .status(429, code: "Throttling.RateQuota", retryAfter: "7"),
            .status(429, code: "Throttling.RateQuota", retryAfter: "Thu, 01 Jan 1970 00:00:00 GMT"),
        ])
        #expect(result.failures.isEmpty)
        #expect(server.requests.count == 3)
        // First wait: Retry-After 7 s beats the 0.375 s backoff; second: a past date means
        // "now", so the jittered backoff of attempt 2 (1 s · 0.75) applies.
        #expect(environment.clock.sleeps == [.seconds(7), .milliseconds(750)])
        #expect(result.usage.retries == 2)
    }

    @Test func serverErrorsBackOffExponentially() async throws {
        let (result, environment, _) = try await run(faults: [
            .status(500, code: "InternalError"), .status(502, code: "BadGateway"),
            .status(503, code: "ServiceUnavailable"),
        ])
        #expect(result.failures.isEmpty)
        // base 0.5 s · 2^(n-1), jitter factor 0.75 (unit 0.5, jitter 0.5).
        #expect(environment.clock.sleeps == [.milliseconds(375), .milliseconds(750), .milliseconds(1500)])
    }

    @Test func exhaustedRetriesReportTheItemWithTheLastError() async throws {
        let (result, environment, server) = try await run(
            faults: Array(repeating: .status(429, code: "Throttling", retryAfter: "1"), count: 3), attempts: 3)
        #expect(result.vectors.isEmpty)
        let failure = try #require(result.failures.first)
        #expect(failure.error.code == .rateLimited)
        #expect(failure.error.httpStatus == 429)
        #expect(failure.error.providerCode == "Throttling")
        #expect(server.requests.count == 3)
        #expect(environment.clock.sleeps.count == 2)
    }

    @Test func clientErrorsAreNotRetried() async throws {
        let (result, environment, server) = try await run(faults: [.status(400, code: "InvalidParameter")])
        #expect(result.failures.first?.error.httpStatus == 400)
        #expect(server.requests.count == 1)
        #expect(environment.clock.sleeps.isEmpty)
    }

    @Test func theRateLimitSpacesRequestStarts() async throws {
        let items = (0..<4).map { EmbeddingItem(id: "t\($0)", content: .text("item \($0)")) }
        let (result, environment, _) = try await run(faults: [], requestsPerMinute: 30, concurrency: 1, items: items)
        #expect(result.vectors.count == 4)
        // 30 per minute → one start every 2 s; the first starts at once.
        #expect(environment.clock.sleeps == [.seconds(2), .seconds(2), .seconds(2)])
    }

    @Test func retryAfterParsesSecondsMillisecondsAndDates() {
        let now = Date(timeIntervalSince1970: 1_776_414_394)  // Fri, 17 Apr 2026 08:26:34 GMT
        #expect(RetryAfter.parse(milliseconds: nil, header: "3", now: now) == .seconds(3))
        #expect(RetryAfter.parse(milliseconds: nil, header: " 2.5 ", now: now) == .milliseconds(2500))
        #expect(RetryAfter.parse(milliseconds: "1500", header: "9", now: now) == .milliseconds(1500))
        #expect(RetryAfter.parse(milliseconds: nil, header: "Fri, 17 Apr 2026 08:26:44 GMT", now: now) == .seconds(10))
        #expect(RetryAfter.parse(milliseconds: nil, header: "Fri, 17 Apr 2026 08:00:00 GMT", now: now) == .zero)
        #expect(RetryAfter.parse(milliseconds: nil, header: "soon", now: now) == nil)
        #expect(RetryAfter.parse(milliseconds: nil, header: "-4", now: now) == nil)
        #expect(RetryPolicy.isRetryable(status: 429) && RetryPolicy.isRetryable(status: 503))
        #expect(!RetryPolicy.isRetryable(status: 400) && !RetryPolicy.isRetryable(status: 401))
    }
}
